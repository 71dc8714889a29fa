/**
 * Fuzzing helpers: generated malformed arguments and the contract every public entry point
 * keeps under them — the call returns a value with no NaN/±Infinity in it, or throws the project's
 * typed error (AhopError: ShapeError, DomainError, ParseError) whose message names the argument that
 * was broken. Any other throw (TypeError, RangeError, a plain Error) is a violation.
 *
 * A corruption is one change to one argument of an otherwise valid call, so the message can be held
 * to naming exactly that argument.
 */
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { AhopError } from '../../src/errors.ts';

/** AHOP_DEEP=1 multiplies the fuzz runs (docs/reliability.md gives both counts). */
export const DEEP = process.env.AHOP_DEEP === '1';
export const DEEP_FACTOR = 20;
export const runs = (fast: number): number => (DEEP ? fast * DEEP_FACTOR : fast);

/** Path of the first NaN or ±Infinity anywhere inside a value (arrays, typed arrays, objects), or undefined. */
export function nonFinitePath(v: unknown, path = 'out', seen = new Set<unknown>()): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${path} = ${v}`;
  if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
  seen.add(v);
  if (ArrayBuffer.isView(v)) {
    const a = v as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return `${path}[${i}] = ${a[i]}`;
    return undefined;
  }
  for (const [k, x] of Object.entries(v)) {
    const p = nonFinitePath(x, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`, seen);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Thrown from a property when the contract is broken; fast-check reports it with the input. */
export class Violation extends Error {}

/**
 * AHOP_FUZZ_REPORT=1 lists every distinct violation a run meets instead of stopping at the first
 * (printed when the file finishes): `AHOP_FUZZ_REPORT=1 npx vitest run properties/fuzz-baselines.test.ts`.
 */
const REPORT = process.env.AHOP_FUZZ_REPORT === '1';
const seen = new Map<string, number>();
if (REPORT) {
  afterAll(() => {
    const lines = [...seen].map(([k, n]) => `  ${n}× ${k}`);
    console.log(`fuzz violations (${seen.size} distinct):\n${lines.join('\n')}`);
  });
}
function record(e: Violation): void {
  const key = e.message.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#').slice(0, 220);
  seen.set(key, (seen.get(key) ?? 0) + 1);
}

const describeError = (e: unknown): string =>
  e instanceof Error ? `${e.constructor.name}: ${e.message}` : `a thrown ${typeof e} ${String(e)}`;

/**
 * Runs `f`: a returned value must hold no NaN/±Infinity; a throw must be an AhopError. Returns what
 * happened. Anything else throws a Violation.
 */
export function typedOrFinite(f: () => unknown): { value: unknown } | { error: AhopError } {
  let value: unknown;
  try {
    value = f();
  } catch (e) {
    if (e instanceof AhopError) return { error: e };
    throw new Violation(`untyped error (not an AhopError): ${describeError(e)}`);
  }
  const bad = nonFinitePath(value);
  if (bad !== undefined) throw new Violation(`non-finite output for finite inputs: ${bad}`);
  return { value };
}

