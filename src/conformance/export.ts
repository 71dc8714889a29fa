/**
 * `ahop conformance --out`: draws random and edge-case inputs (seeded), keeps a case only when the
 * float64 reference and the 64-digit computation agree to a tenth of the tolerance (and, for the
 * posterior, the argmax is clear), and writes the 64-digit values rounded to doubles.
 */
import { DomainError } from '../errors.ts';
import { createRng } from '../random/rng.ts';
import { compareOut } from './compare.ts';
import {
  CONFORMANCE_FORMAT,
  CONFORMANCE_VERSION,
  REFERENCE_TOLERANCE,
  type ConformanceCase,
  type ConformanceFile,
  type Out,
  type Tolerance,
} from './format.ts';
import { FLAVORS, KINDS, type CaseKind } from './kinds.ts';

/** A posterior's top two log-probabilities must differ by at least this much. */
const ARGMAX_GAP = 1e-6;
const MAX_REDRAWS = 1000;

/** Another backend's outputs for the kinds it implements (gpu.js writes float32 results this way). */
export interface ExportBackend {
  name: string;
  tolerance: Tolerance;
  compute: Partial<Record<string, (inputs: unknown) => Out>>;
}

export interface ExportOptions {
  seed: number;
  cases: number;
  backend?: ExportBackend;
  /** Only these kinds (all the reference knows when absent), cycled in this order. */
  kinds?: readonly string[];
}

function clearArgmax(out: Out): boolean {
  const lp = (out as { logPosterior: number[] }).logPosterior;
  const sorted = [...lp].sort((a, b) => b - a);
  return sorted.length < 2 || sorted[0] - sorted[1] > ARGMAX_GAP;
}

function wellConditioned(kind: CaseKind<unknown>, inputs: unknown, exact: Out): boolean {
  const strict: Tolerance = { rel: REFERENCE_TOLERANCE.rel / 10, abs: REFERENCE_TOLERANCE.abs / 10 };
  if (compareOut(exact, kind.compute(inputs), strict, kind.integerFields).length > 0) return false;
  return kind.kind !== 'posterior' || clearArgmax(exact);
}

/**
 * Each case's `out` = the reference's outputs for its inputs, computed in 64-digit arithmetic and rounded to float64;
 * ill-conditioned draws are redrawn. The file states tolerance = { rel: 1e-9, abs: 1e-12 }.
 * @example
 * ```ts
 * import { exportConformance } from 'ahop';
 * const file = exportConformance({ seed: 1, cases: 7 });
 * if (file.cases.length !== 7 || file.tolerance.rel !== 1e-9) throw new Error('7 cases at the float64 tolerance');
 * ```
 */
export function exportConformance(options: ExportOptions): ConformanceFile {
  if (typeof options !== 'object' || options === null) throw new DomainError('options must be an object { seed, cases }');
  if (!Number.isInteger(options.cases) || options.cases <= 0) {
    throw new DomainError(`--cases must be a positive integer, got ${options.cases}`);
  }
  const rng = createRng(options.seed);
  const backend = options.backend;
  const wanted: readonly unknown[] = options.kinds ?? [...KINDS.keys()];
  if (!Array.isArray(wanted) || wanted.length === 0 || wanted.some((k) => typeof k !== 'string' || !KINDS.has(k))) {
    throw new DomainError(`--kinds must list known kinds (${[...KINDS.keys()].join(', ')}), got ${JSON.stringify(wanted)}`);
  }
  const kinds = (wanted as string[]).map((k) => KINDS.get(k)!).filter((k) => backend === undefined || backend.compute[k.kind] !== undefined);
  if (kinds.length === 0) throw new DomainError(`the backend computes none of the kinds ${wanted.join(', ')}`);
  const cases: ConformanceCase[] = [];
  for (let i = 0; i < options.cases; i++) {
    const kind = kinds[i % kinds.length];
    const flavor = FLAVORS[Math.floor(i / kinds.length) % FLAVORS.length];
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_REDRAWS) throw new Error(`no well-conditioned ${kind.kind} case in ${MAX_REDRAWS} draws`);
      const raw = kind.generate(rng, flavor);
      const inputs = kind.parse(raw);
      const exact = kind.exact(inputs);
      if (!wellConditioned(kind, inputs, exact)) continue;
      const out = backend === undefined ? exact : backend.compute[kind.kind]!(inputs);
      cases.push({ kind: kind.kind, ...raw, out });
      break;
    }
  }
  return {
    format: CONFORMANCE_FORMAT,
    version: CONFORMANCE_VERSION,
    generator: backend === undefined ? 'ahop reference (TypeScript, float64; outputs from 64-digit arithmetic)' : `ahop ${backend.name}`,
    tolerance: backend?.tolerance ?? REFERENCE_TOLERANCE,
    cases,
  };
}
