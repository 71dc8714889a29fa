/**
 * The contract every downstream experiment cell keeps (classification, MIL): rerun from its spec it
 * gives exactly the same result, and it leaves no tfjs tensor behind.
 */
import { expect } from 'vitest';
import { loadTfjs } from '../../src/experiments/downstream/tfjs.ts';

/** Reruns a cell and fails when its result differs from `first` or the live tensor count grew. */
export async function expectDeterministicCell<S, R>(runCell: (spec: S) => Promise<R>, spec: S, first: R): Promise<void> {
  const { tf } = await loadTfjs('wasm');
  const before = tf.memory().numTensors;
  expect(await runCell(spec)).toEqual(first);
  expect(tf.memory().numTensors).toBe(before);
}
