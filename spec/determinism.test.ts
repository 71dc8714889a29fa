/**
 * Determinism: the same seed gives byte-identical files. Each file is written twice by the
 * `ahop` command line — once by a child process (node bin/ahop.js, a fresh runtime), once in this
 * process (properties/support/cli-harness.ts) — and the bytes are compared. A different seed must
 * give different bytes, so the comparison is not vacuous.
 *
 * `ahop reproduce --tiny` is run the same way with two worker processes, so cells finish in an
 * order the scheduler picks: tables.md and summary.json must still be byte-identical.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAhop, spawnAhop } from '../properties/support/cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'ahop-determinism-'));
const file = (name: string, value?: unknown) => {
  const p = join(dir, name);
  if (value !== undefined) writeFileSync(p, JSON.stringify(value));
  return p;
};

const memories = file('memories.json', [
  [0.1, 0.9, 0.3, 0.5, 0.2],
  [0.8, 0.2, 0.6, 0.1, 0.9],
  [0.4, 0.4, 0.9, 0.7, 0.3],
  [0.7, 0.6, 0.1, 0.2, 0.5],
]);
const variant = file('variant.json', {
  type: 'mixed',
  components: [
    { weight: 0.5, variant: { type: 'masked', rho: 0.3, sigma: 0.05, low: 0, high: 1 } },
    { weight: 0.5, variant: { type: 'biased', bias: [0.2, -0.2, 0.2, -0.2, 0.2], sigma: 0.1 } },
  ],
});
const trainArgs = (out: string, seed: string) => ['train', '--memories', memories, '--variant', variant, '--out', out, '--epochs', '5', '--pairs', '48', '--seed', seed];
const conformanceArgs = (out: string, seed: string) => ['conformance', '--out', out, '--cases', '21', '--seed', seed];

const reproduceArgs = (out: string, seed: string, jobs: string) => ['reproduce', '--tiny', '--seeds', '1', '--seed', seed, '--jobs', jobs, '--out', out];
const TINY_FILES = ['tables.md', 'summary.json'];

// The child processes start at once and run while the in-process runs below do.
const spawned = {
  model: spawnAhop(trainArgs(file('model-a.json'), '3')),
  vectors: spawnAhop(conformanceArgs(file('vectors-a.json'), '4')),
};

describe('the same seed gives byte-identical files, across processes', () => {
  it('ahop train: the model JSON', async () => {
    const inProcess = await runAhop(trainArgs(file('model-b.json'), '3'));
    const other = await runAhop(trainArgs(file('model-c.json'), '4'));
    const child = await spawned.model;
    expect(child.code, child.stderr).toBe(0);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(other.code).toBe(0);
    const a = readFileSync(file('model-a.json'));
    expect(a.equals(readFileSync(file('model-b.json')))).toBe(true);
    expect(a.equals(readFileSync(file('model-c.json')))).toBe(false);
  });
  it('ahop conformance --out: the vectors file', async () => {
    const inProcess = await runAhop(conformanceArgs(file('vectors-b.json'), '4'));
    const other = await runAhop(conformanceArgs(file('vectors-c.json'), '5'));
    const child = await spawned.vectors;
    expect(child.code, child.stderr).toBe(0);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(other.code).toBe(0);
    const a = readFileSync(file('vectors-a.json'));
    expect(a.equals(readFileSync(file('vectors-b.json')))).toBe(true);
    expect(a.equals(readFileSync(file('vectors-c.json')))).toBe(false);
  });
  it('ahop retrieve: the same model, memories and queries give the same bytes (stdout)', async () => {
    const queries = file('queries.json', [
      [0.1, 0.9, 0.9, 0.9, 0.2],
      [0.9, 0.1, 0.6, 0.1, 0.9],
    ]);
    await spawned.model;
    const args = ['retrieve', '--model', file('model-a.json'), '--memories', memories, '--queries', queries];
    const [a, b] = [await runAhop(args), await runAhop(args)];
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('ahop reproduce --tiny --jobs 2: tables.md and summary.json, and a different seed changes the results', async () => {
    // The date the outputs record, fixed by the reproducible-builds convention.
    const epoch = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      const out = file('tiny');
      const run = async (seed: string, jobs = '2') => {
        rmSync(out, { recursive: true, force: true });
        const r = await runAhop(reproduceArgs(out, seed, jobs));
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toMatch(/7 cells computed, 0 reused/);
        return TINY_FILES.map((f) => readFileSync(join(out, f)));
      };
      // The other seed runs in this process (--jobs 1), which is quicker.
      const [a, b, other] = [await run('5'), await run('5'), await run('6', '1')];
      TINY_FILES.forEach((f, i) => expect(a[i].equals(b[i]), `${f} differs between two runs with seed 5`).toBe(true));
      // The command line records the seed, so compare what the runs computed: the tables' bodies and the summary's rows.
      const body = (md: Buffer) => md.toString('utf8').split('\n').slice(3).join('\n');
      const rows = (js: Buffer) => JSON.stringify((JSON.parse(js.toString('utf8')) as { rows: unknown }).rows);
      expect(body(a[0])).not.toBe(body(other[0]));
      expect(rows(a[1])).not.toBe(rows(other[1]));
      expect(a[0].toString('utf8')).toMatch(/· 2026-01-01 ·/);
    } finally {
      if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = epoch;
    }
  }, 240_000);
});
