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

/**
 * Throws ParseError (or another AhopError) when the file is malformed; otherwise reports mismatches.
 * Every output value v of a case is recomputed by the reference as r and passes when |v − r| ≤ abs + rel · |r|.
 * @example
 * ```ts
 * import { checkConformance, exportConformance } from 'ahop';
 * const file = exportConformance({ seed: 2, cases: 7 });
 * if (checkConformance(JSON.stringify(file)).failedCases !== 0) throw new Error('the reference agrees with its own file');
 * const tampered = JSON.parse(JSON.stringify(file));
 * const k = tampered.cases.findIndex((c: { out: { energy?: unknown } }) => typeof c.out.energy === 'number');
 * tampered.cases[k].out.energy += 1;
 * if (checkConformance(JSON.stringify(tampered)).failedCases !== 1) throw new Error('an energy off by 1 is caught');
 * ```
 */
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
