/**
 * The roster of every table: which registry methods a cell runs, and in which order.
 * A-Hop's rows come from ahop-family.ts (the registry's definitions, trained and scored on the
 * cell's sorted-feature cache); every other row is the registry's own Method (src/baselines).
 */
import type { Method } from '../baselines/method.ts';
import { METHODS, type TrainBudget } from '../baselines/registry.ts';
import { ahopRows, type BatchMethod } from './ahop-family.ts';
import { ahopPlusRows, PLUS_MAIN } from './ahop-plus-family.ts';
import type { FeatureCache } from './features.ts';
import { universalSelected } from './universal-selected.ts';

/** Display names for the tables, keyed by registry name. */
export const LABELS: Record<string, string> = {
  ahop: 'A-Hop',
  'ahop:nosort-noU': 'A-Hop no sort, no U',
  'ahop:nosort-U': 'A-Hop no sort, U',
  'ahop:sort-noU': 'A-Hop sort, no U',
  'ahop:dis': 'A-Hop distance only',
  'ahop:dot': 'A-Hop dot only',
  'ahop-plus': 'A-Hop+',
  'ahop-plus:init': 'A-Hop+ (init only)',
  'ahop-plus:nolink': 'A-Hop+ no link (λ = 0)',
  'ahop-plus:nooffset': 'A-Hop+ no offset (b = 0)',
  'ahop-plus:noscale': 'A-Hop+ no scale (ℓ = 0)',
  'ahop-plus:nosort': 'A-Hop+ no sort',
  'ahop-plus:nodot': 'A-Hop+ no dot (β_dot = 0)',
  mhop: 'M-Hop',
  'mhop-fixed-point': 'M-Hop (fixed point)',
  sparse: 'Sparse',
  universal: 'Universal (selected)',
  u2hop: 'U2-Hop',
  bayes: 'Bayes oracle',
};

/** Fixed-similarity baselines (nothing learned from the pairs except Universal's model choice). */
export const FIXED = ['mhop', 'mhop-fixed-point', 'sparse', 'universal'] as const;
/** Every baseline, fixed or trained (U2-Hop learns a kernel). */
export const BASELINES = [...FIXED, 'u2hop'] as const;

function registry(name: string, budget: TrainBudget): Method {
  const make = METHODS.get(name);
  if (make === undefined) throw new Error(`the method registry has no "${name}"`);
  return make(budget);
}

export interface Roster {
  methods: (Method | BatchMethod)[];
  /** The Universal configurations, each also scored on its own (for the record). */
  universal: Method[];
}

/** The methods of a cell; A-Hop's ablation rows only when `ablations`, A-Hop+'s when `plusAblations` (five trainings each). */
export function roster(cache: FeatureCache, budget: TrainBudget, ablations = true, plusAblations = false, plusBudget = budget): Roster {
  const universal = [...METHODS].filter(([n]) => n.startsWith('universal:'));
  return {
    methods: [
      ...ahopRows(cache, budget).filter((m) => ablations || m.name === 'ahop'),
      ...ahopPlusRows(cache, plusBudget).filter((m) => plusAblations || PLUS_MAIN.includes(m.name)),
      registry('mhop', budget),
      registry('mhop-fixed-point', budget),
      registry('sparse', budget),
      universalSelected(universal),
      registry('u2hop', budget),
      registry('bayes', budget),
    ],
    universal: universal.map(([, make]) => make(budget)),
  };
}
