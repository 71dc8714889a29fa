/**
 * Runs jobs on `jobs` child processes (one per core by default): cells are independent and CPU
 * bound, and Node runs one thread of JavaScript per process. A worker is this module's sibling
 * worker file: compiled JavaScript from dist/, or TypeScript through tsx when running from the
 * sources (tests, bin/ahop.js with AHOP_FROM_SOURCE=1). With jobs = 1 the work runs in this process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Job } from './worker.ts';
import { runCell } from './run-cell.ts';

type Reply = { ok: true; id: string; result: unknown } | { ok: false; id: string; error: string };

function runHere(job: Job): unknown {
  return runCell(job.spec);
}

/**
 * Runs every job; `onDone` is called in the parent as each one finishes (in completion order).
 * Rejects on the first failing job, after stopping the workers.
 */
export async function runPool(jobs: readonly Job[], workers: number, onDone: (job: Job, result: unknown) => void): Promise<void> {
  if (jobs.length === 0) return;
  if (workers <= 1) {
    for (const job of jobs) onDone(job, runHere(job));
    return;
  }
  // The extension of this very module says which world we are in; tsx is a development tool only.
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));
  const execArgv = fromSource ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href] : [];
  const queue = [...jobs];
  const children: ChildProcess[] = [];
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const stopAll = () => children.forEach((c) => c.connected && c.disconnect());
    const feed = (child: ChildProcess) => {
      const job = queue.shift();
      if (job === undefined) {
        if (child.connected) child.disconnect();
        if (running === 0) resolve();
        return;
      }
      running++;
      child.once('message', (reply: Reply) => {
        running--;
        if (!reply.ok) {
          failed = true;
          stopAll();
          reject(new Error(`cell ${reply.id} failed in a worker:\n${reply.error}`));
          return;
        }
        try {
          onDone(job, reply.result);
        } catch (e) {
          failed = true;
          stopAll();
          reject(e);
          return;
        }
        if (!failed) feed(child);
      });
      child.send(job);
    };
    for (let i = 0; i < Math.min(workers, jobs.length); i++) {
      const child = fork(entry, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('exit', (code) => {
        if (code !== 0 && code !== null && !failed) {
          failed = true;
          stopAll();
          reject(new Error(`a worker process exited with code ${code}`));
        }
      });
      children.push(child);
      feed(child);
    }
  });
}
