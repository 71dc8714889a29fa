/**
 * The `layer` and `layer_vjp` conformance kinds: `ahop conformance --out` writes them by default and
 * with `--kinds`, `--check` passes on the export and on a file written by an independent float64
 * implementation of the contract (forward-mode dual numbers through a naive forward pass,
 * properties/support/layer-dual.ts), and one tampered value makes `--check` exit 1.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConformance } from '../src/conformance/check.ts';
import { exportConformance } from '../src/conformance/export.ts';
import type { ConformanceFile } from '../src/conformance/format.ts';
import { noNearTies, strictlyOrdered } from '../src/conformance/kinds-layer.ts';
import { DomainError } from '../src/errors.ts';
import { runAhop } from '../properties/support/cli-harness.ts';
import { naiveLayer, naiveLayerVjp, type PlainInputs } from '../properties/support/layer-dual.ts';

const dir = mkdtempSync(join(tmpdir(), 'ahop-layer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 2 kinds × 6 flavours × 2: every (kind, flavour) pair twice.
const file = exportConformance({ seed: 5, cases: 24, kinds: ['layer', 'layer_vjp'] });
type LayerCase = PlainInputs & { kind: string; cotangent?: { retrieved: number[][]; energy: number[] }; out: unknown };
const cases = file.cases as unknown as LayerCase[];

describe('layer and layer_vjp conformance cases', () => {
  it('--kinds layer,layer_vjp exports only those kinds, cycling through them', () => {
    expect(cases.filter((c) => c.kind === 'layer')).toHaveLength(12);
    expect(cases.filter((c) => c.kind === 'layer_vjp')).toHaveLength(12);
  });

  it('every layer_vjp case has no near-tie in any q; some layer (forward) case has exact ties', () => {
    for (const c of cases.filter((c) => c.kind === 'layer_vjp')) expect(noNearTies(c.queries, c.keys)).toBe(true);
    const forward = cases.filter((c) => c.kind === 'layer');
    expect(forward.some((c) => !noNearTies(c.queries, c.keys))).toBe(true);
  });

  it('the near-tie rule refuses gaps of 1e-6 relative and accepts wider ones', () => {
    expect(strictlyOrdered([1, 1 - 5e-7])).toBe(false);
    expect(strictlyOrdered([-2, -2 - 1e-6])).toBe(false);
    expect(strictlyOrdered([0, 0])).toBe(false);
    expect(strictlyOrdered([1, 1 - 1e-5, -3])).toBe(true);
  });

  it('pass --check as exported', () => {
    const report = checkConformance(JSON.stringify(file));
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(24);
  });

  it('a file written by an independent float64 implementation (dual numbers, naive forward) passes --check', () => {
    const independent: ConformanceFile = {
      ...file,
      generator: 'forward-mode dual numbers through a naive forward pass (test support)',
      cases: cases.map((c) => ({
        ...c,
        out: c.kind === 'layer' ? naiveLayer(c) : naiveLayerVjp(c, c.cotangent!),
      })),
    };
    const report = checkConformance(JSON.stringify(independent));
    expect(report.failures).toEqual([]);
  });

  it('refuses an unknown kind in --kinds by name', () => {
    expect(() => exportConformance({ seed: 1, cases: 2, kinds: ['layer', 'lyer'] })).toThrow(DomainError);
  });
});

describe('ahop conformance with the layer kinds', () => {
  it('--out (default kinds) contains layer and layer_vjp cases and --check passes', async () => {
    const path = join(dir, 'all.json');
    expect((await runAhop(['conformance', '--out', path, '--cases', '22', '--seed', '2'])).code).toBe(0);
    const kinds = new Set((JSON.parse(readFileSync(path, 'utf8')) as ConformanceFile).cases.map((c) => c.kind));
    expect(kinds.has('layer')).toBe(true);
    expect(kinds.has('layer_vjp')).toBe(true);
    const r = await runAhop(['conformance', '--check', path]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('one tampered value in a layer_vjp gradient makes --check exit 1, naming the field', async () => {
    const path = join(dir, 'layer.json');
    expect((await runAhop(['conformance', '--out', path, '--cases', '4', '--kinds', 'layer,layer_vjp'])).code).toBe(0);
    const f = JSON.parse(readFileSync(path, 'utf8')) as ConformanceFile;
    const vjp = f.cases.findIndex((c) => c.kind === 'layer_vjp');
    const out = f.cases[vjp].out as { keys: number[][] };
    out.keys[0][0] = out.keys[0][0] * (1 + 1e-6) + 1e-6;
    writeFileSync(path, JSON.stringify(f));
    const r = await runAhop(['conformance', '--check', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`case ${vjp} layer_vjp out.keys[0][0]`);
  });

  it('--kinds with an unknown kind exits 2', async () => {
    expect((await runAhop(['conformance', '--out', join(dir, 'x.json'), '--kinds', 'layer,nope'])).code).toBe(2);
  });
});
