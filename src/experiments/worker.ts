/**
 * A worker process of the pool: receives cell specs over IPC, runs each, and sends the result
 * (or the error message) back. Runs until the parent disconnects.
 */
import type { CellSpec } from './cells.ts';
import { runCell } from './run-cell.ts';

export type Job = { kind: 'cell'; spec: CellSpec };

process.on('message', (job: Job) => {
  try {
    const result = runCell(job.spec);
    process.send!({ ok: true, id: job.spec.id, result });
  } catch (e) {
    process.send!({ ok: false, id: job.spec.id, error: (e as Error).stack ?? String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
