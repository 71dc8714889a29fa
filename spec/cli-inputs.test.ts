/**
 * What a CLI user expects: `--version`; memories and queries from .json, .csv and .npy files (picked
 * by extension) giving the same retrievals; `train --pairs FILE` on the user's own pairs; errors that
 * name the bad input and list the accepted formats; native backends' warnings kept off stderr unless
 * --verbose. Fixtures: spec/fixtures/cli/ (the .npy files were written by NumPy).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeWarningFilter } from '../src/cli/native-stderr.ts';
import { loadModel } from '../src/hopfield/model-json.ts';

const fx = (name: string) => join('spec', 'fixtures', 'cli', name);
const dir = mkdtempSync(join(tmpdir(), 'ahop-cli-inputs-'));
const ahop = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ahop.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const QUERIES = JSON.parse(readFileSync(fx('queries.json'), 'utf8')) as number[][];

describe('ahop --version', () => {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
  for (const flag of ['--version', '-V']) {
    it(`${flag} prints package.json's version and exits 0`, () => {
      const r = ahop(flag);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    });
  }
});

describe('memories and queries from .json, .csv and .npy', () => {
  const model = join(dir, 'model.json');
  it('train reads memories from CSV (with a header line)', () => {
    const r = ahop('train', '--memories', fx('memories.csv'), '--variant', fx('variant.json'), '--out', model, '--epochs', '2', '--pairs', '16');
    expect(r.code, r.stderr).toBe(0);
    expect(loadModel(readFileSync(model, 'utf8')).params.wDis).toHaveLength(4);
  });
  it('train gives the same model from memories in JSON, CSV and .npy', () => {
    const out = (m: string) => {
      const path = join(dir, `model-${m}`);
      const r = ahop('train', '--memories', fx(m), '--variant', fx('variant.json'), '--out', path, '--epochs', '2', '--pairs', '16');
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(path, 'utf8');
    };
    const json = out('memories.json');
    expect(out('memories.csv')).toBe(json);
    expect(out('memories.npy')).toBe(json);
  });
  const retrieveWith = (memories: string, queries: string) => {
    const r = ahop('retrieve', '--model', model, '--memories', fx(memories), '--queries', fx(queries));
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { source: number; probs: number[] }[];
  };
  it('retrieve gives the same answers for queries in JSON, CSV, float64 .npy in either order, and float32 .npy within float32 rounding', () => {
    const ref = retrieveWith('memories.json', 'queries.json');
    expect(ref).toHaveLength(QUERIES.length);
    expect(retrieveWith('memories.csv', 'queries.csv')).toEqual(ref);
    expect(retrieveWith('memories.npy', 'queries-fortran.npy')).toEqual(ref);
    const f32 = retrieveWith('memories.npy', 'queries-f32.npy');
    expect(f32.map((r) => r.source)).toEqual(ref.map((r) => r.source));
    f32.forEach((r, q) => r.probs.forEach((p, k) => expect(Math.abs(p - ref[q].probs[k])).toBeLessThan(1e-5)));
    expect(f32).not.toEqual(ref); // the float32 values really were read as float32
  });
  it('an unknown extension is refused with the accepted formats listed (exit 2)', () => {
    const txt = join(dir, 'q.txt');
    writeFileSync(txt, '1 2 3 4\n');
    const r = ahop('retrieve', '--model', model, '--memories', fx('memories.json'), '--queries', txt);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/queries \(.*q\.txt\): unknown file type "\.txt"; accepted formats: \.json, \.csv, \.npy/);
  });
  it('an integer or 3-D .npy, and a CSV cell that is not a number, are refused by name (exit 2)', () => {
    const run = (q: string) => ahop('retrieve', '--model', model, '--memories', fx('memories.json'), '--queries', fx(q));
    expect(run('queries-int.npy').stderr).toMatch(/queries \(.*\) has dtype i8; accepted: float64 \(f8\) or float32 \(f4\)/);
    expect(run('queries-3d.npy').stderr).toMatch(/queries \(.*\) must be a 2-D array \(N × d\), got shape \(1, 2, 4\)/);
    const bad = run('queries-bad.csv');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/queries\[1\]\[1\] must be a finite number, got "x"/);
  });
});

describe('train --pairs FILE: the user\'s own (query, source index) pairs', () => {
  it('trains from JSON and CSV pairs to the same model', () => {
    const run = (pairs: string) => {
      const out = join(dir, `pairs-model-${pairs}`);
      const r = ahop('train', '--memories', fx('memories.json'), '--pairs', fx(pairs), '--out', out, '--epochs', '5');
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const json = run('pairs.json');
    expect(run('pairs.csv')).toBe(json);
  });
  it('the trained model retrieves the sources it was given', () => {
    const out = join(dir, 'pairs-model-long.json');
    expect(ahop('train', '--memories', fx('memories.json'), '--pairs', fx('pairs.json'), '--out', out, '--epochs', '50').code).toBe(0);
    const r = ahop('retrieve', '--model', out, '--memories', fx('memories.json'), '--queries', fx('queries.json'));
    expect((JSON.parse(r.stdout) as { source: number }[]).map((x) => x.source)).toEqual([0, 1, 2]);
  });
  it('a target outside the memories is refused naming it (exit 2)', () => {
    const r = ahop('train', '--memories', fx('memories.json'), '--pairs', fx('pairs-bad-target.json'), '--out', join(dir, 'x.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pairs\.targets\[2\] must be an integer in \[0, 3\), got 3/);
  });
  it('--pairs FILE and --variant together, or neither, are refused (exit 2)', () => {
    expect(ahop('train', '--memories', fx('memories.json'), '--pairs', fx('pairs.json'), '--variant', fx('variant.json'), '--out', join(dir, 'y.json')).code).toBe(2);
    expect(ahop('train', '--memories', fx('memories.json'), '--out', join(dir, 'z.json')).code).toBe(2);
  });
  it('a variant whose σ has length 2 for memories of d = 4 blames the variant\'s sigma, not the memories', () => {
    const r = ahop('train', '--memories', fx('memories.json'), '--variant', fx('variant-short-sigma.json'), '--out', join(dir, 'w.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: variant\.sigma has length 2 but the memories have d = 4/);
    expect(r.stderr).not.toMatch(/memories\[/);
  });
});

describe("native backends' warnings", () => {
  it('a Warning: line and its indented continuation are dropped; other lines pass', () => {
    const drop = nativeWarningFilter();
    const lines = [
      'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 90 to 16 to fit dynamic offset allocation limit.',
      'Warning: eglInitialize failed with EGL_NOT_INITIALIZED',
      ' - While trying to discover a BackendType::OpenGLES adapter.',
      '    at CheckEGL (UtilsEGL.cpp:100)',
      'wrote 2 cases to v.json',
      '  indented but not after a warning',
      'error: backend "webgpu" is unavailable',
    ];
    expect(lines.filter((l) => !drop(l))).toEqual(['wrote 2 cases to v.json', '  indented but not after a warning', 'error: backend "webgpu" is unavailable']);
  });
});
