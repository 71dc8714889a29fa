/**
 * Fuzzing the command line. Claims, for every subcommand:
 * - `--help` works and exits 0; the top-level help documents the exit codes;
 * - any junk on the command line (unknown flags, non-numbers, fractions, 1e999, NaN, empty strings,
 *   missing required options) exits 2 with one `error:` line and no stack trace;
 * - input files that are truncated, hold a wrong JSON type, NaN (null), 1e999, ragged or empty arrays,
 *   N = 0, d = 0, mismatched d, σ ≤ 0, ρ ≥ 1, low ≥ high or weights off by 1e-3 exit 2 with a message
 *   that names the bad field; an input that is still valid exits 0 with finite outputs;
 * - a failing run never touches its output file and leaves no temporary file behind;
 * - `conformance --check` exits 0, 1 (a value differs) or 2 (malformed), never anything else;
 * - `-` reads stdin and writes stdout, and a run killed mid-way leaves no output file.
 * The CLI runs in-process (properties/support/cli-harness.ts) except where a real stdin or a kill is needed.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../src/errors.ts';
import { exportConformance } from '../src/conformance/export.ts';
import { KINDS } from '../src/conformance/kinds.ts';
import { writeText } from '../src/cli/io.ts';
import { saveModel } from '../src/hopfield/model-json.ts';
import { FULL_FOOTPRINT } from '../src/similarity/footprint.ts';
import { initialParams } from '../src/train/init.ts';
import { EXIT } from '../src/cli/exit.ts';
import { runAhop, spawnAhop, type CliResult } from './support/cli-harness.ts';
import { corruptionsOf, names, nonFinitePath, runs, slotCorruptions, MISSING, type Args, type Slot } from './support/fuzz.ts';
import { specOf, specSlots } from './support/fuzz-specs.ts';

const RUNS = runs(25);
const dir = mkdtempSync(join(tmpdir(), 'ahop-fuzz-cli-'));
let files = 0;

/** JSON text: NaN as null, ±Infinity as ±1e999 (JSON.parse reads those as ±Infinity), a MISSING field left out. */
function toText(v: unknown): string {
  if (v === undefined || v === MISSING) return ''; // no JSON text at all: an empty file
  return JSON.stringify(v, (_, x) =>
    x === MISSING ? undefined : typeof x === 'number' && !Number.isFinite(x) ? (Number.isNaN(x) ? null : `@@${x > 0 ? '' : '-'}1e999@@`) : x,
  ).replace(/"@@(-?1e999)@@"/g, '$1');
}

const write = (text: string, name = `f${++files}.json`) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** The contract of every run: exit 0, 1 or 2; 2 comes with an `error:` message and never a stack trace. */
function wellBehaved(r: CliResult, what: string): void {
  if (r.uncaught !== undefined) {
    const e = r.uncaught as Error;
    throw new Error(`${what}: uncaught ${e?.constructor?.name}: ${e?.message} (a stack trace and exit 1 in a real run)`);
  }
  expect([EXIT.ok, EXIT.checkFailed, EXIT.badInput], what).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/\n\s+at .*:\d+/);
  // Exit 2 says why: an `error:` line (or, for a bare `ahop`, the usage text).
  if (r.code === EXIT.badInput) expect(r.stderr, what).toMatch(/^error: \S|^Usage: ahop/m);
}

/** A run that failed: exit 2, and the output file untouched (still `SENTINEL`), no temporary file left. */
function failedCleanly(r: CliResult, out: string, what: string, mustName?: readonly string[]): void {
  wellBehaved(r, what);
  expect(r.code, `${what}: ${r.stderr}`).toBe(EXIT.badInput);
  if (mustName) expect(mustName.some((n) => names(r.stderr, n)), `${what}: the message should name ${mustName.join(' or ')}: ${r.stderr}`).toBe(true);
  expect(readFileSync(out, 'utf8'), `${what}: the output file was touched`).toBe('SENTINEL');
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')), `${what}: a temporary file was left`).toEqual([]);
}

const sentinel = () => write('SENTINEL', `out${++files}.json`);

// ---------- valid inputs ----------

const MEMORIES = [
  [0, 0, 1, 1],
  [1, 1, 0, 0],
  [0, 1, 0, 1],
];
const QUERIES = [
  [0, 0, 1, 0.9],
  [1, 0.9, 0, 0.1],
];
let model = '';

