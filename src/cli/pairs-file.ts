/**
 * The user's own training pairs (query, source index) for `ahop train --pairs FILE`:
 * JSON `{ "queries": [[…], …], "targets": [k, …] }` (PairsFileSchema, schemas/pairs.schema.json), or
 * CSV with a header line whose `target` column holds the source index and whose other columns hold
 * the query (d numbers per row).
 */
import { DomainError, ParseError } from '../errors.ts';
import { parseWith } from '../schema/parse.ts';
import { PairsFileSchema, type Pairs } from '../train/pairs.ts';
import { checkIndex, checkMatrix } from '../validate.ts';
import { readJson } from './io.ts';
import { fileExtension, readCsvTable } from './matrix-file.ts';

export const PAIRS_FORMATS = ['.json', '.csv'] as const;

function csvPairs(path: string): { queries: number[][]; targets: number[] } {
  const { header, rows } = readCsvTable(path, 'pairs');
  const col = header?.findIndex((h) => h.trim().toLowerCase() === 'target') ?? -1;
  if (header === undefined || col < 0) {
    throw new ParseError(`pairs (${path}): a CSV of pairs needs a header line with a "target" column (the source index); the other columns are the query`);
  }
  const cell = (c: string | undefined, name: string): number => {
    const v = c === undefined || c.trim() === '' ? Number.NaN : Number(c);
    if (!Number.isFinite(v)) throw new DomainError(`${name} must be a finite number, got ${JSON.stringify(c ?? '')}`);
    return v;
  };
  return {
    queries: rows.map((r, k) => r.filter((_, i) => i !== col).map((c, i) => cell(c, `pairs.queries[${k}][${i}]`))),
    targets: rows.map((r, k) => cell(r[col], `pairs.targets[${k}]`)),
  };
}

/**
 * Reads training pairs for memories of N rows and d columns; every query must have d numbers and
 * every target must be an index in [0, N).
 */
export function readPairsFile(path: string, n: number, d: number): Pairs {
  const ext = fileExtension(path, PAIRS_FORMATS, 'pairs');
  const raw = ext === '.csv' ? csvPairs(path) : parseWith(PairsFileSchema, readJson(path, 'pairs'), 'pairs');
  const queries = checkMatrix('pairs.queries', raw.queries, d);
  if (raw.targets.length !== queries.length) {
    throw new DomainError(`pairs.targets must have one index per query: ${queries.length} queries, ${raw.targets.length} targets`);
  }
  const targets = raw.targets.map((t, i) => checkIndex(`pairs.targets[${i}]`, t, n));
  return { queries, targets };
}
