/**
 * Boundary checks shared by every public entry point. Internals assume validated input.
 */
import { DomainError, ShapeError } from './errors.ts';

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v;
}

/** A finite number. */
export function checkFinite(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new DomainError(`${name} must be a number, got ${describe(v)}`);
  if (!Number.isFinite(v)) throw new DomainError(`${name} must be finite, got ${v}`);
  return v;
}

/** A finite number > 0. */
export function checkPositive(name: string, v: unknown): number {
  const x = checkFinite(name, v);
  if (!(x > 0)) throw new DomainError(`${name} must be > 0, got ${x}`);
  return x;
}

/** A non-empty array of finite numbers, of length `length` when given. */
export function checkVector(name: string, v: unknown, length?: number): number[] {
  if (!Array.isArray(v) && !(v instanceof Float64Array)) {
    throw new ShapeError(`${name} must be an array of numbers, got ${describe(v)}`);
  }
  const arr = Array.from(v as ArrayLike<unknown>);
  if (arr.length === 0) throw new ShapeError(`${name} must not be empty (d = 0)`);
  if (length !== undefined && arr.length !== length) {
    throw new ShapeError(`${name} must have length ${length}, got ${arr.length}`);
  }
  arr.forEach((x, i) => checkFinite(`${name}[${i}]`, x));
  return arr as number[];
}

/** A non-empty rectangular matrix of finite numbers with `cols` columns when given. */
export function checkMatrix(name: string, m: unknown, cols?: number): number[][] {
  if (!Array.isArray(m)) throw new ShapeError(`${name} must be an array of rows, got ${describe(m)}`);
  if (m.length === 0) throw new ShapeError(`${name} must have at least one row (N = 0)`);
  const width = cols ?? (Array.isArray(m[0]) ? m[0].length : undefined);
  return m.map((row, k) => {
    if (!Array.isArray(row) && !(row instanceof Float64Array)) {
      throw new ShapeError(`${name}[${k}] must be an array of numbers, got ${describe(row)}`);
    }
    if (width !== undefined && row.length !== width) {
      throw new ShapeError(
        cols === undefined
          ? `${name} is ragged: row 0 has length ${width}, row ${k} has length ${row.length}`
          : `${name}[${k}] must have length ${width}, got ${row.length}`,
      );
    }
    return checkVector(`${name}[${k}]`, row);
  });
}

/** An integer index in [0, n). */
export function checkIndex(name: string, v: unknown, n: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n) {
    throw new DomainError(`${name} must be an integer in [0, ${n}), got ${String(v)}`);
  }
  return v;
}

/** A flat row-major Float64Array of `rows` × d finite numbers (the batched layout). */
export function checkFlat(name: string, a: unknown, rows: number, d: number): Float64Array {
  if (!(a instanceof Float64Array)) throw new ShapeError(`${name} must be a Float64Array`);
  if (!Number.isInteger(rows) || rows <= 0) throw new ShapeError(`${name} must have at least one row, got ${rows}`);
  if (a.length !== rows * d) throw new ShapeError(`${name} must have ${rows}×${d} = ${rows * d} entries, got ${a.length}`);
  // Name the entry only when it is bad: building a name for each of N·d = 640k entries took ~40 ms.
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) checkFinite(`${name}[${Math.floor(i / d)}][${i % d}]`, a[i]);
  return a;
}

/**
 * The batched scorers' layout: d ≥ 1, memories N×d and queries B×d as flat row-major Float64Arrays
 * of finite numbers.
 */
export function checkBatchLayout(memories: unknown, n: number, d: number, queries: unknown, b: number): void {
  if (!Number.isInteger(d) || d <= 0) throw new ShapeError(`d must be a positive integer, got ${d}`);
  checkFlat('memories', memories, n, d);
  checkFlat('queries', queries, b, d);
}

/** A retrieval problem's data: memories Ξ (N×d) and a query x of the same d, every number finite. */
export function checkMemoriesQuery(memories: unknown, query: unknown): { memories: number[][]; query: number[] } {
  const xi = checkMatrix('memories', memories);
  const d = xi[0].length;
  const x = checkVector('query', query);
  if (x.length !== d) throw new ShapeError(`query has length ${x.length} but memories have d = ${d}`);
  return { memories: xi, query: x };
}
