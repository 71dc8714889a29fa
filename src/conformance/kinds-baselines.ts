/**
 * The baseline case kinds of the conformance contract (docs/conformance.md):
 *   mhop:   p = softmax(β Ξ x),   y = Σ_k p_k ξ_k
 *   sparse: p = sparsemax(β Ξ x), y = Σ_k p_k ξ_k
 * with their second, 64-digit computation (mathjs BigNumber, as in exact.ts): mhopExact and
 * sparsemaxExact. A sparse case is drawn only when its support is unambiguous: every exact score
 * lies at least SUPPORT_GAP · (1 + c) away from the threshold τ (c: the scale of the terms of z,
 * see clearSupport), so a backend that computes z with its own rounding, float32 included, still
 * finds the same support (zeros stay exact zeros).
 */
import { mhopRetrieve } from '../baselines/mhop.ts';
import { sparseRetrieve } from '../baselines/sparse.ts';
import { ParseError } from '../errors.ts';
import type { Rng } from '../random/rng.ts';
import { checkMatrix, checkPositive, checkVector } from '../validate.ts';
import type { Out } from './format.ts';
import { z } from 'zod';
import { matrix, vector } from '../schema/fields.ts';
import { caseSchema } from './format.ts';
import type { CaseKind, Flavor } from './kinds.ts';

import { big, one, sum, zero, type Big } from '../numeric/bignum.ts';
const nums = (v: readonly Big[]): number[] => v.map((x) => x.toNumber());

/** A sparse score must lie at least this far (relative to 1 + max |z|) from the threshold τ. */
export const SUPPORT_GAP = 1e-6;
const MAX_DRAWS = 1000;

/** z = β Ξ x in exact arithmetic. */
export function logitsExact(memories: readonly number[][], x: readonly number[], beta: number): Big[] {
  return memories.map((m) => big(beta).times(sum(m.map((v, i) => big(v).times(big(x[i]))))));
}

function readoutExact(memories: readonly number[][], p: readonly Big[]): Big[] {
  return memories[0].map((_, i) => sum(memories.map((m, k) => p[k].times(big(m[i])))));
}

/** M-Hop in 64 digits: p = exp(z − lse(z)), z = β Ξ x; y = Σ_k p_k ξ_k. */
export function mhopExact(memories: readonly number[][], x: readonly number[], beta: number) {
  const z = logitsExact(memories, x, beta);
  const m = z.reduce((a, b) => (b.gt(a) ? b : a));
  const l = m.plus(sum(z.map((v) => v.minus(m).exp())).ln());
  const probs = z.map((v) => v.minus(l).exp());
  return { probs, retrieved: readoutExact(memories, probs) };
}

/**
 * sparsemax in 64 digits: with z sorted descending, k = max{k : 1 + k z₍k₎ > Σ_{j≤k} z₍j₎},
 * τ = (Σ_{j≤k} z₍j₎ − 1)/k, p_i = max(z_i − τ, 0). The comparisons are exact, so the support is
 * the true one whenever no score sits within the precision of τ (generation guarantees a gap).
 */
export function sparsemaxExact(z: readonly Big[]): { probs: Big[]; tau: Big } {
  const sorted = [...z].sort((a, b) => b.cmp(a));
  let cum = zero();
  let k = 0;
  let cumAtK = zero();
  for (let j = 0; j < sorted.length; j++) {
    const next = cum.plus(sorted[j]);
    if (!one().plus(sorted[j].times(j + 1)).gt(next)) break;
    cum = next;
    k = j + 1;
    cumAtK = cum;
  }
  const tau = cumAtK.minus(one()).div(k);
  return { probs: z.map((v) => (v.gt(tau) ? v.minus(tau) : zero())), tau };
}

/** Sparse Hopfield in 64 digits: p = sparsemax(β Ξ x), y = Σ_k p_k ξ_k. */
export function sparseExact(memories: readonly number[][], x: readonly number[], beta: number) {
  const { probs, tau } = sparsemaxExact(logitsExact(memories, x, beta));
  return { probs, tau, retrieved: readoutExact(memories, probs) };
}

/**
 * True when every exact score z_k is at least SUPPORT_GAP · (1 + c) from τ, where
 * c = max_k β Σ_i |ξ_{k,i} x_i| bounds the size of the terms summed into any z_k (and so the
 * rounding error of any backend's z_k, whatever the cancellation).
 */