// The two child processes start now and run while the in-process properties below do.
const plainModel = saveModel({ params: initialParams(4), footprint: FULL_FOOTPRINT });
const stdinRun = spawnAhop(['retrieve', '--model', write(plainModel), '--memories', write(toText(MEMORIES)), '--queries', '-', '--out', '-'], toText(QUERIES));
const killedOut = join(dir, 'killed-model.json');
// Killed as soon as training reports progress: a million epochs are far from done.
const killedRun = spawnAhop(
  ['train', '--memories', write(toText(MEMORIES)), '--variant', write(toText({ type: 'masked', rho: 0.3, sigma: 0.05, low: 0, high: 1 })), '--out', killedOut, '--epochs', '1000000', '--pairs', '64'],
  '',
  (stderr) => /train 20\/1000000/.test(stderr),
);
const vectors = exportConformance({ seed: 5, cases: 2 * KINDS.size });

beforeAll(async () => {
  const out = join(dir, 'model.json');
  const r = await runAhop(['train', '--memories', write(toText(MEMORIES)), '--variant', write(toText({ type: 'noisy', sigma: [0.1, 0.1, 0.1, 0.1] })), '--out', out, '--epochs', '2', '--pairs', '8']);
  expect(r.code, r.stderr).toBe(0);
  model = readFileSync(out, 'utf8');
});

// ---------- help and exit codes ----------

async function subcommands(): Promise<string[]> {
  const r = await runAhop(['--help']);
  const list = r.stdout.split('Commands:')[1] ?? '';
  return [...list.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

/** Options of a subcommand, read from its help: flag and whether it takes a value, and whether that value is a number. */
async function optionsOf(cmd: string): Promise<{ flag: string; value: boolean; numeric: boolean }[]> {
  const r = await runAhop([cmd, '--help']);
  return [...r.stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)(?: <(\w+)>)?/gm)]
    .filter((m) => m[1] !== '--help')
    .map((m) => ({ flag: m[1], value: m[2] !== undefined, numeric: m[2] === 'n' || m[2] === 'x' }));
}

describe('help and exit codes', () => {
  it('every subcommand has --help (exit 0, a usage line); `help CMD` works too', async () => {
    const cmds = await subcommands();
    expect(cmds).toEqual(expect.arrayContaining(['conformance', 'train', 'retrieve', 'demo']));
    for (const c of cmds) {
      for (const args of [[c, '--help'], [c, '-h'], ['help', c]]) {
        const r = await runAhop(args);
        wellBehaved(r, args.join(' '));
        expect(r.code, args.join(' ')).toBe(EXIT.ok);
        expect(r.stdout).toMatch(new RegExp(`Usage: ahop ${c}`));
      }
    }
  });
  it('the top-level help documents the exit codes 0, 1 and 2', async () => {
    const r = await runAhop(['--help']);
    expect(r.stdout).toMatch(/0.*ok/);
    expect(r.stdout).toMatch(/1.*check failed/);
    expect(r.stdout).toMatch(/2.*bad input/);
  });
  it('an unknown subcommand or no subcommand at all is a usage error, not a crash', async () => {
    for (const args of [['no-such-command'], ['--no-such-flag'], []]) {
      const r = await runAhop(args);
      wellBehaved(r, args.join(' ') || '(no arguments)');
      expect(r.code === EXIT.badInput || (args.length === 0 && r.code === EXIT.ok)).toBe(true);
    }
  });
});

// ---------- junk on the command line ----------

const JUNK = ['abc', '', 'NaN', '1e999', '-1', '0', '1.5', '-', ' ', '[]', join(dir, 'missing', 'x.json')];
/** Values that no numeric option accepts, so every generated command line fails before doing work. */
const FATAL_NUMBERS = ['abc', '', 'NaN', '1e999', '1.5e', '0x', 'Infinity', '1.5'];

describe('junk on the command line exits 2 with a message, never a stack trace', () => {
  it('random options with junk values, always including one that cannot parse', async () => {
    const cmds = await subcommands();
    const table = await Promise.all(cmds.map(async (c) => [c, await optionsOf(c)] as const));
    const argv = fc
      .constantFrom(...table)
      .chain(([cmd, opts]) =>
        fc.tuple(
          fc.constant(cmd),
          fc.subarray(opts.filter((o) => o.value)).chain((sub) => fc.tuple(...sub.map((o) => fc.constantFrom(...JUNK).map((v) => [o.flag, v])))),
          opts.some((o) => o.numeric)
            ? fc.tuple(fc.constantFrom(...opts.filter((o) => o.numeric)), fc.constantFrom(...FATAL_NUMBERS)).map(([o, v]) => [o.flag, v])
            : fc.constant(['--no-such-option']),
          fc.nat(),
        ),
      )
      .map(([cmd, junk, fatal, at]) => {
        const flat = junk.flat();
        const i = 2 * (at % (junk.length + 1));
        return [cmd, ...flat.slice(0, i), ...fatal, ...flat.slice(i)];
      });
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const r = await runAhop(args);
        wellBehaved(r, args.join(' '));
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(EXIT.badInput);
        expect(existsSync(join(dir, 'missing'))).toBe(false);
      }),
      { numRuns: RUNS * 2, seed: 3 },
    );
  });
});

