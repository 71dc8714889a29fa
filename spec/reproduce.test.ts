/**
 * The reproduce pipeline end to end on tiny cells: worker pool, per-cell cache, resume (a re-run
 * computes nothing), tables and deterministic SVG figures; and the CLI's --backend guard.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { figureSpecs } from '../src/experiments/figures/index.ts';
import { toSvg } from '../src/experiments/figures/svg.ts';
import { renderAll } from '../src/experiments/render.ts';
import { reproduce } from '../src/experiments/runner.ts';
import type { Job } from '../src/experiments/worker.ts';
import { tinyCell } from './experiments-fixtures.ts';

const out = mkdtempSync(join(tmpdir(), 'ahop-reproduce-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const jobs: Job[] = [
  { kind: 'cell', spec: tinyCell({ delta: 0.4, seed: 0 }) },
  { kind: 'cell', spec: tinyCell({ delta: 0.4, seed: 1 }) },
  { kind: 'cell', spec: tinyCell({ group: 'families', family: 'masked', ablations: false }) },
  { kind: 'cell', spec: tinyCell({ group: 'mnist', task: { kind: 'mnist', n: 4, pool: 4 }, delta: 0.7, ablations: false, keepExamples: 2 }) },
];

describe('reproduce', () => {
  it('runs cells on two worker processes, caches them, and resumes without recomputing', async () => {
    const seen: string[] = [];
    const first = await reproduce({ full: false, seeds: 1, out, workers: 2, jobs, onProgress: (_d, _t, id) => seen.push(id) });
    expect(first.computed).toBe(4);
    expect(seen.sort()).toEqual(jobs.map((j) => j.spec.id).sort());
    expect(readdirSync(join(out, 'cells')).sort()).toEqual(jobs.map((j) => `${j.spec.id}.json`).sort());
    const second = await reproduce({ full: false, seeds: 1, out, workers: 2, jobs });
    expect([second.computed, second.cached]).toEqual([0, 4]);
    expect(second.cells.map((c) => c.scores.ahop.accuracy).sort()).toEqual(first.cells.map((c) => c.scores.ahop.accuracy).sort());
    // A changed spec is not served from the cache.
    const changed: Job[] = [{ kind: 'cell', spec: { ...tinyCell({ delta: 0.4, seed: 0 }), sizes: { trainPairs: 17, testQueries: 12 } } }];
    expect((await reproduce({ full: false, seeds: 1, out, workers: 1, jobs: changed })).computed).toBe(1);
  }, 120_000);

  it('renders tables and byte-identical SVG figures', async () => {
    const results = await reproduce({ full: false, seeds: 1, out, workers: 1, jobs });
    const report = await renderAll(results, { full: false, seeds: 2, out, command: 'reproduce (test)', date: '2026-01-01', machine: 'test machine' });
    expect(report.console).toMatch(/A-Hop/);
    expect(readFileSync(join(out, 'tables.md'), 'utf8')).toMatch(/Bayes oracle/);
    const names = figureSpecs(results.cells).map(([n]) => n);
    expect(names).toEqual(expect.arrayContaining(['accuracy-synthetic.svg', 'accuracy-mnist.svg', 'footprint-weights.svg', 'mnist-strip.svg']));
    const svg = readFileSync(join(out, 'figures', 'mnist-strip.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const [, spec] = figureSpecs(results.cells).find(([n]) => n === 'accuracy-synthetic.svg')!;
    expect(await toSvg(spec)).toBe(await toSvg(spec));
  }, 60_000);

  it('refuses a backend it cannot use, with a clear message and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/ahop.js', 'reproduce', '--backend', 'webgpu', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/webgpu/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);

  it('refuses an unknown backend name', () => {
    const r = spawnSync(process.execPath, ['bin/ahop.js', 'reproduce', '--backend', 'nope', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--backend must be one of reference/);
  }, 60_000);
});
