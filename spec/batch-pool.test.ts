/**
 * The worker pool behind scoreBatch (src/hopfield/batch-pool.ts): the thread-count and kernel
 * settings, which jobs go through the pool and in how many chunks, that workers and the calling
 * thread share the chunks, that the pool is kept, resized and shut down, and that it recovers from
 * workers that fail (the results are always the single-threaded ones, bit for bit).
 *
 * Faults are injected from here, never from src/: `node:worker_threads` is mocked with a Worker
 * subclass that records every worker the pool starts and can append code to the script the pool
 * hands it (a scoring step that throws, that sleeps, a worker that crashes or exits) or refuse to
 * start. The pool's own code runs unchanged in the worker.
 */
import { availableParallelism } from 'node:os';
import type { Worker as NodeWorker, WorkerOptions } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';

const hooks = vi.hoisted(() => ({
  /** Every worker the pool started, in order, with promises for its start and its exit. */
  started: [] as { worker: NodeWorker; online: Promise<void>; exited: Promise<number> }[],
  /** Code appended to the next workers' script (a fault), or none. */
  fault: undefined as string | undefined,
  /** When set, starting a worker throws (as when a thread cannot be created). */
  refuseStart: false,
}));

vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class RecordedWorker extends real.Worker {
    constructor(source: string, options?: WorkerOptions) {
      if (hooks.refuseStart) throw new Error('injected: cannot start a worker');
      super(hooks.fault === undefined ? source : `${source}\n${hooks.fault}\n`, options);
      // Only 'online' and 'exit' listeners: an 'error' listener here would hide the pool's own.
      const online = new Promise<void>((resolve) => this.on('online', () => resolve()));
      const exited = new Promise<number>((resolve) => this.on('exit', resolve));
      hooks.started.push({ worker: this, online, exited });
    }
  }
  return { ...real, Worker: RecordedWorker };
});

import { coefficientsFor, scoreBatch } from '../src/hopfield/batch.ts';
import { KERNEL_FUNCTIONS, type createScratch, type rowMaxAbs, type scoreBlock } from '../src/hopfield/batch-kernel.ts';
import {
  batchKernel,
  batchThreads,
  lastParallelStats,
  MIN_PARALLEL_WORK,
  setBatchKernel,
  setBatchThreads,
  shutdownPool,
  type BatchKernel,
} from '../src/hopfield/batch-pool.ts';
import { filled } from '../properties/support/seeded-fill.ts';

afterEach(() => {
  hooks.fault = undefined;
  hooks.refuseStart = false;
  vi.restoreAllMocks();
  setBatchThreads(undefined);
  setBatchKernel(undefined);
  shutdownPool();
});

/** Runs `body` with environment variable `name` set to `value` (or unset), then restores it. */
function withEnv<T>(name: string, value: string | undefined, body: () => T): T {
  const saved = process.env[name];
  try {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
    return body();
  } finally {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  }
}

interface Job {
  n: number;
  d: number;
  b: number;
  mem: Float64Array;
  qs: Float64Array;
  params: { wDis: number[]; wDot: number[]; betaDis: number; betaDot: number };
}

function job(n: number, d: number, b: number, seed = 1): Job {
  return {
    n,
    d,
    b,
    mem: filled(n * d, seed, 3),
    qs: filled(b * d, seed + 1, 3),
    params: { wDis: Array.from(filled(d, 3, 3)), wDot: Array.from(filled(d, 4, 3)), betaDis: 1, betaDot: 0.5 },
  };
}

/** scoreBatch with the given thread count (and kernel, else the default). */
function score(j: Job, threads: number, kernel?: BatchKernel): Float64Array {
  setBatchThreads(threads);
  setBatchKernel(kernel);
  return scoreBatch(j.mem, j.n, j.d, j.qs, j.b, j.params);
}

/** The bit patterns of the scores, for bit-for-bit comparisons. */
const bits = (a: Float64Array) => new BigUint64Array(a.buffer, a.byteOffset, a.length);

/** Scores `j` with `threads` threads and returns the pool's stats for it (undefined: it did not go through the pool). */
function statsOf(j: Job, threads: number): { chunks: number; byWorkers: number } | undefined {
  const before = lastParallelStats();
  score(j, threads);
  const after = lastParallelStats();
  return after === before ? undefined : after;
}

/** Waits until every worker started so far is running or gone (a fresh pool's workers are still booting). */
async function poolReady(): Promise<void> {
  await Promise.all(hooks.started.map((s) => Promise.race([s.online, s.exited])));
  await new Promise((resolve) => setTimeout(resolve, 30));
}

