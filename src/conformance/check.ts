/**
 * `ahop conformance --check`: recompute every case with the reference and compare with the file's
 * outputs under the file's tolerance.
 */
import { AhopError, ParseError } from '../errors.ts';
import { compareOut, type Mismatch } from './compare.ts';
import { parseConformance, type ConformanceFile } from './format.ts';
import { KINDS } from './kinds.ts';

export interface CaseFailure extends Mismatch {
  index: number;
  kind: string;
}

export interface CheckReport {
  cases: number;
  failures: CaseFailure[];
  /** Cases with at least one failing field. */
  failedCases: number;
}

/** Throws ParseError (or another AhopError) when the file is malformed; otherwise reports mismatches. */
export function checkConformance(text: string): CheckReport {
  const file: ConformanceFile = parseConformance(text);
  const failures: CaseFailure[] = [];
  let failedCases = 0;
  file.cases.forEach((c, index) => {
    const where = `cases[${index}] (${c.kind})`;
    const kind = KINDS.get(c.kind);
    if (kind === undefined) {
      throw new ParseError(`${where}: unknown kind "${c.kind}"; known kinds: ${[...KINDS.keys()].join(', ')}`);
    }
    let mismatches: Mismatch[];
    try {
      const inputs = kind.parse(c);
      mismatches = compareOut(kind.compute(inputs), c.out, file.tolerance, kind.integerFields);
    } catch (e) {
      if (e instanceof AhopError) throw new ParseError(`${where}: ${e.message}`);
      throw e;
    }
    if (mismatches.length > 0) failedCases++;
    failures.push(...mismatches.map((m) => ({ index, kind: c.kind, ...m })));
  });
  return { cases: file.cases.length, failures, failedCases };
}
