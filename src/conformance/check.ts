/**
 * `ahop conformance --check`: recompute every case with the reference and compare with the file's
 * outputs. The tolerance is the checker's, never the checked file's: the reference's float64 tolerance
 * unless the caller asks for a looser one, and a file's own `tolerance` can only make it stricter.
 */
import { AhopError, ParseError } from '../errors.ts';
import { parseWith } from '../schema/parse.ts';
import { compareOut, type Mismatch } from './compare.ts';
import { parseConformance, REFERENCE_TOLERANCE, type ConformanceFile, type Tolerance } from './format.ts';
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
  /** The tolerance that was applied: min(the checker's, the file's), component by component. */
  tolerance: Tolerance;
}

export interface CheckOptions {
  /** The checker's tolerance (default REFERENCE_TOLERANCE); the only way to check more loosely than float64. */
  tolerance?: Tolerance;
}

/**
 * The tolerance applied to a file: rel = min(checker.rel, file.rel), abs = min(checker.abs, file.abs).
 * A file's declared tolerance is what its writer claims, so it may tighten the check but never loosen it.
 *
 * @example
 * ```ts
 * import { appliedTolerance } from './check.ts';
 * const t = appliedTolerance({ rel: 1e-9, abs: 1e-12 }, { rel: 1, abs: 1 });
 * if (t.rel !== 1e-9 || t.abs !== 1e-12) throw new Error('a file may tighten the check, never loosen it');
 * ```
 */
export function appliedTolerance(checker: Tolerance, file: Tolerance): Tolerance {
  return { rel: Math.min(checker.rel, file.rel), abs: Math.min(checker.abs, file.abs) };
}

/**
 * Throws ParseError (or another AhopError) when the file is malformed; otherwise reports mismatches.
 * Every output value v of a case is recomputed by the reference as r and passes when |v − r| ≤ abs + rel · |r|,
 * with (rel, abs) = appliedTolerance(options.tolerance ?? REFERENCE_TOLERANCE, the file's tolerance).
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
export function checkConformance(text: string, options: CheckOptions = {}): CheckReport {
  const file: ConformanceFile = parseConformance(text);
  const tolerance = appliedTolerance(options.tolerance ?? REFERENCE_TOLERANCE, file.tolerance);
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
      if (kind.schema !== undefined) parseWith(kind.schema, c, 'case');
      const inputs = kind.parse(c);
      mismatches = compareOut(kind.compute(inputs), c.out, tolerance, kind.integerFields);
    } catch (e) {
      if (e instanceof AhopError) throw new ParseError(`${where}: ${e.message}`);
      throw e;
    }
    if (mismatches.length > 0) failedCases++;
    failures.push(...mismatches.map((m) => ({ index, kind: c.kind, ...m })));
  });
  return { cases: file.cases.length, failures, failedCases, tolerance };
}
