/**
 * "Universal" as one row: the Universal Hopfield framework offers 15 fixed configurations
 * (similarity × separation, src/baselines/universal.ts). Picking the best on the test queries
 * would flatter it; instead its fit picks the configuration with the best correct retrieval on
 * the instance's training pairs — data every trained method also sees — ties to the first in
 * registry order. The choice is recorded so the tables can say which one won.
 */
import type { Instance, Method, Retriever } from '../baselines/method.ts';
import type { MethodFactory } from '../baselines/registry.ts';
import { accuracy, nearestMemory } from './metrics.ts';

export interface SelectedMethod extends Method {
  /** The configuration chosen by the last fit. */
  chosen?: string;
}

export function universalSelected(candidates: readonly [string, MethodFactory][], name = 'universal'): SelectedMethod {
  const m: SelectedMethod = {
    name,
    fit(instance: Instance): Retriever {
      let best: { name: string; acc: number; retriever: Retriever } | undefined;
      for (const [cname, make] of candidates) {
        const retriever = make().fit(instance);
        const pred = instance.train.queries.map((q) => nearestMemory(instance.memories, retriever(q).retrieved));
        const acc = accuracy(pred, instance.train.targets);
        if (best === undefined || acc > best.acc) best = { name: cname, acc, retriever };
      }
      m.chosen = best!.name;
      return best!.retriever;
    },
  };
  return m;
}
