/**
 * `ahop conformance --out F --kinds layer,layer_vjp --backend tfjs-cpu|tfjs-wasm`, run as a user
 * would (child processes through bin/ahop.js): the file holds tfjs's float32 outputs, and the float64
 * reference accepts it at a float32 tolerance stated here (not read from the file), rejects it at
 * the reference's own tolerance (so its values really are float32, not the reference's), and
 * rejects one tampered value. Subcommands that cannot score on tfjs refuse it by name. The export's
 * float32 conditioning rule rejects a case where float32 rounding turns a near-tie into a tie (and
 * tfjs's gradient there fails the check), and keeps most random draws.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance } from '../src/conformance/check.ts';
import { REFERENCE_TOLERANCE, type ConformanceFile, type Tolerance } from '../src/conformance/format.ts';

const dir = mkdtempSync(join(tmpdir(), 'ahop-tfjs-conformance-'));
const ahop = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ahop.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** float32 (u = 2⁻²⁴ ≈ 6e-8): |got − expected| ≤ 1e-5 + 1e-4·|expected|, about 1700 u relative. */
const FLOAT32: Tolerance = { rel: 1e-4, abs: 1e-5 };

/** The reference's check of a file's values at the checker's tolerance given (the file's own can only tighten it). */
function checkAt(file: ConformanceFile, tolerance: Tolerance) {
  return checkConformance(JSON.stringify(file), { tolerance });
}

describe.each(['tfjs-cpu', 'tfjs-wasm'])('ahop conformance --backend %s', (backend) => {
  const out = join(dir, `${backend}.json`);
  let file: ConformanceFile;

  it('writes layer and layer_vjp cases computed on that backend', () => {
    const r = ahop('conformance', '--out', out, '--kinds', 'layer,layer_vjp', '--backend', backend, '--cases', '24', '--seed', '11');
    expect(r.stderr).toMatch(/wrote 24 cases/);
    expect(r.code).toBe(0);
    file = JSON.parse(readFileSync(out, 'utf8')) as ConformanceFile;
    expect(file.generator).toMatch(new RegExp(`^ahop ${backend} \\(@tensorflow/tfjs-core 4\\.`));
    expect(new Set(file.cases.map((c) => c.kind))).toEqual(new Set(['layer', 'layer_vjp']));
    // every case carries the contract's snake_case params, and the gradient has them too
    for (const c of file.cases) expect(Object.keys(c.params as object).sort()).toEqual(['beta_dis', 'beta_dot', 'w_dis', 'w_dot']);
  });

  it('the reference check accepts it at the float32 tolerance', () => {
    const report = checkAt(file, FLOAT32);
    expect(report.failures).toEqual([]);
    expect(report.cases).toBe(24);
  });

  it('… and rejects it at the reference tolerance (its values are float32, not the reference\'s)', () => {
    expect(checkAt(file, REFERENCE_TOLERANCE).failedCases).toBeGreaterThan(0);
  });

  it('… and one tampered value fails the check, at the float32 tolerance and through --check (exit 1)', () => {
    const tampered = structuredClone(file);
    const i = tampered.cases.findIndex((c) => c.kind === 'layer_vjp');
    const g = tampered.cases[i].out as { keys: number[][] };
    g.keys[0][0] += 1e-3 + 1e-3 * Math.abs(g.keys[0][0]);
    const report = checkAt(tampered, FLOAT32);
    expect(report.failedCases).toBe(1);
    expect(report.failures[0]).toMatchObject({ index: i, kind: 'layer_vjp' });
    const bad = join(dir, `${backend}-tampered.json`);
    writeFileSync(bad, JSON.stringify(tampered));
    const r = ahop('conformance', '--check', bad, '--tolerance', 'float32');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('tolerance rel 0.0001, abs 0.00001');
    expect(r.stdout).toMatch(new RegExp(`case ${i} layer_vjp out\\.keys\\[0\\]\\[0\\]`));
  });
});

describe('subcommands that cannot score on tfjs refuse it', () => {
  it('conformance --backend tfjs-cpu refuses kinds tfjs does not compute (exit 2, naming them)', () => {
    const r = ahop('conformance', '--out', join(dir, 'x.json'), '--kinds', 'similarity', '--backend', 'tfjs-cpu', '--cases', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tfjs backends compute only layer, layer_vjp/);
  });

  it('reproduce --backend tfjs-wasm is refused by name (exit 2)', () => {
    const r = ahop('reproduce', '--backend', 'tfjs-wasm', '--tiny', '--out', join(dir, 'repro'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backend "tfjs-wasm" is not available for reproduce/);
  });
});

describe('the float32 conditioning rule of the tfjs export', () => {
  it('rejects a layer_vjp case that the reference tie rule accepts but float32 rounds into a tie, where tfjs returns the other one-sided gradient', async () => {
    const { float32Conditioned, tfjsLayerCases } = await import('../tfjs/conformance.ts');
    const { noNearTies } = await import('../src/conformance/kinds-layer.ts');
    const { createRng } = await import('../src/random/rng.ts');
    // ξ − x = (−1.001e-3, 1e-3): q_dis 0.2 % apart in float64, both −(131 ulp of 100)² in float32.
    const c = {
      kind: 'layer_vjp' as const,
      queries: [[100, 100]],
      keys: [[100 - 1.001e-3, 100 + 1e-3]],
      values: [[1]],
      params: { wDis: [1, 0.5], wDot: [0.25, 0.5], betaDis: 1, betaDot: 0 },
      cotangent: { retrieved: [[0]], energy: [1] },
    };
    expect(noNearTies(c.queries, c.keys), 'the reference tie rule accepts it').toBe(true);
    for (const backend of ['cpu', 'wasm'] as const) {
      const [out] = await tfjsLayerCases(backend, [c]);
      const report = checkAt({ format: 'ahop-conformance', version: 1, generator: 'test', tolerance: FLOAT32, cases: [out] }, FLOAT32);
      expect(report.failures.map((f) => f.field), backend).toContain('out.queries[0][0]');
    }
    expect(float32Conditioned('layer_vjp', c, FLOAT32, createRng(1))).toBe(false);
  });

  it('keeps most random draws of every flavor, and every draw it keeps passes the float32 check on tfjs-cpu', async () => {
    const { float32Conditioned, tfjsLayerCases } = await import('../tfjs/conformance.ts');
    const { FLAVORS, KINDS } = await import('../src/conformance/kinds.ts');
    const { createRng } = await import('../src/random/rng.ts');
    const rng = createRng(5);
    const kept: import('../tfjs/conformance.ts').LayerCaseInput[] = [];
    let drawn = 0;
    for (const flavor of FLAVORS) {
      for (const kind of ['layer', 'layer_vjp'] as const) {
        for (let j = 0; j < 6; j++, drawn++) {
          const k = KINDS.get(kind)!;
          const i = k.parse(k.generate(rng, flavor)) as import('../tfjs/conformance.ts').LayerCaseInput;
          if (float32Conditioned(kind, i, FLOAT32, rng)) kept.push({ ...i, kind });
        }
      }
    }
    expect(kept.length, `kept of ${drawn}`).toBeGreaterThan(0.8 * drawn);
    const out = await tfjsLayerCases('cpu', kept);
    const report = checkAt({ format: 'ahop-conformance', version: 1, generator: 'test', tolerance: FLOAT32, cases: out }, FLOAT32);
    expect(report.failures).toEqual([]);
  });
});