/** True when `message` mentions `name` as a whole word ("x" is not found in "xi", "sigma" is found in "sigma[2]"). */
export function names(message: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<!\\w)${escaped}(?!\\w)`).test(message);
}

/** The call must throw an AhopError whose message names one of `candidates` (the broken argument). */
export function rejectsNaming(f: () => unknown, candidates: readonly string[]): AhopError {
  const r = typedOrFinite(f);
  if (!('error' in r)) throw new Violation(`accepted a malformed argument (expected an error naming ${candidates.join(' or ')})`);
  if (!candidates.some((n) => names(r.error.message, n))) {
    throw new Violation(`the message does not name ${candidates.join(' or ')}: ${r.error.name}: ${r.error.message}`);
  }
  return r.error;
}

// ---------- corruptions ----------

/** How a slot's value may be broken. */
export type SlotKind =
  | 'number' // any finite number
  | 'positive' // > 0 (σ, β, lr)
  | 'unit' // in [0, 1) (ρ, Adam's β1, β2)
  | 'count' // integer > 0 (epochs, pairs, N)
  | 'natural' // integer >= 0 (steps)
  | 'index' // integer in [0, N)
  | 'seed' // a safe integer
  | 'vector' // non-empty array of finite numbers, length fixed by the call
  | 'positiveVector' // … all > 0
  | 'numberOrVector' // a finite number or a 'vector' (a per-dimension parameter: bias)
  | 'positiveOrVector' // a number > 0 or a 'positiveVector' (σ)
  | 'matrix' // non-empty rectangular array of finite rows
  | 'object' // an object of fields
  | 'footprint' // { sort: boolean, cumulative: boolean }
  | 'custom'; // only the slot's `extra` corruptions

/** Marks a field to delete rather than set. */
export const MISSING = Symbol('missing');

/** A value that is not a number at all, or not finite. */
const NOT_A_NUMBER: readonly [string, unknown][] = [
  ['NaN', Number.NaN],
  ['+Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['a numeric string', '1'],
  ['null', null],
  ['undefined', undefined],
  ['an array', [1]],
  ['an object', {}],
  ['a boolean', true],
];

const NOT_AN_ARRAY: readonly [string, unknown][] = [
  ['a number', 3],
  ['a string', 'x'],
  ['null', null],
  ['undefined', undefined],
  ['an object', { 0: 1, length: 1 }],
];

/** Every way this project breaks a value of a kind; `pos` picks an entry or row to break. */
export function corruptionsOf(kind: SlotKind, value: unknown, pos: number): [string, unknown][] {
  switch (kind) {
    case 'number':
      return [...NOT_A_NUMBER];
    case 'positive':
      return [...NOT_A_NUMBER, ['zero', 0], ['-0', -0], ['negative', -1], ['a tiny negative', -1e-300]];
    case 'unit':
      return [...NOT_A_NUMBER, ['one', 1], ['above one', 1.5], ['negative', -0.1], ['just below zero', -1e-17]];
    case 'count':
      return [...NOT_A_NUMBER, ['zero', 0], ['negative', -1], ['a fraction', 1.5]];
    case 'natural':
      return [...NOT_A_NUMBER, ['negative', -1], ['a fraction', 0.5]];
    case 'index':
      return [...NOT_A_NUMBER, ['negative', -1], ['a fraction', 0.5], ['out of range', 1e9]];
    case 'seed':
      return [...NOT_A_NUMBER, ['a fraction', 1.5], ['beyond 2^53', 2 ** 60]];
    case 'footprint':
      return [
        ['null', null],
        ['a number', 1],
        ['a string', 'sort'],
        ['an array', [true, true]],
        ['an empty object', {}],
        ['sort not a boolean', { sort: 'yes', cumulative: true }],
        ['cumulative missing', { sort: true }],
      ];
    case 'custom':
      return [];
    case 'numberOrVector':
    case 'positiveOrVector': {
      const positive = kind === 'positiveOrVector';
      // A number where a vector was given (or a vector where a number was) is valid here: refuse the rest.
      if (Array.isArray(value)) return corruptionsOf(positive ? 'positiveVector' : 'vector', value, pos).filter(([what]) => what !== 'a number');
      const bad: [string, unknown][] = [
        ...corruptionsOf(positive ? 'positive' : 'number', value, pos).filter(([what]) => what !== 'an array'),
        ['an empty array', []],
        ['an array holding a string', ['1']],
        ['an array nested one level deeper', [[1]]],
        ['an array holding NaN', [Number.NaN]],
      ];
      if (positive) bad.push(['an array holding zero', [0]], ['an array holding a negative', [-1]]);
      return bad;
    }
    case 'vector':
    case 'positiveVector': {
      const v = value as number[];
      const i = pos % v.length;
      const at = (x: unknown) => v.map((e, j) => (j === i ? x : e));
      const out: [string, unknown][] = [
        ['empty (d = 0)', []],
        ['one entry too many', [...v, 1]],
        ['an entry NaN', at(Number.NaN)],
        ['an entry +Infinity', at(Number.POSITIVE_INFINITY)],
        ['an entry -Infinity', at(Number.NEGATIVE_INFINITY)],
        ['an entry a string', at('1')],
        ['an entry null', at(null)],
        ['an entry an array', at([1])],
        ['nested one level deeper', [v]],
        ...NOT_AN_ARRAY,
      ];
      if (v.length > 1) out.push(['one entry too few', v.slice(1)]);
      if (kind === 'positiveVector') out.push(['an entry zero', at(0)], ['an entry negative', at(-1)]);
      return out;
    }
    case 'matrix': {
      const m = value as number[][];
      const k = pos % m.length;
      const d = m[0].length;
      const i = Math.floor(pos / m.length) % d;
      const row = (r: unknown) => m.map((e, j) => (j === k ? r : e));
      const cell = (x: unknown) => row(m[k].map((e, j) => (j === i ? x : e)));
      const out: [string, unknown][] = [
        ['no rows (N = 0)', []],
        ['every row one entry longer (d mismatch)', m.map((r) => [...r, 0])],
        ['a row one entry longer (ragged)', row([...m[k], 0])],
        ['a row empty', row([])],
        ['a row not an array', row('x')],
        ['a row null', row(null)],
        ['a cell NaN', cell(Number.NaN)],
        ['a cell +Infinity', cell(Number.POSITIVE_INFINITY)],
        ['a cell -Infinity', cell(Number.NEGATIVE_INFINITY)],
        ['a cell a string', cell('0')],
        ['a cell null', cell(null)],
        ['a flat array (one row, unwrapped)', m[0]],
        ...NOT_AN_ARRAY,
      ];
      if (d > 1) out.push(['every row one entry shorter (d mismatch)', m.map((r) => r.slice(1))]);
      if (m.length > 1 && d > 1) out.push(['a row one entry shorter (ragged)', row(m[k].slice(1))]);
      return out;
    }
    case 'object':
      return [
        ['null', null],
        ['undefined', undefined],
        ['a number', 1],
        ['a string', 'x'],
        ['an array', []],
        ['an empty object', {}],
      ];
  }
}

export type Args = Record<string, unknown>;

/** A named argument (a dotted path into the call's arguments) and its kind. */
export interface Slot {
  path: string;
  kind: SlotKind;
  /** Words one of which the error message must name; defaults to the last part of the path. */
  names?: readonly string[];
  /** The argument may be left out (undefined): that corruption is skipped. */
  optional?: boolean;
  /** The vector's length is free (it defines d): length changes are skipped. */
  anyLength?: boolean;
  /** More corruptions that need the whole call (low ≥ high, weights off by 1e-3, a length tied to N). */
  extra?: (args: Args) => [string, unknown][];
}

export interface Corrupted {
  args: Args;
  slot: string;
  what: string;
  names: readonly string[];
}

function getPath(o: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((acc, k) => (acc as Record<string, unknown>)[k], o);
}

function setPath(o: unknown, path: readonly string[], v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = Array.isArray(o) ? ([...o] as unknown as Record<string, unknown>) : { ...(o as object) };
  if (rest.length === 0 && v === MISSING) delete copy[head];
  else copy[head] = setPath(copy[head], rest, v);
  return copy;
}

/** Every corruption of one slot of a valid call. */
export function slotCorruptions(args: Args, slot: Slot, pos: number): [string, unknown][] {
  const path = slot.path.split('.');
  const all = [...corruptionsOf(slot.kind, getPath(args, path), pos), ...(slot.extra?.(args) ?? [])];
  return all.filter(([what, v]) => !(slot.optional && v === undefined) && !(slot.anyLength && /one entry too (many|few)/.test(what)));
}

/** A valid call broken at exactly one slot, in one of the ways `corruptionsOf` lists. */
export function corrupted(valid: fc.Arbitrary<Args>, slots: readonly Slot[]): fc.Arbitrary<Corrupted> {
  return fc
    .tuple(valid, fc.constantFrom(...slots), fc.nat(), fc.nat())
    .map(([args, slot, pos, pick]) => {
      const path = slot.path.split('.');
      const options = slotCorruptions(args, slot, pos);
      const [what, v] = options[pick % options.length];
      return {
        args: setPath(args, path, v) as Args,
        slot: slot.path,
        what,
        names: slot.names ?? [path[path.length - 1]],
      };
    });
}

/** The corrupted call must be refused with a typed error naming the broken argument. */
export function mustRefuse(c: Corrupted, call: (args: Args) => unknown): void {
  try {
    rejectsNaming(() => call(c.args), c.names);
  } catch (e) {
    if (!(e instanceof Violation)) throw e;
    const v = new Violation(`${c.slot} ${c.what}: ${e.message}`);
    if (REPORT) record(v);
    else throw v;
  }
}

/** Property: every corruption of the call is rejected with a typed error naming the broken argument. */
export function rejectsEveryCorruption(
  valid: fc.Arbitrary<Args>,
  slots: readonly Slot[],
  call: (args: Args) => unknown,
  /** Corruptions that happen to form a valid call for this function (checked for finiteness only). */
  valid_when?: (c: Corrupted) => boolean,
) {
  return fc.property(corrupted(valid, slots), (c) => {
    if (valid_when?.(c)) guarded(() => typedOrFinite(() => call(c.args)));
    else mustRefuse(c, call);
  });
}

/** Property: on valid arguments the call returns a finite value or a typed error (overflow at extreme magnitudes). */
export function finiteOrTyped(valid: fc.Arbitrary<Args>, call: (args: Args) => unknown) {
  return fc.property(valid, (args) => guarded(() => typedOrFinite(() => call(args))));
}

/** Runs a check; under AHOP_FUZZ_REPORT=1 a Violation is recorded instead of thrown. */
export function guarded(check: () => unknown): void {
  try {
    check();
  } catch (e) {
    if (REPORT && e instanceof Violation) record(e);
    else throw e;
  }
}

/** Finite doubles of every magnitude: 0, denormals, 1e-300 … 1e300, either sign. */
export const anyMagnitude: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc
    .tuple(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -300, max: 300 }))
    .map(([m, e]) => (m / 2 ** 20) * 10 ** e),
);
