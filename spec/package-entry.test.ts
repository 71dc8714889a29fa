/**
 * Importing the package entry loads only what the reference needs. mathjs (the 64-digit arithmetic
 * behind the conformance exporter and the exact checks) takes longer to load than the rest of the
 * package together, so it loads on first use. A child process imports the entry under a resolve hook
 * that throws on any module of mathjs, then looks for mathjs in the CommonJS cache (a `require`
 * does not pass the ESM hooks); then, with the hook switched off, uses the 64-digit arithmetic.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '..');
const ENTRY = pathToFileURL(resolve(REPO, 'src/index.ts')).href;
const BIGNUM = pathToFileURL(resolve(REPO, 'src/numeric/bignum.ts')).href;

// The hook runs on the loader's thread; `armed` (shared memory) lets the probe switch it off after the import.
const HOOK = `let armed;
export function initialize(data) { armed = new Int32Array(data.armed); }
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (Atomics.load(armed, 0) === 1 && r.url.includes('/node_modules/mathjs/')) {
    throw new Error('mathjs loaded at import, by ' + context.parentURL);
  }
  return r;
}`;

const PROBE = `import { createRequire, register } from 'node:module';
const armed = new SharedArrayBuffer(4);
new Int32Array(armed)[0] = 1;
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), { data: { armed } });
await import(process.argv[1]);
const cached = Object.keys(createRequire(import.meta.url).cache).find((k) => k.includes('/node_modules/mathjs/'));
if (cached) throw new Error('mathjs required at import: ' + cached);
Atomics.store(new Int32Array(armed), 0, 0);
const { big } = await import(${JSON.stringify(BIGNUM)});
process.stdout.write(big(0.1).plus(big(0.2)).toString());
`;

/** Imports `entry` in a fresh Node (tsx loader) under the probe; stdout is 0.1 + 0.2 in 64 digits when mathjs stayed out. */
function probe(entry: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROBE, entry], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

/** A module that imports the entry and, as an eager module of the graph would, `code` first. */
const withEager = (code: string) => `data:text/javascript,${encodeURIComponent(`${code}\nexport * from ${JSON.stringify(ENTRY)};`)}`;
const MATHJS = pathToFileURL(createRequire(import.meta.url).resolve('mathjs')).href;

describe('importing the package entry', () => {
  it('does not load mathjs; the 64-digit arithmetic loads on first use', () => {
    const r = probe(ENTRY);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The doubles nearest 0.1 and 0.2, summed exactly: not 0.3, and not the double 0.30000000000000004.
    expect(r.stdout).toMatch(/^0\.3000000000000000166533453693773481063544750213623046875$/);
  }, 120_000);

  it('… and an eager `import` of mathjs in the graph is caught', () => {
    const r = probe(withEager(`import { all, create } from ${JSON.stringify(MATHJS)};\ncreate(all);`));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/mathjs loaded at import/);
  }, 120_000);

  it('… and an eager `require` of mathjs in the graph is caught', () => {
    const r = probe(withEager(`import { createRequire } from 'node:module';\ncreateRequire(${JSON.stringify(BIGNUM)})('mathjs');`));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/mathjs required at import/);
  }, 120_000);
});