export function clearSupport(memories: readonly number[][], x: readonly number[], beta: number): boolean {
  const z = logitsExact(memories, x, beta);
  const { tau } = sparsemaxExact(z);
  const c = Math.max(...memories.map((m) => beta * m.reduce((a, v, i) => a + Math.abs(v * x[i]), 0)));
  const gap = big(SUPPORT_GAP * (1 + c));
  return z.every((v) => v.minus(tau).abs().gte(gap));
}

// ---------- input drawing (the same sizes and flavours as kinds.ts) ----------

const TIE_VALUES = [-1, -0.5, 0, 0.5, 1];

function value(rng: Rng, flavor: Flavor, scale: number): number {
  if (flavor === 'ties') return TIE_VALUES[rng.int(TIE_VALUES.length)];
  if (flavor === 'zeros' && rng.uniform() < 0.5) return 0;
  return scale * (2 * rng.uniform() - 1);
}

interface Drawn {
  memories: number[][];
  query: number[];
  beta: number;
}

/**
 * Memories, query and β. β is 1/√d (the default), a uniform draw in [0.05, 3], or a draw that
 * puts the spread of the scores β Ξ x in [0.1, 4] — the last keeps both softmax and sparsemax away
 * from one-hot at every input scale, so supports of every size occur.
 */
function draw(rng: Rng, flavor: Flavor): Drawn {
  const d = flavor === 'd1' ? 1 : 1 + rng.int(10);
  const n = flavor === 'n1' ? 1 : 1 + rng.int(6);
  const scale = flavor === 'large' ? 1e3 : 1;
  const vec = () => Array.from({ length: d }, () => value(rng, flavor, scale));
  const memories = Array.from({ length: n }, vec);
  const query = vec();
  const raw = memories.map((m) => m.reduce((a, v, i) => a + v * query[i], 0));
  const spread = Math.max(...raw) - Math.min(...raw);
  const choice = rng.int(3);
  const beta =
    choice === 0 || (choice === 2 && !(spread > 0))
      ? 1 / Math.sqrt(d)
      : choice === 1
        ? 0.05 + 2.95 * rng.uniform()
        : (0.1 + 3.9 * rng.uniform()) / spread;
  return { memories, query, beta };
}

function field(c: Readonly<Record<string, unknown>>, key: string): unknown {
  if (!(key in c)) throw new ParseError(`missing input "${key}"`);
  return c[key];
}

function readInputs(c: Readonly<Record<string, unknown>>): Drawn {
  const memories = checkMatrix('memories', field(c, 'memories'));
  const query = checkVector('query', field(c, 'query'), memories[0].length);
  return { memories, query, beta: checkPositive('beta', field(c, 'beta')) };
}

// ---------- the kinds ----------

type Retrieve = (memories: number[][], query: number[], beta: number) => { probs: number[]; retrieved: number[] };
type RetrieveExact = (memories: number[][], query: number[], beta: number) => { probs: Big[]; retrieved: Big[] };

/** A kind whose case is (Ξ, x, β) → { probs, retrieved }: `retrieve` in float64, `exact` in 64 digits. */
function retrievalKind(kind: string, separation: string, retrieve: Retrieve, exact: RetrieveExact, generate: CaseKind<Drawn>['generate']): CaseKind<Drawn> {
  return {
    kind,
    integerFields: [],
    schema: caseSchema(kind, { memories: matrix(), query: vector(), beta: z.number().positive() }, `out: { probs [N], retrieved [d] }, p = ${separation}(β Ξ x)`),
    parse: readInputs,
    compute(i): Out {
      const r = retrieve(i.memories, i.query, i.beta);
      return { probs: r.probs, retrieved: r.retrieved };
    },
    exact(i): Out {
      const r = exact(i.memories, i.query, i.beta);
      return { probs: nums(r.probs), retrieved: nums(r.retrieved) };
    },
    generate,
  };
}

export const mhopKind = retrievalKind('mhop', 'softmax', mhopRetrieve, mhopExact, (rng, flavor) => {
  const { memories, query, beta } = draw(rng, flavor);
  return { memories, query, beta };
});

export const sparseKind = retrievalKind('sparse', 'sparsemax', sparseRetrieve, sparseExact, (rng, flavor) => {
  // Redraw here (not in the exporter) until the support is unambiguous; see the module comment.
  for (let attempt = 0; attempt < MAX_DRAWS; attempt++) {
    const { memories, query, beta } = draw(rng, flavor);
    if (clearSupport(memories, query, beta)) return { memories, query, beta };
  }
  throw new Error(`no sparse case with a clear support in ${MAX_DRAWS} draws (flavor ${flavor})`);
});
