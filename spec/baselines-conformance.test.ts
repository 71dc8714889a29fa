/**
 * The `mhop` and `sparse` conformance kinds: the exporter writes them, `--check` passes on the
 * export, a 1e-3 relative change of any of their nonzero outputs fails the check (exit 1 from the
 * CLI), malformed inputs are ParseErrors (exit 2), and every sparse case has a clear support.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConformance } from '../src/conformance/check.ts';
import { exportConformance } from '../src/conformance/export.ts';
import { KINDS } from '../src/conformance/kinds.ts';
import { clearSupport } from '../src/conformance/kinds-baselines.ts';
import type { ConformanceCase, ConformanceFile } from '../src/conformance/format.ts';
import { ParseError } from '../src/errors.ts';

type Case = ConformanceCase & { memories: number[][]; query: number[]; beta: number; out: { probs: number[]; retrieved: number[] } };

// 7 kinds × 6 flavours: 84 cases hold every (kind, flavour) pair twice.
const SEVEN = ['footprint', 'similarity', 'gradient', 'loglik', 'posterior', 'mhop', 'sparse'];
const file = exportConformance({ seed: 3, cases: 84, kinds: SEVEN });
const ours = file.cases.filter((c) => c.kind === 'mhop' || c.kind === 'sparse') as Case[];
const text = (f: ConformanceFile) => JSON.stringify(f);
const dir = mkdtempSync(join(tmpdir(), 'ahop-baselines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mutated(index: number, mutate: (c: Case) => void): ConformanceFile {
  const copy = JSON.parse(text(file)) as ConformanceFile;
  mutate(copy.cases[index] as Case);
  return copy;
}

describe('mhop and sparse conformance cases', () => {
  it('are registered kinds', () => {
    expect(KINDS.has('mhop')).toBe(true);
    expect(KINDS.has('sparse')).toBe(true);
  });

  it('are exported in every flavour, with exact zeros in sparse outputs', () => {
    expect(ours.filter((c) => c.kind === 'mhop')).toHaveLength(12);
    expect(ours.filter((c) => c.kind === 'sparse')).toHaveLength(12);
    const sparse = ours.filter((c) => c.kind === 'sparse');
    expect(sparse.some((c) => c.out.probs.some((p) => p === 0))).toBe(true);
    for (const c of sparse) expect(clearSupport(c.memories, c.query, c.beta)).toBe(true);
  });

  it('pass --check as exported (the whole file, other kinds included)', () => {
    const report = checkConformance(text(file));
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(84);
  });

  it('fail --check when the largest probability or a readout changes by 1e-3 relative', () => {
    for (const c of ours) {
      const index = file.cases.indexOf(c);
      const k = c.out.probs.indexOf(Math.max(...c.out.probs));
      for (const mutate of [(m: Case) => (m.out.probs[k] *= 1 + 1e-3), (m: Case) => (m.out.retrieved[0] = m.out.retrieved[0] * (1 + 1e-3) + 1e-3)]) {
        const report = checkConformance(text(mutated(index, mutate)));
        expect(report.failedCases, `case ${index} (${c.kind})`).toBe(1);
        expect(report.failures[0].index).toBe(index);
      }
    }
  });

  it('fail --check when a sparse zero becomes nonzero', () => {
    const c = ours.find((x) => x.kind === 'sparse' && x.out.probs.includes(0))!;
    const index = file.cases.indexOf(c);
    const report = checkConformance(text(mutated(index, (m) => (m.out.probs[m.out.probs.indexOf(0)] = 1e-3))));
    expect(report.failedCases).toBe(1);
  });

  it('treat a bad β, a ragged matrix or a missing input as a malformed file', () => {
    const index = file.cases.indexOf(ours[0]);
    for (const mutate of [
      (m: Case) => (m.beta = 0),
      (m: Case) => (m.beta = -1),
      (m: Case) => m.memories.push([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      (m: Case) => delete (m as Partial<Case>).query,
      (m: Case) => (m.out = { probs: m.out.probs } as Case['out']),
    ]) {
      expect(() => checkConformance(text(mutated(index, mutate)))).toThrow(ParseError);
    }
  });

  it('the CLI exits 1 on a mutated mhop or sparse output, naming the case', () => {
    const mhop = file.cases.indexOf(ours.find((c) => c.kind === 'mhop')!);
    const sparse = file.cases.indexOf(ours.find((c) => c.kind === 'sparse')!);
    const bad = mutated(mhop, (m) => (m.out.probs[0] *= 1 + 1e-3));
    const s = bad.cases[sparse] as Case;
    s.out.retrieved[0] = s.out.retrieved[0] * (1 + 1e-3) + 1e-3;
    const path = join(dir, 'bad.json');
    writeFileSync(path, text(bad));
    const r = spawnSync(process.execPath, ['bin/ahop.js', 'conformance', '--check', path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`case ${mhop} mhop out.probs[0]`);
    expect(r.stdout).toContain(`case ${sparse} sparse out.retrieved[0]`);
    expect(r.stdout).toContain(`82 of 84 cases match`);
  });
});
