/**
 * Every retrieval method by name, so an experiment can run all of them on the same instance:
 *   for (const [name, make] of METHODS) { const retrieve = make(budget).prepare(instance); … }
 * A factory takes the training budget (epochs, lr, batchSize), which only the trained methods
 * (A-Hop rows, U2-Hop) use; fixed methods ignore it. Each method's `name` equals its key.
 */
import { AHOP_VARIANTS, ahopMethod, type TrainBudget } from './ahop-methods.ts';
import { bayesMethod } from './bayes.ts';
import type { Method } from './method.ts';
import { mhopMethod } from './mhop.ts';
import { SEPARATIONS } from './separation.ts';
import { UNIVERSAL_SIMILARITIES } from './similarities.ts';
import { sparseMethod } from './sparse.ts';
import { u2hopMethod } from './u2hop-train.ts';
import { universalMethod, universalName } from './universal.ts';

export type { TrainBudget } from './ahop-methods.ts';
export type MethodFactory = (budget?: TrainBudget) => Method;

const entries: [string, MethodFactory][] = [
  ...AHOP_VARIANTS.map((v): [string, MethodFactory] => [
    v.name,
    (budget = {}) => ahopMethod(v.name, { ...budget, footprint: v.footprint, bases: v.bases }),
  ]),
  ['mhop', () => mhopMethod({}, 'mhop')],
  ['mhop-fixed-point', () => mhopMethod({ iterate: true }, 'mhop-fixed-point')],
  ['sparse', () => sparseMethod({}, 'sparse')],
  ...UNIVERSAL_SIMILARITIES.flatMap((similarity) =>
    SEPARATIONS.map((separation): [string, MethodFactory] => {
      const name = universalName({ similarity, separation });
      return [name, () => universalMethod({ similarity, separation }, name)];
    }),
  ),
  ['u2hop', (budget = {}) => u2hopMethod(budget, 'u2hop')],
  ['bayes', () => bayesMethod({ readout: 'map' }, 'bayes')],
];

/** name → factory, in table order: A-Hop rows, M-Hop, Sparse, Universal, U2-Hop, Bayes oracle. */
export const METHODS: ReadonlyMap<string, MethodFactory> = new Map(entries);

/** Methods that learn from the instance's training pairs (their prepare cost depends on the budget). */
export const TRAINED_METHODS: ReadonlySet<string> = new Set([...AHOP_VARIANTS.map((v) => v.name), 'u2hop']);
