/**
 * Fuzzing the conformance checker: another backend's file is untrusted input. Claims: a
 * file cut at any byte, or with any one value anywhere replaced by a wrong JSON type, a non-finite
 * number (1e999), a deleted or an unknown field, is either checked (a report whose numbers are all
 * finite) or refused with a typed error — never a TypeError. A value of `out` moved by 1e-3
 * relative is reported as a mismatch of exactly that case and field (exit 1), not as a malformed
 * file (exit 2). Exporting refuses a non-positive or fractional case count and a bad seed by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/errors.ts';
import { checkConformance } from '../src/conformance/check.ts';
import { compareOut } from '../src/conformance/compare.ts';
import { exportConformance } from '../src/conformance/export.ts';
import { REFERENCE_TOLERANCE, type Out } from '../src/conformance/format.ts';
import { KINDS } from '../src/conformance/kinds.ts';
import { rejectsEveryCorruption, runs, typedOrFinite, Violation, type Args } from './support/fuzz.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const RUNS = runs(120);

/** Two cases of every kind (the exporter cycles through the kinds). */
const file = exportConformance({ seed: 11, cases: 2 * KINDS.size });
const text = JSON.stringify(file);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path into a JSON value (the root excluded), as arrays of keys. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...paths(x, [...prefix, i])]);
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...paths(x, [...prefix, k])]);
  return [];
}

const DELETE = Symbol('delete');
const ADD_FIELD = Symbol('add a field');
const REPLACEMENTS: [string, unknown][] = [
  ['null', null],
  ['a string', 'x'],
  ['a boolean', true],
  ['an empty array', []],
  ['an empty object', {}],
  ['+Infinity (1e999)', Number.POSITIVE_INFINITY],
  ['-Infinity (-1e999)', Number.NEGATIVE_INFINITY],
  ['zero', 0],
  ['negative', -1],
  ['a fraction', 0.5],
  ['a large integer', 1e9],
  ['deleted', DELETE],
  ['with an unknown field', ADD_FIELD],
];

/** JSON text with ±Infinity written as ±1e999 (JSON.parse reads them back as ±Infinity). */
const toText = (v: unknown) =>
  JSON.stringify(v, (_, x) => (x === Number.POSITIVE_INFINITY ? '@@1e999@@' : x === Number.NEGATIVE_INFINITY ? '@@-1e999@@' : x)).replace(/"@@(-?1e999)@@"/g, '$1');

function mutate(root: Json, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, copy);
  const key = path[path.length - 1];
  if (replacement === DELETE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (replacement === ADD_FIELD) {
    const target = parent[key];
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) (target as Args).unexpected = 1;
    else if (Array.isArray(target)) target.push(0);
    else parent[key] = { unexpected: 1 };
  } else parent[key] = replacement;
  return copy;
}

const allPaths = paths(JSON.parse(text) as Json);
const mutation = fc.record({ path: fc.constantFrom(...allPaths), replacement: fc.constantFrom(...REPLACEMENTS) });

/** Property: any one mutation of a valid file is checked (finite report) or refused with a typed error. */
const everyMutationHandled = (check: (t: string) => unknown) =>
  fc.property(mutation, ({ path, replacement: [what, value] }) => {
    try {
      typedOrFinite(() => check(toText(mutate(JSON.parse(text) as Json, path, value))));
    } catch (e) {
      if (e instanceof Violation) throw new Violation(`${path.join('.')} ${what}: ${e.message}`);
      throw e;
    }
  });

describe('conformance --check on fuzzed files', () => {
  it(`the file as exported passes (${file.cases.length} cases, every kind)`, () => {
    const r = checkConformance(text);
    expect(r.failedCases).toBe(0);
    expect(new Set(file.cases.map((c) => c.kind))).toEqual(new Set(KINDS.keys()));
  });
  it('any one value replaced, deleted or extended anywhere: a finite report or a typed error', () =>
    expectHolds(everyMutationHandled(checkConformance), { numRuns: RUNS }));
  it('… and a checker that trusts the input shapes is caught', () =>
    expectCounterexample(
      everyMutationHandled((t) => {
        const j = JSON.parse(t);
        return j.cases.map((c: { out: { scores?: number[] } }) => c.out.scores?.map((v) => v * 2));
      }),
    ));
  it('a file cut at any byte is a ParseError', () =>
    expectHolds(
      fc.property(fc.nat({ max: text.length - 1 }), (at) => {
        expect(() => checkConformance(text.slice(0, at))).toThrow(ParseError);
      }),
      { numRuns: RUNS },
    ));
  it('an output moved by 1e-3 relative is a mismatch of exactly that case and field, not a malformed file', () => {
    const numeric = allPaths.filter((p) => p[2] === 'out' && p[0] === 'cases').filter((p) => {
      const v = p.reduce<unknown>((o, k) => (o as Args)[k], JSON.parse(text));
      return typeof v === 'number' && Math.abs(v) > 1e-6;
    });
    expectHolds(
      fc.property(fc.constantFrom(...numeric), (p) => {
        const j = JSON.parse(text);
        const parent = p.slice(0, -1).reduce<Args>((o, k) => o[k] as Args, j);
        const key = p[p.length - 1];
        parent[key] = (parent[key] as number) * (1 + 1e-3);
        const r = checkConformance(JSON.stringify(j));
        const field = ['out', ...p.slice(3)].map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
        return r.failedCases === 1 && r.failures.length === 1 && r.failures[0].index === p[1] && r.failures[0].field === field.replace(/^out\./, 'out.');
      }),
      { numRuns: Math.min(RUNS, numeric.length * 2) },
    );
  });
});

describe('compareOut and exportConformance refuse malformed arguments by name', () => {
  const expected: Out = { scores: [1, 2], probs: [0.5, 0.5], energy: -3 };
  const got = fc.oneof(
    fc.constant<unknown>({ scores: [1, 2], probs: [0.5, 0.5], energy: -3 }),
    fc.jsonValue(),
    fc.record({ scores: fc.jsonValue(), probs: fc.array(fc.double()), energy: fc.double() }),
  );
  it('compareOut(expected, got): mismatches or a ParseError for any JSON `got`', () =>
    expectHolds(
      fc.property(got, (g) => {
        typedOrFinite(() => compareOut(expected, g, REFERENCE_TOLERANCE, []));
      }),
      { numRuns: RUNS },
    ));
  it('exportConformance({ seed, cases })', () =>
    expectHolds(
      rejectsEveryCorruption(
        fc.record({ options: fc.record({ seed: fc.nat(), cases: fc.constant(1) }) }),
        [
          { path: 'options', kind: 'object', names: ['options', 'cases', '--cases'] },
          { path: 'options.seed', kind: 'seed', names: ['seed'] },
          { path: 'options.cases', kind: 'count', names: ['--cases', 'cases'] },
        ],
        (a) => exportConformance(a.options as never),
      ),
      { numRuns: 60 },
    ));
});
