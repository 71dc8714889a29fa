/**
 * Big inputs: streaming retrieval over memory blocks (src/hopfield/stream.ts).
 * - It computes what `retrieve` computes — energy, readout, source (ties: lowest index) — whatever the
 *   block size, on random problems with duplicated memories split across blocks.
 * - Its memory does not grow with N: streaming 2,400 memories of d = 784 (a 15 MB matrix) never holds
 *   more than a few blocks (the CI-sized version of the 100,000 × 784 run in docs/reliability.md).
 * - Malformed blocks, queries and parameters are typed errors naming the block or argument.
 * The full-size figures: `AHOP_THREADS=1 node --max-old-space-size=2048 bin/run-ts.js examples/big-inputs.ts`.
 */
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { setBatchThreads } from '../src/hopfield/batch-pool.ts';
import { rowBlocks, seededMemoryBlocks, streamRetrieve } from '../src/hopfield/stream.ts';
import { initialParams } from '../src/train/init.ts';
import { finite, params, vector } from '../properties/support/arbitraries.ts';

const flat = (rows: readonly (readonly number[])[]) => Float64Array.from(rows.flat());
const close = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-12 * (1 + scale);

describe('streaming retrieval equals retrieve', () => {
  const problem = fc
    .record({ n: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 6 }), b: fc.integer({ min: 1, max: 3 }), block: fc.integer({ min: 1, max: 13 }) })
    .chain(({ n, d, b, block }) =>
      fc.record({
        memories: fc.array(vector(d, fc.oneof(finite(3), fc.constantFrom(-1, 0, 1))), { minLength: n, maxLength: n }),
        queries: fc.array(vector(d, finite(3)), { minLength: b, maxLength: b }),
        params: params(d, 2),
        block: fc.constant(block),
        dup: fc.nat(),
        sort: fc.boolean(),
        cumulative: fc.boolean(),
      }),
    )
    .map((p) => {
      // Copy one memory to the end, so a tie for the maximum often spans two blocks.
      const memories = [...p.memories, p.memories[p.dup % p.memories.length]];
      return { ...p, memories };
    });

  it('energy, readout and source, for any block size and footprint ablation (fast-check, 300 problems)', () =>
    fc.assert(
      fc.property(problem, (p) => {
        const options = { sort: p.sort, cumulative: p.cumulative };
        const d = p.memories[0].length;
        const s = streamRetrieve(rowBlocks(p.memories, p.block), d, flat(p.queries), p.queries.length, p.params, options);
        expect(s.n).toBe(p.memories.length);
        p.queries.forEach((q, b) => {
          const r = retrieve(p.memories, q, p.params, options);
          const scale = Math.max(...r.scores.map(Math.abs));
          // scoreBatch adds in another order than `scores`: the maximum agrees to rounding, and the
          // source exactly unless another memory's score is within rounding of the top one.
          const top = Math.max(...r.scores);
          expect(close(s.maxScore[b], top, scale), `max ${s.maxScore[b]} vs ${top}`).toBe(true);
          const rivals = r.scores.filter((v, k) => k !== r.source && close(v, top, scale) && !p.memories[k].every((x, i) => x === p.memories[r.source][i]));
          if (rivals.length === 0) expect(s.source[b]).toBe(r.source);
          expect(close(s.energy[b], r.energy, scale), `energy ${s.energy[b]} vs ${r.energy}`).toBe(true);
          const size = Math.max(...p.memories.flat().map(Math.abs));
          r.retrieved.forEach((y, i) => expect(close(s.retrieved[b * d + i], y, size), `y[${i}]`).toBe(true));
        });
      }),
      { numRuns: 300, seed: 17 },
    ));

  it('ties for the maximum across blocks go to the lowest index', () => {
    const m = [
      [0, 0],
      [1, 1],
      [5, 5],
      [1, 1],
      [1, 1],
    ];
    for (const block of [1, 2, 3, 5]) {
      const s = streamRetrieve(rowBlocks(m, block), 2, Float64Array.from([1, 1]), 1, initialParams(2));
      expect(s.source[0], `block ${block}`).toBe(1);
    }
  });

  it('a single memory: the readout is the memory and the energy is minus its score', () => {
    const s = streamRetrieve(rowBlocks([[0.25, -3]], 4), 2, Float64Array.from([0, 0]), 1, initialParams(2));
    expect(Array.from(s.retrieved)).toEqual([0.25, -3]);
    expect(s.energy[0]).toBe(0.25 ** 2 + 3 ** 2);
    expect(s.source).toEqual([0]);
  });

  it('row k of the seeded blocks is the same for every block size', () => {
    const all = (rows: number) => Array.from(seededMemoryBlocks(3, 10, 4, rows), (b) => Array.from(b)).flat();
    expect(all(3)).toEqual(all(10));
    expect(all(1)).toEqual(all(7));
  });
});

