/** The `ahop` command line, run as a user would (child processes through bin/ahop.js). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ahop-cli-'));
const ahop = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/ahop.js', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const write = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

describe('ahop conformance', () => {
  const vectors = join(dir, 'v.json');
  it('exports vectors that its own --check accepts (exit 0)', () => {
    expect(ahop('conformance', '--out', vectors, '--cases', '40', '--seed', '3').code).toBe(0);
    const r = ahop('conformance', '--check', vectors);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/40 of 40 cases match/);
  });
  it('exits 1 and names the case and field when one output differs by 1e-3 relative', () => {
    const j = JSON.parse(readFileSync(vectors, 'utf8'));
    j.cases[1].out.energy *= 1 + 1e-3;
    const r = ahop('conformance', '--check', write('bad.json', j));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/case 1 similarity out.energy: expected/);
  });
  it("a file cannot loosen the check: rel 1, abs 1 declared with one value off by 1e-3 relative exits 1; --rel 1 on the command line exits 0", () => {
    const j = JSON.parse(readFileSync(vectors, 'utf8'));
    j.tolerance = { rel: 1, abs: 1 };
    j.cases[1].out.energy *= 1 + 1e-3;
    const file = write('loose.json', j);
    const strict = ahop('conformance', '--check', file);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/39 of 40 cases match; 1 differ, 1 values \(tolerance rel 1e-9, abs 1e-12\)/);
    const loose = ahop('conformance', '--check', file, '--rel', '1');
    expect(loose.code, loose.stdout + loose.stderr).toBe(0);
    expect(loose.stdout).toMatch(/40 of 40 cases match; .*\(tolerance rel 1, abs 1e-12\)/);
  });
  it('a file may make the check stricter than the command line asks', () => {
    const j = JSON.parse(readFileSync(vectors, 'utf8'));
    j.tolerance = { rel: 1e-10, abs: 1e-13 };
    const r = ahop('conformance', '--check', write('strict.json', j), '--tolerance', 'float32');
    expect(r.stdout).toMatch(/\(tolerance rel 1e-10, abs 1e-13\)/);
  });
  it('a negative or non-numeric --rel is a usage error (exit 2)', () => {
    expect(ahop('conformance', '--check', vectors, '--rel', '-1').code).toBe(2);
    expect(ahop('conformance', '--check', vectors, '--abs', 'x').code).toBe(2);
    expect(ahop('conformance', '--check', vectors, '--tolerance', 'float16').code).toBe(2);
  });
  it('exits 2 with a clear message and no stack trace on a truncated file', () => {
    const r = ahop('conformance', '--check', write('trunc.json', readFileSync(vectors, 'utf8').slice(0, 300)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the file is not valid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('exits 2 when neither or both of --out and --check are given', () => expect(ahop('conformance').code).toBe(2));
});

describe('ahop train and retrieve', () => {
  const memories = write('m.json', [
    [0, 0, 1, 1],
    [1, 1, 0, 0],
    [0, 1, 0, 1],
  ]);
  const variant = write('variant.json', { type: 'masked', rho: 0.3, sigma: 0.05, low: 0, high: 1 });
  const model = join(dir, 'model.json');
  it('train writes a model JSON with format, version and d', () => {
    const r = ahop('train', '--memories', memories, '--variant', variant, '--out', model, '--epochs', '3', '--pairs', '16');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/loss/);
    const m = JSON.parse(readFileSync(model, 'utf8'));
    expect([m.format, m.version, m.d]).toEqual(['ahop-model', 1, 4]);
  });
  it('retrieve returns source, probabilities and the retrieved pattern per query', () => {
    const r = ahop('retrieve', '--model', model, '--memories', memories, '--queries', write('q.json', [[0, 0, 1, 0.9]]));
    expect(r.code).toBe(0);
    const [out] = JSON.parse(r.stdout);
    expect(out.source).toBe(0);
    expect(out.probs).toHaveLength(3);
    expect(out.retrieved).toHaveLength(4);
  });
  it('bad input exits 2 naming the problem, and writes no output file', () => {
    const out = join(dir, 'never.json');
    const r = ahop('train', '--memories', write('ragged.json', [[0, 1], [0]]), '--variant', variant, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ragged/);
    expect(existsSync(out)).toBe(false);
  });
  it('a variant with ρ ≥ 1 exits 2', () =>
    expect(ahop('train', '--memories', memories, '--variant', write('v2.json', { type: 'masked', rho: 1, sigma: 1, low: 0, high: 1 }), '--out', '-').stderr).toMatch(/variant\.rho must be < 1, got 1/));
  it('a model of another d exits 2', () => {
    const r = ahop('retrieve', '--model', model, '--memories', write('m3.json', [[0, 0, 1]]), '--queries', write('q3.json', [[0, 0, 1]]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/d = 4 but the data have d = 3/);
  });
  it('--help works on every subcommand', () => {
    for (const c of ['conformance', 'train', 'retrieve', 'demo']) expect(ahop(c, '--help').code).toBe(0);
  });
});
