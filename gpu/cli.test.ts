/**
 * `--backend` on the command line, as a user runs it: a gpu.js backend writes a conformance file
 * (`ahop conformance --out F --backend webgpu`) that the reference's `--check F --tolerance float32` accepts;
 * `ahop retrieve --backend webgpu` agrees with the reference; an unavailable backend exits 2 with a
 * message naming what is missing (the registry of backends/index.ts behind `--backend`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveModel } from '../src/hopfield/model-json.ts';

const dir = mkdtempSync(join(tmpdir(), 'ahop-gpu-cli-'));
const ahop = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ahop.js', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const write = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

describe('ahop --backend (gpu.js backends on the command line)', () => {
  // webgpu is the backend CI requires; it runs here as everywhere the suite runs.
  it('conformance --out F --backend webgpu writes a file that --check F --tolerance float32 accepts (and float64 refuses)', () => {
    const file = join(dir, 'webgpu.json');
    const out = ahop('conformance', '--out', file, '--backend', 'webgpu', '--cases', '30', '--seed', '5');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr, "Dawn's native warnings stay off stderr without --verbose").not.toMatch(/^Warning: /m);
    const written = JSON.parse(readFileSync(file, 'utf8'));
    expect(written.generator).toMatch(/webgpu/);
    expect(written.tolerance.rel).toBeGreaterThan(1e-9);
    // The checker's float32 preset, asked for on the command line; the file's own tolerance cannot loosen the check.
    const check = ahop('conformance', '--check', file, '--tolerance', 'float32');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/30 of 30 cases match.*\(tolerance rel 0\.0001, abs 0\.00001\)/);
    const strict = ahop('conformance', '--check', file);
    expect(strict.code, 'a float32 file at the default float64 tolerance').toBe(1);
    expect(strict.stdout).toMatch(/\(tolerance rel 1e-9, abs 1e-12\)/);
  });

  it('retrieve --backend webgpu agrees with the reference', () => {
    const d = 4;
    const model = write('model.json', saveModel({ params: { wDis: [0.1, 0.2, 0.3, 0.4], wDot: [0.4, 0.3, 0.2, 0.1], betaDis: 1, betaDot: 0.5 }, footprint: { sort: true, cumulative: true } }));
    const memories = write('m.json', [[0, 0, 1, 1], [1, 0, 0, 1], [0.5, 0.5, 0.5, 0.5]]);
    const queries = write('q.json', [[0, 0.1, 0.9, 1], [1, 0, 0.1, 0.8]]);
    const ref = ahop('retrieve', '--model', model, '--memories', memories, '--queries', queries);
    const gpu = ahop('retrieve', '--model', model, '--memories', memories, '--queries', queries, '--backend', 'webgpu');
    expect(ref.code, ref.stderr).toBe(0);
    expect(gpu.code, gpu.stderr).toBe(0);
    const a = JSON.parse(ref.stdout) as { source: number; probs: number[]; retrieved: number[]; energy: number }[];
    const b = JSON.parse(gpu.stdout) as typeof a;
    expect(b.map((r) => r.source)).toEqual(a.map((r) => r.source));
    a.forEach((r, q) => {
      r.probs.forEach((p, k) => expect(Math.abs(b[q].probs[k] - p)).toBeLessThan(1e-5));
      r.retrieved.forEach((y, j) => expect(Math.abs(b[q].retrieved[j] - y)).toBeLessThan(1e-5));
      expect(Math.abs(b[q].energy - r.energy)).toBeLessThan(1e-5 * (1 + Math.abs(r.energy)));
      expect(b[q].retrieved).toHaveLength(d);
    });
  });

  it('an unavailable backend exits 2 and names what is missing; an unknown one lists the choices', () => {
    const r = ahop('conformance', '--out', join(dir, 'x.json'), '--backend', 'webgpu', '--cases', '2', '--seed', '1');
    expect(r.code).toBe(0);
    // Force "no adapter": Dawn with only the Vulkan backend, which this machine kind lacks.
    const env = { ...process.env, AHOP_WEBGPU_FLAGS: 'backend=vulkan' };
    const none = spawnSync(process.execPath, ['bin/ahop.js', 'conformance', '--out', join(dir, 'y.json'), '--backend', 'webgpu'], { encoding: 'utf8', env });
    if (none.status === 0) return; // a machine with a Vulkan GPU: nothing is missing there
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/backend "webgpu" is unavailable: .*adapter/);
    expect(none.stderr).not.toMatch(/\bat .*\.(?:ts|js|mjs|cjs):\d+/); // a message, not a JavaScript stack trace
    const unknown = ahop('conformance', '--out', join(dir, 'z.json'), '--backend', 'cuda');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/reference, cpu, webasm, webgpu, headlessgl/);
  });
});
