/**
 * Runs one cell: builds the instance once, then fits and scores every method of the roster on
 * exactly those memories, training pairs and test queries.
 */
import type { Method, Retrieval } from '../baselines/method.ts';
import { argmax } from '../numeric/logsumexp.ts';
import type { BatchMethod } from './ahop-family.ts';
import type { CellResult, CellSpec, Examples, MethodScore } from './cells.ts';
import { FeatureCache } from './features.ts';
import { buildExperiment, type Experiment } from './instance.ts';
import { roster } from './methods.ts';
import { accuracy, nearestMemory } from './metrics.ts';
import type { SelectedMethod } from './universal-selected.ts';

function isBatch(m: Method): m is BatchMethod {
  return typeof (m as BatchMethod).fitBatch === 'function';
}

function score(exp: Experiment, retrievals: Retrieval[], fitSeconds: number, retrieveSeconds: number): MethodScore {
  const mem = exp.instance.memories;
  const t = exp.test.targets;
  return {
    accuracy: accuracy(retrievals.map((r) => nearestMemory(mem, r.retrieved)), t),
    argmaxAccuracy: accuracy(retrievals.map((r) => argmax(r.probs)), t),
    fitSeconds,
    retrieveSeconds,
  };
}

export function runCell(spec: CellSpec): CellResult {
  const start = performance.now();
  const exp = buildExperiment(spec.task, spec.family, spec.delta, spec.seed, spec.sizes);
  const cache = new FeatureCache(exp.instance.memories, { train: exp.instance.train, test: exp.test });
  const { methods, universal } = roster(cache, spec.budget, spec.ablations, spec.plusAblations === true);
  const scores: Record<string, MethodScore> = {};
  const params: CellResult['params'] = {};
  const readouts: Record<string, Retrieval[]> = {};
  let chosen = '';
  for (const m of methods.filter((x) => !(spec.skip ?? []).includes(x.name))) {
    const t0 = performance.now();
    let retrievals: Retrieval[];
    let t1: number;
    if (isBatch(m)) {
      const fitted = m.fitBatch(exp.instance);
      t1 = performance.now();
      retrievals = fitted.retrieveAll();
      params[m.name] = fitted.params;
    } else {
      const retriever = m.prepare(exp.instance);
      t1 = performance.now();
      retrievals = exp.test.queries.map((q) => retriever(q));
      if (m.name === 'universal') chosen = (m as SelectedMethod).chosen ?? '';
    }
    const t2 = performance.now();
    scores[m.name] = score(exp, retrievals, (t1 - t0) / 1000, (t2 - t1) / 1000);
    readouts[m.name] = retrievals;
  }
  const universalAcc: Record<string, number> = {};
  for (const u of universal) {
    const r = u.prepare(exp.instance);
    universalAcc[u.name] = accuracy(exp.test.queries.map((q) => nearestMemory(exp.instance.memories, r(q).retrieved)), exp.test.targets);
  }
  let examples: Examples | undefined;
  if (spec.keepExamples > 0) {
    const k = Math.min(spec.keepExamples, exp.test.queries.length);
    examples = {
      queries: exp.test.queries.slice(0, k),
      targets: exp.test.targets.slice(0, k),
      sources: exp.test.targets.slice(0, k).map((t) => exp.instance.memories[t]),
      labels: exp.test.targets.slice(0, k).map((t) => exp.labels?.[t] ?? -1),
      readouts: Object.fromEntries(['ahop', 'mhop'].map((n) => [n, readouts[n].slice(0, k).map((r) => r.retrieved)])),
    };
  }
  return {
    spec,
    scores,
    universal: { chosen, accuracy: universalAcc },
    params,
    ...(examples === undefined ? {} : { examples }),
    seconds: (performance.now() - start) / 1000,
  };
}