// ---------- malformed input files ----------

const matrixSlot: Slot = { path: 'm', kind: 'matrix' };

/** Either a corruption of the value, or its JSON text cut short. */
function brokenText(value: unknown, corrupt: (pos: number) => [string, unknown][]): fc.Arbitrary<[string, string]> {
  const text = toText(value);
  return fc.oneof(
    fc.tuple(fc.nat(), fc.nat()).map(([pos, pick]): [string, string] => {
      const all = corrupt(pos);
      const [what, v] = all[pick % all.length];
      return [what, toText(v)];
    }),
    fc.nat({ max: text.length - 1 }).map((at): [string, string] => [`truncated at byte ${at}`, text.slice(0, at)]),
  );
}

describe('train: malformed memories or variant files exit 2 naming the field; the output is never touched', () => {
  const trainArgs = (m: string, v: string, out: string) => ['train', '--memories', m, '--variant', v, '--out', out, '--epochs', '1', '--pairs', '4', '--batch-size', '2'];
  it('memories', async () => {
    await fc.assert(
      fc.asyncProperty(brokenText(MEMORIES, (pos) => corruptionsOf('matrix', MEMORIES, pos)), async ([what, text]) => {
        const out = sentinel();
        const r = await runAhop(trainArgs(write(text), write(toText({ type: 'noisy', sigma: [0.1, 0.1, 0.1, 0.1] })), out));
        failedCleanly(r, out, `memories ${what}`, ['memories', 'xi']);
      }),
      { numRuns: RUNS, seed: 1 },
    );
  });
  it('variant', async () => {
    const spec = specOf(4);
    await fc.assert(
      fc.asyncProperty(
        spec.chain((s) =>
          fc.tuple(fc.constant(s), fc.constantFrom(...specSlots(s)), fc.nat(), fc.nat(), fc.boolean(), fc.nat()),
        ),
        async ([s, slot, pos, pick, truncate, at]) => {
          const all = slotCorruptions(s as unknown as Args, slot, pos);
          const [what, v] = all[pick % all.length];
          const path = slot.path.split('.');
          const broken = setIn(s, path, v);
          const text = truncate ? toText(s).slice(0, at % toText(s).length) : toText(broken);
          const out = sentinel();
          const r = await runAhop(trainArgs(write(toText(MEMORIES)), write(text), out));
          const label = truncate ? `variant truncated` : `variant ${slot.path} ${what}`;
          // JSON cannot carry -0 or undefined in an array faithfully; either way the file is invalid.
          failedCleanly(r, out, label, truncate ? ['variant'] : [...(slot.names ?? [path[path.length - 1]]), 'variant']);
        },
      ),
      { numRuns: RUNS, seed: 2 },
    );
  });
});

function setIn(o: unknown, path: readonly string[], v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  const copy = (Array.isArray(o) ? [...o] : { ...(o as object) }) as Record<string, unknown>;
  if (rest.length === 0 && v === MISSING) delete copy[head];
  else copy[head] = setIn(copy[head], rest, v);
  return copy;
}

/** One value anywhere in a JSON document replaced by junk, a field deleted, or the text cut short. */
function mutatedDocument(doc: unknown): fc.Arbitrary<[string, string]> {
  const paths: string[][] = [];
  const walk = (v: unknown, p: string[]) => {
    if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (paths.push([...p, k]), walk(x, [...p, k]));
  };
  walk(doc, []);
  const junk: [string, unknown][] = [
    ['null', null],
    ['a string', 'x'],
    ['true', true],
    ['[]', []],
    ['{}', {}],
    ['1e999', Number.POSITIVE_INFINITY],
    ['-1', -1],
    ['0', 0],
    ['2.5', 2.5],
    ['deleted', MISSING],
  ];
  const text = toText(doc);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), fc.constantFrom(...junk)).map(([p, [what, v]]): [string, string] => [`${p.join('.')} ${what}`, toText(setIn(doc, p, v))]),
    fc.nat({ max: text.length - 1 }).map((at): [string, string] => [`truncated at byte ${at}`, text.slice(0, at)]),
  );
}