describe('streaming memory does not grow with N', () => {
  it('2,400 memories of d = 784 (a 15 MB matrix) streamed in blocks of 120 rows: peak live growth under 3 MB', () => {
    const n = 2400;
    const d = 784;
    const blockRows = 120;
    // Two queries: copies of memories 0 and 5999, captured from a first generation pass.
    const queries = new Float64Array(2 * d);
    let row = 0;
    for (const block of seededMemoryBlocks(9, n, d, blockRows)) {
      for (let k = 0; k < block.length / d; k++, row++) {
        if (row === 0) queries.set(block.subarray(0, d), 0);
        if (row === n - 1) queries.set(block.subarray(k * d, (k + 1) * d), d);
      }
    }
    // Live memory, not garbage awaiting collection: collect before each measurement. Scored on
    // this thread alone: scoreBatch's worker pool hands each call a fresh shared buffer that lives
    // until the workers' own collections, which this process cannot force (docs/reliability.md).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    setBatchThreads(1);
    gc();
    const base = process.memoryUsage();
    let peak = 0;
    let s;
    try {
      s = streamRetrieve(seededMemoryBlocks(9, n, d, blockRows), d, queries, 2, initialParams(d), undefined, () => {
        gc();
        const m = process.memoryUsage();
        peak = Math.max(peak, m.arrayBuffers - base.arrayBuffers + Math.max(0, m.heapUsed - base.heapUsed));
      });
    } finally {
      setBatchThreads(undefined);
    }
    expect(s.n).toBe(n);
    expect(s.source).toEqual([0, n - 1]);
    expect(peak).toBeLessThan(3 * 2 ** 20);
    expect(n * d * 8).toBeGreaterThan(4 * 3 * 2 ** 20);
  });
});

describe('streaming refuses malformed input by name', () => {
  const p = initialParams(2);
  const q = Float64Array.from([0, 0]);
  it('no memories at all (N = 0)', () => {
    expect(() => streamRetrieve([], 2, q, 1, p)).toThrow(/N = 0/);
    expect(() => streamRetrieve([new Float64Array(0)], 2, q, 1, p)).toThrow(ShapeError);
  });
  it('a block that is not whole rows, or not a Float64Array, names the block', () => {
    expect(() => streamRetrieve([Float64Array.from([1, 2]), Float64Array.from([1, 2, 3])], 2, q, 1, p)).toThrow(/memory block 1 .*d = 2/);
    expect(() => streamRetrieve([[1, 2] as never], 2, q, 1, p)).toThrow(/memory block 0 must be a Float64Array/);
  });
  it('a NaN in a block names the block and the entry', () =>
    expect(() => streamRetrieve([Float64Array.from([1, 2]), Float64Array.from([0, Number.NaN])], 2, q, 1, p)).toThrow(/memory block 1 .*memories\[0\]\[1\] must be finite/));
  it('queries of the wrong size or with ±Infinity, and params of another d', () => {
    expect(() => streamRetrieve([Float64Array.from([1, 2])], 2, Float64Array.from([0, 0, 0]), 1, p)).toThrow(/queries must have 1×2 = 2 entries/);
    expect(() => streamRetrieve([Float64Array.from([1, 2])], 2, Float64Array.from([0, Infinity]), 1, p)).toThrow(/queries\[0\]\[1\] must be finite/);
    expect(() => streamRetrieve([Float64Array.from([1, 2])], 2, q, 1, initialParams(3))).toThrow(/params.wDis must have length 2/);
    expect(() => streamRetrieve([Float64Array.from([1, 2])], 0, q, 1, p)).toThrow(/d must be a positive integer/);
  });
  it('scores that overflow float64 are a DomainError naming the memory, not NaN', () =>
    expect(() => streamRetrieve([Float64Array.from([1e200, 0])], 2, q, 1, p)).toThrow(DomainError));
  it('blocks that are not iterable', () => expect(() => streamRetrieve(null as never, 2, q, 1, p)).toThrow(/blocks must be an iterable/));
});
