/**
 * One retrieval interface for every method (A-Hop and its ablations, the fixed-similarity Hopfield
 * baselines, U2-Hop, the Bayes oracle), so an experiment runs them all on the same memories and the
 * same sampled queries.
 */
import type { Retrieval } from '../hopfield/ahop.ts';
import type { Pairs } from '../train/pairs.ts';
import type { Variant } from '../variants/variant.ts';

export type { Retrieval };

/** What a method may look at before it retrieves: the memories, training pairs, and (oracle only) the variant. */
export interface Instance {
  memories: number[][];
  /** Pairs (x, source) drawn from the variant for training; fixed methods ignore them. */
  train: Pairs;
  /** The variant that generated the queries. Only the Bayes oracle may read it. */
  variant: Variant;
  seed: number;
}

/** A fitted method: retrieves one query at a time. */
export type Retriever = (query: readonly number[]) => Retrieval;

export interface Method {
  readonly name: string;
  /** Fits to the instance (training, if any) and returns the retriever. */
  prepare(instance: Instance): Retriever;
}
