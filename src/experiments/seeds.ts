/**
 * Independent random streams for one cell: memories, bias signs, training pairs and test
 * queries each get their own seed derived from (cell seed, purpose), so adding a draw to one
 * stream never shifts another, and every method of a cell sees identical data.
 */
import { createRng, type Rng } from '../random/rng.ts';

export type Stream = 'memories' | 'bias' | 'train' | 'test' | 'method';

const OFFSET: Record<Stream, number> = { memories: 0, bias: 1, train: 2, test: 3, method: 4 };

/** Seeds are spaced by 16 so the five streams of seed s never collide with those of s + 1. */
export function streamSeed(seed: number, stream: Stream): number {
  return seed * 16 + OFFSET[stream];
}

export function streamRng(seed: number, stream: Stream): Rng {
  return createRng(streamSeed(seed, stream));
}
