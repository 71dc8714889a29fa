/**
 * A gpu.js backend writes a conformance file (docs/conformance.md) with its own float32 tolerance:
 * the `footprint` and `similarity` cases, drawn by the reference's own generators, with outputs
 * computed on the backend. `ahop conformance --check FILE` (the float64 reference) must accept it.
 *
 * Which cases: like the reference exporter, only cases that are well conditioned at the stated
 * tolerance. Each drawn case is computed a second way — the reference algorithm in emulated
 * float32 (inputs and every intermediate rounded with Math.fround, sums in plain order) — and
 * redrawn when that differs from the 64-digit result by more than a tenth of the tolerance
 * (and, as in the reference exporter, when the float64 reference differs from it by more than a
 * tenth of the reference tolerance). The backend's own outputs play no part in the choice.
 */
import { compareOut } from '../src/conformance/compare.ts';
import {
  CONFORMANCE_FORMAT,
  CONFORMANCE_VERSION,
  REFERENCE_TOLERANCE,
  type ConformanceCase,
  type ConformanceFile,
  type Out,
  type Tolerance,
} from '../src/conformance/format.ts';
import { FLAVORS, KINDS, type CaseKind } from '../src/conformance/kinds.ts';
import { DomainError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import type { Base } from '../src/similarity/base.ts';
import { FLOAT32_TOLERANCE, type GpuScorer } from './scorer.ts';

/** The case kinds a gpu backend computes. */
export const BACKEND_KINDS = ['footprint', 'similarity'] as const;

const MAX_REDRAWS = 1000;
const f = Math.fround;

interface SimilarityInputs {
  memories: number[][];
  query: number[];
  params: AhopParams;
}
interface FootprintInputs {
  base: Base;
  xi: number[];
  x: number[];
}
export interface SimilarityOut {
  scores: number[];
  probs: number[];
  retrieved: number[];
  energy: number;
}

// ---------- the second way: the reference algorithm in emulated float32 ----------

function q32(base: Base, xi: readonly number[], x: readonly number[]): number[] {
  return xi.map((m, i) => {
    const a = f(m);
    const b = f(x[i]);
    if (base === 'dot') return f(a * b);
    const e = f(a - b);
    return f(-f(e * e));
  });
}

function suffix32(w: readonly number[]): number[] {
  const c = new Array<number>(w.length);
  let acc = 0;
  for (let r = w.length - 1; r >= 0; r--) c[r] = acc = f(acc + f(w[r]));
  return c;
}

export function footprintFloat32(i: FootprintInputs): number[] {
  const qt = q32(i.base, i.xi, i.x).sort((a, b) => b - a);
  let acc = 0;
  return qt.map((v) => (acc = f(acc + v)));
}

export function similarityFloat32(i: SimilarityInputs): SimilarityOut {
  const { memories, query, params } = i;
  const cDis = suffix32(params.wDis).map((c) => f(f(params.betaDis) * c));
  const cDot = suffix32(params.wDot).map((c) => f(f(params.betaDot) * c));
  const scores = memories.map((xi) => {
    let s = 0;
    for (const [base, c] of [['dis', cDis], ['dot', cDot]] as const) {
      const qt = q32(base, xi, query).sort((a, b) => b - a);
      for (let r = 0; r < qt.length; r++) s = f(s + f(c[r] * qt[r]));
    }
    return s;
  });
  const m = Math.max(...scores);
  let z = 0;
  for (const s of scores) z = f(z + f(Math.exp(f(s - m))));
  const lse = f(m + f(Math.log(z)));
  const probs = scores.map((s) => f(Math.exp(f(s - lse))));
  const retrieved = query.map((_, j) => {
    let y = 0;
    memories.forEach((xi, k) => (y = f(y + f(probs[k] * f(xi[j])))));
    return y;
  });
  return { scores, probs, retrieved, energy: -lse };
}

const tenth = (t: Tolerance): Tolerance => ({ rel: t.rel / 10, abs: t.abs / 10 });

/** Keep a case only when float64 and emulated float32 both agree with the 64-digit result. */
function wellConditioned(kind: CaseKind<unknown>, inputs: unknown, exact: Out, tolerance: Tolerance): boolean {
  if (compareOut(exact, kind.compute(inputs), tenth(REFERENCE_TOLERANCE), kind.integerFields).length > 0) return false;
  const second =
    kind.kind === 'footprint'
      ? footprintFloat32(inputs as FootprintInputs)
      : (similarityFloat32(inputs as SimilarityInputs) as unknown as Out);
  return compareOut(exact, second, tenth(tolerance), kind.integerFields).length === 0;
}

// ---------- the backend's outputs ----------

/** Outputs of `similarity` cases on the backend (one batched call per case). */
export async function similarityOnBackend(scorer: GpuScorer, i: SimilarityInputs): Promise<SimilarityOut> {
  const n = i.memories.length;
  const d = i.query.length;
  const r = await scorer.retrieveBatch(Float64Array.from(i.memories.flat()), n, d, Float64Array.from(i.query), 1, i.params);
  return { scores: [...r.scores], probs: [...r.probs], retrieved: [...r.retrieved], energy: r.energy[0] };
}

/** Outputs of `footprint` cases on the backend. */
export async function footprintOnBackend(scorer: GpuScorer, i: FootprintInputs): Promise<number[]> {
  const d = i.xi.length;
  return [...(await scorer.footprintBatch(i.base, Float64Array.from(i.xi), Float64Array.from(i.x), 1, d))];
}

export interface BackendExportOptions {
  seed: number;
  cases: number;
  tolerance?: Tolerance;
}

/**
 * Draws `cases` footprint and similarity cases (seeded, all flavors), keeps the well-conditioned
 * ones, computes their outputs on the backend and returns the conformance file.
 */
export async function exportBackendConformance(scorer: GpuScorer, options: BackendExportOptions): Promise<ConformanceFile> {
  if (!Number.isInteger(options.cases) || options.cases <= 0) {
    throw new DomainError(`--cases must be a positive integer, got ${options.cases}`);
  }
  const tolerance = options.tolerance ?? FLOAT32_TOLERANCE;
  const rng = createRng(options.seed);
  const drawn: { kind: CaseKind<unknown>; raw: Record<string, unknown>; inputs: unknown }[] = [];
  for (let i = 0; i < options.cases; i++) {
    const kind = KINDS.get(BACKEND_KINDS[i % BACKEND_KINDS.length])!;
    const flavor = FLAVORS[Math.floor(i / BACKEND_KINDS.length) % FLAVORS.length];
    for (let attempt = 0; ; attempt++) {
      if (attempt === MAX_REDRAWS) throw new Error(`no well-conditioned ${kind.kind} case in ${MAX_REDRAWS} draws`);
      const raw = kind.generate(rng, flavor);
      const inputs = kind.parse(raw);
      if (!wellConditioned(kind, inputs, kind.exact(inputs), tolerance)) continue;
      drawn.push({ kind, raw, inputs });
      break;
    }
  }
  const cases: ConformanceCase[] = [];
  for (const { kind, raw, inputs } of drawn) {
    const out: Out =
      kind.kind === 'footprint'
        ? await footprintOnBackend(scorer, inputs as FootprintInputs)
        : ((await similarityOnBackend(scorer, inputs as SimilarityInputs)) as unknown as Out);
    cases.push({ kind: kind.kind, ...raw, out });
  }
  return {
    format: CONFORMANCE_FORMAT,
    version: CONFORMANCE_VERSION,
    generator: `ahop gpu.js ${scorer.backend.name} backend (float32; ${scorer.backend.device})`,
    tolerance,
    cases,
  };
}