/** Resolves true when every given worker has exited within `ms`, false otherwise. */
async function allExit(started: typeof hooks.started, ms = 3000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([Promise.all(started.map((s) => s.exited)).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('batchThreads and setBatchThreads', () => {
  it('without AHOP_THREADS or setBatchThreads it is the core count (at least 1)', () => {
    withEnv('AHOP_THREADS', undefined, () => expect(batchThreads()).toBe(Math.max(1, availableParallelism())));
  });
  it('AHOP_THREADS sets the thread count when it is a positive integer', () => {
    for (const [value, threads] of [
      ['1', 1],
      ['3', 3],
      ['17', 17],
    ] as const) {
      withEnv('AHOP_THREADS', value, () => expect(batchThreads()).toBe(threads));
    }
  });
  it('AHOP_THREADS that is not a positive integer is ignored: the core count', () => {
    for (const value of ['0', '-2', '2.5', 'four', '']) {
      withEnv('AHOP_THREADS', value, () => expect(batchThreads()).toBe(Math.max(1, availableParallelism())));
    }
  });
  it('setBatchThreads overrides AHOP_THREADS, and setBatchThreads(undefined) restores it', () => {
    withEnv('AHOP_THREADS', '3', () => {
      setBatchThreads(5);
      expect(batchThreads()).toBe(5);
      setBatchThreads(1);
      expect(batchThreads()).toBe(1);
      setBatchThreads(undefined);
      expect(batchThreads()).toBe(3);
    });
    withEnv('AHOP_THREADS', undefined, () => {
      setBatchThreads(7);
      expect(batchThreads()).toBe(7);
      setBatchThreads(undefined);
      expect(batchThreads()).toBe(Math.max(1, availableParallelism()));
    });
  });
});

describe('batchKernel and setBatchKernel', () => {
  it("without AHOP_BATCH_KERNEL or setBatchKernel it is 'asm'", () => {
    withEnv('AHOP_BATCH_KERNEL', undefined, () => expect(batchKernel()).toBe('asm'));
  });
  it("AHOP_BATCH_KERNEL = 'ts' selects 'ts'; any other value leaves 'asm'", () => {
    withEnv('AHOP_BATCH_KERNEL', 'ts', () => expect(batchKernel()).toBe('ts'));
    for (const value of ['asm', 'TS', 'wasm', '']) {
      withEnv('AHOP_BATCH_KERNEL', value, () => expect(batchKernel()).toBe('asm'));
    }
  });
  it('setBatchKernel overrides AHOP_BATCH_KERNEL either way, and setBatchKernel(undefined) restores it', () => {
    withEnv('AHOP_BATCH_KERNEL', undefined, () => {
      setBatchKernel('ts');
      expect(batchKernel()).toBe('ts');
      setBatchKernel(undefined);
      expect(batchKernel()).toBe('asm');
    });
    withEnv('AHOP_BATCH_KERNEL', 'ts', () => {
      setBatchKernel('asm');
      expect(batchKernel()).toBe('asm');
      setBatchKernel(undefined);
      expect(batchKernel()).toBe('ts');
    });
  });
  it("setBatchKernel rejects anything but 'asm', 'ts' and undefined with a RangeError", () => {
    setBatchKernel('ts');
    for (const bad of ['gpu', 'TS', '', 'wasm']) expect(() => setBatchKernel(bad as BatchKernel)).toThrow(RangeError);
    expect(batchKernel(), 'a rejected call leaves the setting as it was').toBe('ts');
    expect(() => setBatchKernel(undefined)).not.toThrow();
  });
});

describe('which jobs go through the pool, and in how many chunks', () => {
  // The documented rule: a chunk is one query row × a block of memories, holding about
  // B·N·d / (8 · threads) element operations, but at least 2^13 and at most 2^17, and at least one
  // memory. Each expected count is worked out by hand from that rule.
  const table: [n: number, d: number, b: number, threads: number, chunks: number, why: string][] = [
    [256, 64, 8, 2, 16, 'B·N·d = 2^17, /16 = 8192 ops → 128 memories → 2 chunks per row'],
    [256, 64, 8, 4, 16, '2^17/32 = 4096 ops, raised to 8192 → 128 memories → 2 per row'],
    [300, 64, 9, 2, 18, '172800/16 = 10800 ops → 168 memories → 2 per row'],
    [300, 64, 9, 3, 27, '172800/24 = 7200 ops, raised to 8192 → 128 memories → 3 per row'],
    [150, 1024, 16, 2, 32, '2457600/16 = 153600 ops, capped at 131072 → 128 memories → 2 per row'],
    [100, 50, 40, 2, 40, '200000/16 = 12500 ops → 250 memories, but N = 100 → 1 per row'],
  ];
  it('a job of at least MIN_PARALLEL_WORK element operations with ≥ 2 threads is cut into the documented number of chunks', () => {
    for (const [n, d, b, threads, chunks, why] of table) {
      expect(b * n * d, why).toBeGreaterThanOrEqual(MIN_PARALLEL_WORK);
      const stats = statsOf(job(n, d, b), threads);
      expect(stats?.chunks, `${n}×${d}×${b}, ${threads} threads: ${why}`).toBe(chunks);
      expect(stats!.byWorkers).toBeGreaterThanOrEqual(0);
      expect(stats!.byWorkers).toBeLessThanOrEqual(chunks);
    }
  });
  it('a job of exactly MIN_PARALLEL_WORK goes through the pool; a smaller one stays on the calling thread', () => {
    expect(256 * 64 * 8).toBe(MIN_PARALLEL_WORK);
    expect(statsOf(job(256, 64, 8), 2)?.chunks).toBe(16);
    expect(255 * 64 * 8).toBeLessThan(MIN_PARALLEL_WORK);
    expect(statsOf(job(255, 64, 8), 2)).toBeUndefined();
    // Small enough to stay, yet it would make 4 chunks of one row each.
    expect(statsOf(job(100, 8, 4), 2)).toBeUndefined();
    expect(statsOf(job(100, 8, 4), 4)).toBeUndefined();
  });
  it('with one thread no job goes through the pool, however large', () => {
    expect(statsOf(job(300, 64, 9), 1)).toBeUndefined();
    withEnv('AHOP_THREADS', '1', () => {
      setBatchThreads(undefined);
      const before = lastParallelStats();
      const j = job(300, 64, 9);
      scoreBatch(j.mem, j.n, j.d, j.qs, j.b, j.params);
      expect(lastParallelStats()).toBe(before);
    });
  });
  it('rows wider than a chunk get one memory per chunk: a job of 2 chunks goes through the pool, a job of 1 chunk stays on the calling thread', () => {
    // Guard: with a broken chunk rule the jobs below could never finish, so stop here first.
    expect(statsOf(job(300, 64, 9), 2)?.chunks).toBe(18);
    // N = 1, B = 2, d = 2^16: 2^17 ops, /16 = 8192 < d → 1 memory per chunk → 2 chunks.
    const two = job(1, 2 ** 16, 2);
    const twoSingle = score(two, 1);
    const before = lastParallelStats();
    const twoParallel = score(two, 2);
    expect(lastParallelStats()).not.toBe(before);
    expect(lastParallelStats()?.chunks).toBe(2);
    expect(bits(twoParallel)).toEqual(bits(twoSingle));
    // N = 1, B = 1, d = 2^17: 1 chunk, nothing to share.
    const one = job(1, 2 ** 17, 1);
    const oneSingle = score(one, 1);
    expect(oneSingle[0]).not.toBe(0);
    const stats = lastParallelStats();
    const oneThreaded = score(one, 2);
    expect(lastParallelStats()).toBe(stats);
    expect(bits(oneThreaded)).toEqual(bits(oneSingle));
  });
});

describe('results and the pool', () => {
  it('parallel scores equal the single-threaded scores bit for bit, for both kernels, after resizing the pool and after shutdownPool', () => {
    const j = job(300, 64, 9, 21);
    for (const kernel of ['asm', 'ts'] as const) {
      const single = bits(score(j, 1, kernel));
      for (const threads of [2, 3, 2]) {
        expect(bits(score(j, threads, kernel)), `${kernel}, ${threads} threads`).toEqual(single);
        expect(lastParallelStats()?.chunks).toBe(threads === 3 ? 27 : 18);
      }
      shutdownPool();
      expect(bits(score(j, 3, kernel)), `${kernel} after shutdownPool`).toEqual(single);
      expect(bits(score(j, 3, kernel))).toEqual(single);
    }
  });
  it('the pool has threads − 1 workers, is kept for jobs with the same thread count, and is rebuilt when the count changes', async () => {
    const j = job(300, 64, 9);
    const from = hooks.started.length;
    score(j, 2);
    expect(hooks.started.length - from).toBe(1);
    score(j, 2);
    score(j, 2);
    expect(hooks.started.length - from).toBe(1);
    const first = hooks.started.slice(from);
    score(j, 4);
    expect(hooks.started.length - from).toBe(1 + 3);
    expect(await allExit(first)).toBe(true);
    score(j, 4);
    expect(hooks.started.length - from).toBe(1 + 3);
    // A small job or one thread does not touch the pool.
    score(job(10, 4, 2), 4);
    score(j, 1);
    score(j, 4);
    expect(hooks.started.length - from).toBe(1 + 3);
  });
  it('shutdownPool stops the workers; the next parallel job starts a new pool with the same scores', async () => {
    const j = job(300, 64, 9, 5);
    const single = bits(score(j, 1));
    const from = hooks.started.length;
    score(j, 3);
    const pool = hooks.started.slice(from);
    expect(pool).toHaveLength(2);
    shutdownPool();
    expect(await allExit(pool)).toBe(true);
    expect(bits(score(j, 3))).toEqual(single);
    expect(hooks.started.length - from).toBe(4);
  });
  it('shutdownPool with no pool (or twice) does nothing', () => {
    shutdownPool();
    expect(() => shutdownPool()).not.toThrow();
    score(job(300, 64, 9), 2);
    shutdownPool();
    expect(() => shutdownPool()).not.toThrow();
  });
  it('a job scored right after another of the same shape gets its own scores, not the previous job’s', () => {
    for (const kernel of ['asm', 'ts'] as const) {
      const a = job(300, 64, 9, 100);
      const b = job(300, 64, 9, 200);
      const bSingle = bits(score(b, 1, kernel));
      score(a, 1, kernel);
      expect(bits(score(b, 2, kernel)), `${kernel}: single-threaded a, then b in parallel`).toEqual(bSingle);
      score(a, 2, kernel);
      expect(bits(score(b, 2, kernel)), `${kernel}: a then b, both in parallel`).toEqual(bSingle);
    }
  });
});

describe('sharing chunks between the workers and the calling thread', () => {
  it('once the pool is running, workers score some chunks and the calling thread the others (within a few jobs)', async () => {
    const j = job(300, 64, 9, 7);
    const single = bits(score(j, 1));
    score(j, 2);
    await poolReady();
    const seen: number[] = [];
    for (let attempt = 0; attempt < 30; attempt++) {
      expect(bits(score(j, 2))).toEqual(single);
      const { chunks, byWorkers } = lastParallelStats()!;
      expect(chunks).toBe(18);
      expect(byWorkers).toBeGreaterThanOrEqual(0);
      expect(byWorkers).toBeLessThanOrEqual(chunks);
      seen.push(byWorkers);
      if (byWorkers > 0 && byWorkers < chunks) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen.some((w) => w > 0 && w < 18), `chunks scored by workers, job by job: ${seen.join(', ')}`).toBe(true);
  });
});

describe('recovering from workers that fail (faults injected into the workers)', () => {
  // The scoring step of a worker's chunk throws.
  const THROWS = `scoreRange = function () { throw new Error('injected: scoring failed'); };`;
  // Every chunk a worker scores is delayed by `ms` (the worker is alive, only slow).
  const delayed = (ms: number) =>
    `{ const score = scoreRange; scoreRange = function (...args) { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}); return score(...args); }; }`;

  /** A job, its single-threaded scores, and a running two-thread pool whose workers carry `fault`. */
  async function faultyPool(fault: string, seed: number): Promise<{ j: Job; single: BigUint64Array }> {
    const j = job(400, 64, 16, seed);
    const single = bits(score(j, 1));
    hooks.fault = fault;
    score(j, 2);
    await poolReady();
    return { j, single };
  }

  /**
   * Scores `j` with two threads (the faulty pool already running) until a worker takes part (the
   * pool then falls back to the calling thread: lastParallelStats is left as it was) or 20 jobs have
   * run; every result must be the single-threaded one. Returns whether a job fell back.
   */
  async function fallsBack(j: Job, expected: BigUint64Array): Promise<boolean> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const before = lastParallelStats();
      expect(bits(score(j, 2))).toEqual(expected);
      const after = lastParallelStats();
      if (after === before) return true;
      // Went through the pool: then no worker may have scored a chunk (it would have failed).
      expect(after?.byWorkers, 'a faulty worker scored a chunk, yet the job did not fall back').toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }

  /** With the fault removed, the next job gives the same scores and starts one worker in place of the retired pool's. */
  function expectReplaced(j: Job, single: BigUint64Array, why: string): void {
    hooks.fault = undefined;
    const from = hooks.started.length;
    expect(bits(score(j, 2))).toEqual(single);
    expect(hooks.started.length - from, why).toBe(1);
  }

  it('if a worker cannot be started, the job is scored on the calling thread (same scores), and the next job starts the pool', () => {
    const j = job(300, 64, 9, 9);
    const single = bits(score(j, 1));
    hooks.refuseStart = true;
    const before = lastParallelStats();
    expect(bits(score(j, 3))).toEqual(single);
    expect(lastParallelStats()).toBe(before);
    hooks.refuseStart = false;
    const from = hooks.started.length;
    expect(bits(score(j, 3))).toEqual(single);
    expect(lastParallelStats()).not.toBe(before);
    expect(hooks.started.length - from).toBe(2);
  });

  it('a worker that reports an error in a chunk: the job is rescored on the calling thread (same scores) and the pool is replaced', async () => {
    const { j, single } = await faultyPool(THROWS, 11);
    expect(await fallsBack(j, single)).toBe(true);
    expectReplaced(j, single, 'a new worker replaces the failed one');
  });

  it('a worker that stops making progress: the job is rescored on the calling thread (same scores) and the pool is replaced', async () => {
    // The worker's chunk takes 1.5 s; the clock is made to run an hour per reading, so the caller
    // sees a worker that has not finished a chunk for far longer than STALL_MS.
    const { j, single } = await faultyPool(delayed(1500), 13);
    const realNow = Date.now.bind(Date);
    let readings = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3_600_000 * ++readings);
    let fellBack: boolean;
    try {
      fellBack = await fallsBack(j, single);
    } finally {
      clock.mockRestore();
    }
    expect(fellBack).toBe(true);
    expectReplaced(j, single, 'a new worker replaces the stalled one');
  });

  it('a worker slower than a wait slice but still progressing is waited for: the job completes through the pool with the same scores', async () => {
    const { j, single } = await faultyPool(delayed(300), 15);
    let byWorkers = 0;
    for (let attempt = 0; attempt < 20 && byWorkers === 0; attempt++) {
      const before = lastParallelStats();
      expect(bits(score(j, 2))).toEqual(single);
      expect(lastParallelStats(), 'the job went through the pool').not.toBe(before);
      byWorkers = lastParallelStats()!.byWorkers;
    }
    expect(byWorkers).toBeGreaterThan(0);
  });

  it.each([
    ['crashes (uncaught error)', `throw new Error('injected: worker crashed');`, 17],
    ['exits', `process.exit(0);`, 19],
  ])('a worker that %s retires the pool: the next job starts new workers', async (_what, fault, seed) => {
    const j = job(300, 64, 9, seed);
    const single = bits(score(j, 1));
    hooks.fault = fault;
    const from = hooks.started.length;
    expect(bits(score(j, 3))).toEqual(single);
    expect(await allExit(hooks.started.slice(from))).toBe(true);
    hooks.fault = undefined;
    expect(bits(score(j, 3))).toEqual(single);
    expect(hooks.started.length - from).toBe(2 + 2);
  });
});

describe('the kernel source the workers run', () => {
  it('KERNEL_FUNCTIONS holds every kernel function, and their concatenated source texts evaluate to the same kernel', () => {
    const names = ['digitBitsFor', 'createScratch', 'rowMaxAbs', 'insertionFix', 'weightedSum', 'pairValues', 'pairKeys', 'prefixSums', 'lowPass', 'highPass', 'unsortedPair', 'scoreBlock'];
    expect(KERNEL_FUNCTIONS.map((f) => f.name).sort()).toEqual([...names].sort());
    const source = `var __name = (f) => f;\n${KERNEL_FUNCTIONS.map(String).join('\n')}\nreturn { createScratch, rowMaxAbs, scoreBlock };`;
    const shipped = new Function(source)() as { createScratch: typeof createScratch; rowMaxAbs: typeof rowMaxAbs; scoreBlock: typeof scoreBlock };
    const j = job(40, 30, 3, 31);
    const { cDis, cDot } = coefficientsFor(j.params, { sort: true, cumulative: true });
    const maxM = new Float64Array(j.n);
    const maxQ = new Float64Array(j.b);
    shipped.rowMaxAbs(j.mem, j.n, j.d, maxM);
    shipped.rowMaxAbs(j.qs, j.b, j.d, maxQ);
    const out = new Float64Array(j.b * j.n);
    shipped.scoreBlock(j.mem, j.qs, j.d, j.n, maxM, maxQ, cDis, cDot, true, out, 0, j.b, 0, j.n, shipped.createScratch(j.d));
    expect(bits(out)).toEqual(bits(score(j, 1, 'asm')));
  });
});
