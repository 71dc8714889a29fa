/** A concept-scaling cell: one number of concepts C × one seed (docs/protocol.md, "Concept scaling"). */
import type { TrainBudget } from '../../baselines/ahop-methods.ts';

/** Cache version of the concept cells. */
export const CONCEPTS_VERSION = 1;

/** C of the full run and of --tiny. */
export const CONCEPT_COUNTS: readonly number[] = [16, 64, 256, 1024];
export const TINY_CONCEPT_COUNTS: readonly number[] = [4, 8];

export interface ConceptsSpec {
  id: string;
  seed: number;
  /** C, the number of concepts (= stored patterns). */
  concepts: number;
  /** m, the dimension of the concept vectors z_c. */
  latent: number;
  /** d, the dimension of both modalities. */
  d: number;
  trainPairs: number;
  testQueries: number;
  /** The composed corruption of modality B: occlusion probability, noise std, bias range, occluder range. */
  corruption: { rho: number; sigma: number; bias: number; low: number; high: number };
  /** λ of the ridge fit of W_Q. */
  ridge: number;
  budget: Required<Pick<TrainBudget, 'epochs' | 'lr' | 'batchSize'>>;
  version: number;
}

export interface ConceptsResult {
  spec: ConceptsSpec;
  /** Correct cross-modal retrieval per method. */
  accuracy: Record<string, number>;
  universalChosen: string;
  seconds: number;
}

/** The protocol's spec of one cell; `tiny`: a smoke test whose numbers mean nothing. */
export function conceptsSpec(concepts: number, seed: number, tiny = false): ConceptsSpec {
  return {
    id: `concepts${tiny ? '-tiny' : ''}-c${concepts}-s${seed}`,
    seed,
    concepts,
    latent: tiny ? 4 : 16,
    d: tiny ? 6 : 32,
    trainPairs: tiny ? 16 : 256,
    testQueries: tiny ? 20 : 500,
    corruption: { rho: 0.2, sigma: 0.5, bias: 0.5, low: -3, high: 3 },
    ridge: 1,
    budget: tiny ? { epochs: 2, lr: 0.1, batchSize: 8 } : { epochs: 20, lr: 0.1, batchSize: 64 },
    version: CONCEPTS_VERSION,
  };
}
