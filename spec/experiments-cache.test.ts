/** The per-cell cache: exact reuse, reuse of a cell that ran extra methods, and atomic writes. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cellsDir, readCell, writeCell } from '../src/experiments/cache.ts';
import type { CellResult, CellSpec } from '../src/experiments/cells.ts';
import { tinyCell } from './experiments-fixtures.ts';

const out = mkdtempSync(join(tmpdir(), 'ahop-cache-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const score = { accuracy: 0.5, argmaxAccuracy: 0.5, fitSeconds: 0, retrieveSeconds: 0 };
function fake(spec: CellSpec): CellResult {
  return { spec, scores: { ahop: score, u2hop: score }, universal: { chosen: '', accuracy: {} }, params: {}, seconds: 0 };
}

describe('cell cache', () => {
  it('serves an identical spec and refuses a different one', () => {
    const spec = tinyCell();
    writeCell(out, fake(spec));
    expect(readCell<CellSpec, CellResult>(out, spec)?.scores.u2hop).toEqual(score);
    expect(readCell(out, { ...spec, seed: 9 })).toBeUndefined();
    expect(readCell(out, { ...spec, budget: { ...spec.budget, epochs: 3 } })).toBeUndefined();
    expect(readdirSync(cellsDir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reuses a cell that ran a method now skipped, dropping that method', () => {
    const spec = tinyCell({ delta: 0.2 });
    writeCell(out, fake(spec));
    const hit = readCell<CellSpec, CellResult>(out, { ...spec, skip: ['u2hop'] });
    expect(Object.keys(hit!.scores)).toEqual(['ahop']);
    expect(hit!.spec.skip).toEqual(['u2hop']);
    // The other way round (the cache skipped a method the plan wants) is a miss.
    const skipped = tinyCell({ delta: 0.3, skip: ['u2hop'] });
    writeCell(out, fake(skipped));
    const { skip: _, ...wanted } = skipped;
    expect(readCell(out, wanted)).toBeUndefined();
  });
});
