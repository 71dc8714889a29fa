/**
 * A-Hop and the ablations of the paper's tables as Methods. Each trains on the instance's pairs
 * with train/train.ts (cross-entropy on the source index, Adam) and retrieves with
 * hopfield/ahop.ts: p = softmax(s(Ξ, x)), y = Ξᵀ p, where
 *   s(ξ, x) = β_dis w_disᵀ ftpt_dis(ξ, x) + β_dot w_dotᵀ ftpt_dot(ξ, x),  ftpt = U q̃.
 * Ablations: `footprint` drops the sort (q instead of q̃) and/or U (no cumulative sum);
 * `bases` keeps one base similarity (the other's β is frozen at 0).
 */
import { retrieve } from '../hopfield/ahop.ts';
import type { Base } from '../similarity/base.ts';
import { FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { trainOnPairs, type TrainOptions } from '../train/train.ts';
import { checkInstanceMemories, checkPairs, checkQuery } from './checks.ts';
import { defined } from './defined.ts';
import type { Method } from './method.ts';

/** The training budget a registry caller may set for every trained method at once. */
export type TrainBudget = Partial<Pick<TrainOptions, 'epochs' | 'lr' | 'batchSize' | 'validationShare' | 'patience' | 'selection'>>;

export interface AhopMethodOptions extends TrainBudget {
  footprint?: FootprintOptions;
  bases?: readonly Base[];
}

export function ahopMethod(name: string, options: AhopMethodOptions = {}): Method {
  const footprint = options.footprint ?? FULL_FOOTPRINT;
  return {
    name,
    prepare(raw) {
      const { instance, memories: xi, d } = checkInstanceMemories(raw);
      const pairs = checkPairs(instance.train, xi.length, d);
      const { params } = trainOnPairs(xi, pairs, { ...defined(options), footprint, seed: instance.seed });
      return (query) => {
        const r = retrieve(xi, checkQuery(query, d), params, footprint);
        return { probs: r.probs, retrieved: r.retrieved };
      };
    },
  };
}

/** The A-Hop rows: full model, sort × U ablations, and single-base footprints. */
export const AHOP_VARIANTS: readonly { name: string; footprint: FootprintOptions; bases: readonly Base[] }[] = [
  { name: 'ahop', footprint: FULL_FOOTPRINT, bases: ['dis', 'dot'] },
  { name: 'ahop:nosort-noU', footprint: { sort: false, cumulative: false }, bases: ['dis', 'dot'] },
  { name: 'ahop:nosort-U', footprint: { sort: false, cumulative: true }, bases: ['dis', 'dot'] },
  { name: 'ahop:sort-noU', footprint: { sort: true, cumulative: false }, bases: ['dis', 'dot'] },
  { name: 'ahop:dis', footprint: FULL_FOOTPRINT, bases: ['dis'] },
  { name: 'ahop:dot', footprint: FULL_FOOTPRINT, bases: ['dot'] },
];
