/**
 * Memories and queries from a file, picked by extension: `.json` (an array of rows), `.csv` (one row
 * per line, comma-separated numbers, an optional header line) or `.npy` (a 2-D float64 or float32
 * NumPy array, N × d). `-` reads JSON from standard input.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseNpy } from 'npyjs';
import { DomainError, ParseError, ShapeError } from '../errors.ts';
import { checkMatrix } from '../validate.ts';
import { readJson } from './io.ts';

export const MATRIX_FORMATS = ['.json', '.csv', '.npy'] as const;

function extension(path: string, accepted: readonly string[], what: string): string {
  if (path === '-') return '.json';
  const ext = extname(path).toLowerCase();
  if (!accepted.includes(ext)) {
    throw new ParseError(`${what} (${path}): unknown file type "${ext || '(none)'}"; accepted formats: ${accepted.join(', ')} (- reads JSON from standard input)`);
  }
  return ext;
}

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ParseError(`cannot read ${what} (${path}): ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A cell of a numeric table: a finite number, or a DomainError naming the row and column. */
function cellNumber(cell: string, what: string, row: number, col: number): number {
  const v = cell.trim() === '' ? Number.NaN : Number(cell);
  if (!Number.isFinite(v)) throw new DomainError(`${what}[${row}][${col}] must be a finite number, got ${JSON.stringify(cell)}`);
  return v;
}

export interface CsvTable {
  header: string[] | undefined;
  rows: string[][];
}

/** CSV rows; the first line is a header when one of its cells is not a number. */
export function readCsvTable(path: string, what: string): CsvTable {
  let records: string[][];
  try {
    records = parseCsv(readBytes(path, what), { skip_empty_lines: true, trim: true, comment: '#' });
  } catch (e) {
    throw new ParseError(`${what} (${path}) is not valid CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new ShapeError(`${what} (${path}) has no rows`);
  const first = records[0];
  const isHeader = first.some((c) => c.trim() === '' || !Number.isFinite(Number(c)));
  return isHeader ? { header: first, rows: records.slice(1) } : { header: undefined, rows: records };
}

function csvMatrix(path: string, what: string): number[][] {
  const { rows } = readCsvTable(path, what);
  return rows.map((r, k) => r.map((c, i) => cellNumber(c, what, k, i)));
}

function npyMatrix(path: string, what: string): number[][] {
  const bytes = readBytes(path, what);
  let a;
  try {
    a = parseNpy(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw new ParseError(`${what} (${path}) is not a readable .npy file: ${(e as Error).message}`);
  }
  if (a.dtype !== 'f8' && a.dtype !== 'f4') {
    throw new ParseError(`${what} (${path}) has dtype ${a.dtype}; accepted: float64 (f8) or float32 (f4) — convert with arr.astype(np.float64)`);
  }
  if (a.shape.length !== 2) {
    throw new ShapeError(`${what} (${path}) must be a 2-D array (N × d), got shape (${a.shape.join(', ')})`);
  }
  const [n, d] = a.shape;
  const data = a.data as Float64Array | Float32Array;
  // Fortran order stores columns one after another.
  const at = a.fortranOrder ? (k: number, i: number) => data[i * n + k] : (k: number, i: number) => data[k * d + i];
  return Array.from({ length: n }, (_, k) => Array.from({ length: d }, (_, i) => at(k, i)));
}

/**
 * An N × d matrix from a .json, .csv or .npy file (by extension), checked (rectangular, finite,
 * `cols` columns when given); errors name `what` and the bad row and column.
 */
export function readMatrixFile(path: string, what: string, cols?: number): number[][] {
  const ext = extension(path, MATRIX_FORMATS, what);
  const raw = ext === '.csv' ? csvMatrix(path, what) : ext === '.npy' ? npyMatrix(path, what) : readJson(path, what);
  return checkMatrix(what, raw, cols);
}

export { extension as fileExtension };
