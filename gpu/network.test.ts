/**
 * The generated sorting code on its own, evaluated as plain JavaScript (no gpu.js): the unrolled
 * register network sorts descending for every d (0-1 principle: a comparator network sorts all
 * inputs iff it sorts all 0-1 inputs, so d ≤ 12 is checked exhaustively), in both code styles;
 * and the multi-pass plan (block sort, merge passes, the dot kernel's trailing steps) sorts too.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../src/random/rng.ts';
import { BLOCK, MERGE_BITS, TAIL, blockSortSource, fusedFootprintSource, mergePassSource } from './kernels.ts';
import { SENTINEL, bitonicSteps, nextPow2, planPasses, type NetworkStyle, type Step } from './network.ts';

type Kernel = (this: { thread: { x: number; y: number; z: number } }, ...args: unknown[]) => number;
const compile = (source: string): Kernel => new Function(`return ${source}`)() as Kernel;

/** Runs a generated kernel over every x of a row (thread.y = y, thread.z = z). */
function row(kernel: Kernel, width: number, args: unknown[], y = 0, z = 0): number[] {
  return Array.from({ length: width }, (_, x) => kernel.call({ thread: { x, y, z } }, ...args));
}

const desc = (v: readonly number[]) => [...v].sort((a, b) => b - a);
const STYLES: NetworkStyle[] = ['minmax', 'swap'];

describe('register network (fused kernels)', () => {
  for (const style of STYLES) {
    it(`sorts every 0-1 input for d = 1…12 (${style})`, () => {
      for (let d = 1; d <= 12; d++) {
        // dot base with x = 1: q = ξ, so the kernel returns ξ sorted (no U: q̃ itself).
        const kernel = compile(fusedFootprintSource(d, 1, true, false, style));
        const ones = [Array.from({ length: d }, () => 1)];
        for (let bits = 0; bits < 2 ** d; bits++) {
          const xi = Array.from({ length: d }, (_, i) => (bits >> i) & 1);
          expect(row(kernel, d, [[xi], ones])).toEqual(desc(xi));
        }
      }
    });
  }

  it('sorts random and tied inputs up to d = 64, and keeps q unsorted without sort', () => {
    const rng = createRng(11);
    for (const d of [13, 31, 33, 49, 64]) {
      for (const style of STYLES) {
        const sorted = compile(fusedFootprintSource(d, 1, true, false, style));
        const unsorted = compile(fusedFootprintSource(d, 1, false, false, style));
        for (let t = 0; t < 20; t++) {
          const xi = Array.from({ length: d }, () => (t % 2 ? rng.int(3) - 1 : rng.normal()));
          const ones = [Array.from({ length: d }, () => 1)];
          expect(row(sorted, d, [[xi], ones])).toEqual(desc(xi));
          expect(row(unsorted, d, [[xi], ones])).toEqual(xi);
        }
      }
    }
  });
});

describe('multi-pass plan', () => {
  it('covers every bitonic step exactly once, in order, with at most MERGE_BITS per pass', () => {
    for (const dpad of [128, 256, 1024, 4096]) {
      const passes = planPasses(dpad, BLOCK, MERGE_BITS, TAIL);
      const trailing = bitonicSteps(dpad, dpad, dpad).filter((s) => s.j < TAIL);
      const all: Step[] = [...bitonicSteps(BLOCK), ...passes.flat(), ...trailing];
      expect(all).toEqual(bitonicSteps(dpad));
      for (const p of passes) expect(p.length).toBeLessThanOrEqual(MERGE_BITS);
    }
  });

  for (const style of STYLES) {
    it(`block sort + merge passes sort rows of d = 100 and 784 (${style})`, () => {
      const rng = createRng(12);
      for (const d of [100, 784]) {
        const dpad = nextPow2(d);
        const block = compile(blockSortSource(d, dpad, { rows: true, base: 1 }, style));
        const merges = planPasses(dpad, BLOCK, MERGE_BITS, 1).map((steps) => compile(mergePassSource(dpad, steps, style)));
        for (let t = 0; t < 3; t++) {
          const xi = Array.from({ length: d }, () => (t === 2 ? rng.int(5) - 2 : rng.normal()));
          const ones = Array.from({ length: d }, () => 1);
          let a = row(block, dpad, [[xi], [ones]]);
          for (const m of merges) a = row(m, dpad, [[[a]]]);
          expect(a.slice(0, d)).toEqual(desc(xi));
          expect(a.slice(d).every((v) => v === SENTINEL)).toBe(true);
        }
      }
    });
  }
});
