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

/** How a candidate is judged on the training pairs: by default, its correct-retrieval accuracy. */
export type Judge = (instance: Instance, retriever: Retriever) => number;

export const retrievalJudge: Judge = (instance, retriever) =>
  accuracy(
    instance.train.queries.map((q) => nearestMemory(instance.memories, retriever(q).retrieved)),
    instance.train.targets,
  );

export function universalSelected(
  candidates: readonly [string, MethodFactory][],
  name = 'universal',
  judge: Judge = retrievalJudge,
): SelectedMethod {
  const m: SelectedMethod = {
    name,
    prepare(instance: Instance): Retriever {
      let best: { name: string; acc: number; retriever: Retriever } | undefined;
      for (const [cname, make] of candidates) {
        const retriever = make().prepare(instance);
        const acc = judge(instance, retriever);
        if (best === undefined || acc > best.acc) best = { name: cname, acc, retriever };
      }
      m.chosen = best!.name;
      return best!.retriever;
    },
  };
  return m;
}
