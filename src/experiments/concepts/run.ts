/**
 * One concept-scaling cell (docs/protocol.md, "Concept scaling"): C concepts z_c seen through two
 * unknown linear maps, ξ_c = M_A z_c stored (modality A) and v_c = M_B z_c corrupted by the
 * composed variant as the query (modality B); one ridge-fitted projection W_Q aligns B with A for
 * every method; correct cross-modal retrieval = the readout is nearest to ξ_c.
 */
import type * as MlMatrix from 'ml-matrix';
import { requireOptional } from '../../optional.ts';
import { AHOP_VARIANTS } from '../../baselines/ahop-methods.ts';
import { bayesMethod } from '../../baselines/bayes.ts';
import type { Instance, Method } from '../../baselines/method.ts';
import { METHODS } from '../../baselines/registry.ts';
import { createRng, type Rng } from '../../random/rng.ts';
import { composed } from '../../variants/index.ts';
import { ahopRow } from '../ahop-family.ts';
import { FeatureCache } from '../features.ts';
import { accuracy, nearestMemory } from '../metrics.ts';
import { streamSeed } from '../seeds.ts';
import { universalSelected } from '../universal-selected.ts';
import type { ConceptsResult, ConceptsSpec } from './cells.ts';

function gaussianMatrix(rows: number, cols: number, scale: number, rng: Rng): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * rng.normal()));
}

function apply(m: readonly (readonly number[])[], z: readonly number[]): number[] {
  return m.map((row) => row.reduce((a, v, j) => a + v * z[j], 0));
}

/**
 * W_Q = argmin_W Σ_i ‖Wᵀu_i − ξ_{t_i}‖² + λ‖W‖²_F = (UᵀU + λI)⁻¹ UᵀT (ridge least squares).
 * @example
 * ```ts
 * import { fitProjection } from './run.ts';
 * const w = fitProjection([[1, 0], [0, 1]], [[2, 0], [0, 2]], 0);
 * if (Math.abs(w[0][0] - 2) > 1e-9 || Math.abs(w[0][1]) > 1e-9 || Math.abs(w[1][1] - 2) > 1e-9) throw new Error('W = 2I');
 * ```
 */
export function fitProjection(u: readonly number[][], targets: readonly number[][], ridge: number): number[][] {
  const { Matrix, solve } = requireOptional<typeof MlMatrix>('ml-matrix', 'the concept-scaling experiment');
  const U = new Matrix(u as number[][]);
  const A = U.transpose().mmul(U).add(Matrix.eye(U.columns).mul(ridge));
  return solve(A, U.transpose().mmul(new Matrix(targets as number[][]))).to2DArray();
}

/** x = W_Qᵀ u. */
function project(w: readonly (readonly number[])[], u: readonly number[]): number[] {
  const out = new Array<number>(w[0].length).fill(0);
  u.forEach((ui, i) => w[i].forEach((wij, j) => (out[j] += ui * wij)));
  return out;
}

export function runConceptsCell(spec: ConceptsSpec): ConceptsResult {
  const start = performance.now();
  const { concepts: C, latent: m, d, corruption: k } = spec;
  const rng = createRng(streamSeed(spec.seed, 'memories'));
  const z = gaussianMatrix(C, m, 1, rng);
  const mapA = gaussianMatrix(d, m, 1 / Math.sqrt(m), rng);
  const mapB = gaussianMatrix(d, m, 1 / Math.sqrt(m), rng);
  const stored = z.map((zc) => apply(mapA, zc));
  const clean = z.map((zc) => apply(mapB, zc));
  const biasRng = createRng(streamSeed(spec.seed, 'bias'));
  const bias = Array.from({ length: d }, () => k.bias * (2 * biasRng.uniform() - 1));
  const variant = composed(k.rho, new Array<number>(d).fill(k.sigma), bias, k.low, k.high);
  const draw = (count: number, r: Rng) => {
    const targets = Array.from({ length: count }, () => r.int(C));
    return { raw: targets.map((t) => variant.sample(clean[t], r)), targets };
  };
  const trainRaw = draw(spec.trainPairs, createRng(streamSeed(spec.seed, 'train')));
  const testRaw = draw(spec.testQueries, createRng(streamSeed(spec.seed, 'test')));
  const wQ = fitProjection(trainRaw.raw, trainRaw.targets.map((t) => stored[t]), spec.ridge);
  const train = { queries: trainRaw.raw.map((u) => project(wQ, u)), targets: trainRaw.targets };
  const test = { queries: testRaw.raw.map((u) => project(wQ, u)), targets: testRaw.targets };
  const instance: Instance = { memories: stored, train, variant, seed: spec.seed };

  // Only the training pairs are cached (the test queries are scored one at a time) to bound memory at C = 1024.
  const cache = new FeatureCache(stored, { train, test: { queries: [], targets: [] } });
  const universal = universalSelected([...METHODS].filter(([n]) => n.startsWith('universal:')));
  const methods: Method[] = [ahopRow(AHOP_VARIANTS[0], cache, spec.budget), METHODS.get('mhop')!(), METHODS.get('sparse')!(), universal];
  const acc: Record<string, number> = {};
  for (const method of methods) {
    const r = method.prepare(instance);
    acc[method.name] = accuracy(test.queries.map((x) => nearestMemory(stored, r(x).retrieved)), test.targets);
  }
  // The Bayes oracle knows M_B and the corruption: the exact posterior over the clean views v_c of the raw query.
  const bayes = bayesMethod().prepare({ memories: clean, train: { queries: [], targets: [] }, variant, seed: spec.seed });
  acc.bayes = accuracy(testRaw.raw.map((u) => nearestMemory(clean, bayes(u).retrieved)), test.targets);
  return { spec, accuracy: acc, universalChosen: universal.chosen ?? '', seconds: (performance.now() - start) / 1000 };
}