describe('retrieve: any one value of the model, memories or queries broken: exit 2, or exit 0 with finite outputs', () => {
  it('model, memories, queries', async () => {
    const docs = { model: JSON.parse(model), memories: MEMORIES, queries: QUERIES };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('model', 'memories', 'queries').chain((which) => fc.tuple(fc.constant(which), mutatedDocument(docs[which as keyof typeof docs]))),
        async ([which, [what, text]]) => {
          const files = { model: write(model), memories: write(toText(MEMORIES)), queries: write(toText(QUERIES)), [which]: write(text) };
          const out = sentinel();
          const r = await runAhop(['retrieve', '--model', files.model, '--memories', files.memories, '--queries', files.queries, '--out', out]);
          const label = `${which} ${what}`;
          wellBehaved(r, label);
          expect([EXIT.ok, EXIT.badInput], label).toContain(r.code);
          if (r.code === EXIT.ok) {
            const result = JSON.parse(readFileSync(out, 'utf8'));
            expect(nonFinitePath(result), label).toBeUndefined();
          } else failedCleanly(r, out, label);
        },
      ),
      { numRuns: RUNS * 2, seed: 4 },
    );
  });
  it('a matrix of queries broken in every way the library refuses exits 2 naming the queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (pos, pick) => {
        const all = slotCorruptions({ m: QUERIES }, matrixSlot, pos).filter(([w]) => !/^a flat array/.test(w));
        const [what, v] = all[pick % all.length];
        const out = sentinel();
        const r = await runAhop(['retrieve', '--model', write(model), '--memories', write(toText(MEMORIES)), '--queries', write(toText(v)), '--out', out]);
        failedCleanly(r, out, `queries ${what}`, ['queries']);
      }),
      { numRuns: RUNS, seed: 5 },
    );
  });
});

describe('conformance: --check exits 0, 1 or 2 on any mutated file; --out never leaves a partial file', () => {
  it('--check on a file with one value broken anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedDocument(vectors), async ([what, text]) => {
        const r = await runAhop(['conformance', '--check', write(text)]);
        wellBehaved(r, what);
        if (r.code === EXIT.ok) expect(r.stdout).toMatch(/(\d+) of \1 cases match/);
        if (r.code === EXIT.checkFailed) expect(r.stdout, what).toMatch(/^case \d+ \w+ out\S* expected .*, got /m);
      }),
      { numRuns: RUNS * 2, seed: 6 },
    );
  });
  it('--out with bad --cases or an unwritable path exits 2 and writes nothing', async () => {
    for (const cases of ['0', '-3', '1.5', 'abc']) {
      const out = sentinel();
      failedCleanly(await runAhop(['conformance', '--out', out, '--cases', cases]), out, `--cases ${cases}`, ['--cases', 'cases']);
    }
    const nowhere = join(dir, 'no-such-dir', 'v.json');
    const r = await runAhop(['conformance', '--out', nowhere, '--cases', '7']);
    wellBehaved(r, 'unwritable');
    expect(r.code).toBe(EXIT.badInput);
    expect(r.stderr).toMatch(/cannot write/);
    expect(existsSync(join(dir, 'no-such-dir'))).toBe(false);
  });
  it('--out - writes the vectors to stdout, and nothing else there', async () => {
    const r = await runAhop(['conformance', '--out', '-', '--cases', '7', '--seed', '2']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).cases).toHaveLength(7);
  });
});

describe('output files are replaced atomically (temporary file + rename)', () => {
  it('a write that cannot complete (the target is a directory) leaves the target and the folder as they were', () => {
    const target = join(dir, 'a-directory');
    mkdirSync(target);
    const before = readdirSync(dir).sort();
    expect(() => writeText(target, 'x')).toThrow(ParseError);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(target)).toEqual([]);
  });
  it('a successful write replaces the whole file, with no temporary file left', () => {
    const target = write('OLD CONTENT THAT IS LONGER THAN THE NEW ONE');
    writeText(target, '{}\n');
    expect(readFileSync(target, 'utf8')).toBe('{}\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('real processes: `-` as stdin, and a killed run', () => {
  it('retrieve --queries - --out - reads the queries from stdin and writes the result to stdout', async () => {
    const r = await stdinRun;
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.map((o: { source: number }) => o.source)).toEqual([0, 1]);
  });
  it('train killed while it trains leaves no output file and no temporary file', async () => {
    const r = await killedRun;
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).toMatch(/train \d+\/1000000/);
    expect(existsSync(killedOut)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
