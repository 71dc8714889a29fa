/**
 * The A-Hop rows of the tables (registry names from src/baselines/ahop-methods.ts: full model,
 * sort × U ablations, distance-only, dot-only) as Methods that train and score on a cell's
 * FeatureCache. Training is train-fast.ts (bit-for-bit trainOnPairs) and batch scoring uses the
 * reference's formula and operation order — s = β_dis Σ_r c_dis,r q̃_dis,r + β_dot Σ_r c_dot,r q̃_dot,r,
 * p = softmax(s), y = Ξᵀp — so `retrieveAll` equals the per-query retriever (a spec test checks
 * both against the registry's ahopMethod).
 */
import { AHOP_VARIANTS, type TrainBudget } from '../baselines/ahop-methods.ts';
import type { Instance, Method, Retrieval, Retriever } from '../baselines/method.ts';
import { readout, retrieve } from '../hopfield/ahop.ts';
import { softmax } from '../numeric/logsumexp.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { suffixSums, type FootprintOptions } from '../similarity/footprint.ts';
import type { FeatureCache } from './features.ts';
import type { PairFeatures } from './train-fast.ts';
import { trainOnFeatures } from './train-fast.ts';

/** A Method that can also retrieve a whole cached test set at once, and shows what it learned. */
export interface BatchMethod extends Method {
  fitBatch(instance: Instance): { retriever: Retriever; retrieveAll(): Retrieval[]; params: AhopParams };
}

/** Scores of query i of `f` against every memory, in the order of similarity/adaptive.ts. */
export function cachedScores(f: PairFeatures, i: number, params: AhopParams, footprint: FootprintOptions): number[] {
  const { n, d } = f;
  const cDis = footprint.cumulative ? suffixSums(params.wDis) : params.wDis;
  const cDot = footprint.cumulative ? suffixSums(params.wDot) : params.wDot;
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const o = (i * n + k) * d;
    let a = 0;
    for (let r = 0; r < d; r++) a += cDis[r] * f.dis[o + r];
    let b = 0;
    for (let r = 0; r < d; r++) b += cDot[r] * f.dot[o + r];
    out[k] = params.betaDis * a + params.betaDot * b;
  }
  return out;
}

export function ahopRow(
  variant: (typeof AHOP_VARIANTS)[number],
  cache: FeatureCache,
  budget: TrainBudget,
): BatchMethod {
  const fitBatch = (instance: Instance) => {
    const { params } = trainOnFeatures(cache.get('train', variant.footprint.sort), {
      ...budget,
      pairs: instance.train.queries.length,
      footprint: variant.footprint,
      bases: variant.bases,
      seed: instance.seed,
    }, instance.memories);
    const mem = instance.memories;
    const retriever: Retriever = (q) => {
      const r = retrieve(mem, q, params, variant.footprint);
      return { probs: r.probs, retrieved: r.retrieved };
    };
    const retrieveAll = (): Retrieval[] => {
      const f = cache.get('test', variant.footprint.sort);
      return Array.from({ length: f.count }, (_, i) => {
        const probs = softmax(cachedScores(f, i, params, variant.footprint));
        return { probs, retrieved: readout(mem, probs) };
      });
    };
    return { retriever, retrieveAll, params };
  };
  return { name: variant.name, prepare: (instance) => fitBatch(instance).retriever, fitBatch };
}

/** Every A-Hop row of the registry, bound to one cell's feature cache. */
export function ahopRows(cache: FeatureCache, budget: TrainBudget): BatchMethod[] {
  return AHOP_VARIANTS.map((v) => ahopRow(v, cache, budget));
}
