/**
 * Worker threads for `scoreBatch`, behind a synchronous call. The pairs (q, k) are cut into chunks
 * (one query row × a block of memories); the calling thread and the workers claim chunks from a
 * shared counter (Atomics.add) until none are left, then the caller blocks in Atomics.wait until
 * every claimed chunk is written. Node allows Atomics.wait on the main thread, so `scoreBatch`
 * stays synchronous.
 *
 * Why it is shaped like this:
 * - Every pair is scored by the same kernel function (batch-kernel.ts) with the same inputs, so
 *   the output does not depend on how chunks were shared: parallel and single-threaded results are
 *   bit-for-bit equal (spec/batch.test.ts checks it).
 * - Workers run the kernel's source text (Function.prototype.toString of the functions in
 *   KERNEL_FUNCTIONS), evaluated as a plain script: no TypeScript loader is needed in the worker,
 *   under tsx, vitest or plain node alike.
 * - Each call gets fresh SharedArrayBuffers (inputs copied in, scores copied out): a worker that
 *   sees a job late finds its counter exhausted and does nothing, and can never touch another
 *   call's memory. The copies cost O((N + B)·d + B·N), small next to the O(B·N·d log d) scoring.
 * - The caller works too and never waits for a worker to start: a pool that is still booting, has
 *   died or fails to evaluate the kernel only means the caller scores more chunks itself. If a
 *   worker that claimed a chunk stops making progress (no chunk finished for STALL_MS), or reports
 *   an error, the caller recomputes the whole job single-threaded and retires the pool.
 * - It only pays for large jobs: below MIN_PARALLEL_WORK element operations the wake-up and copies
 *   cost more than they save (measured: docs/bench.md).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createScratch, KERNEL_FUNCTIONS, scoreBlock, type KernelScratch } from './batch-kernel.ts';

export interface ScoreJob {
  memories: Float64Array;
  queries: Float64Array;
  n: number;
  d: number;
  b: number;
  maxM: Float64Array;
  maxQ: Float64Array;
  cDis: Float64Array;
  cDot: Float64Array;
  sorted: boolean;
  out: Float64Array;
}

/**
 * B·N·d below which a job is scored on the calling thread alone: ~2^17 element operations take a
 * few milliseconds, against ~0.1 ms to wake a worker and copy the inputs.
 */
export const MIN_PARALLEL_WORK = 1 << 17;
/**
 * Element operations (pairs · d) per chunk: about 8 chunks per thread so the last chunk's tail is
 * short, but at least 2^13 (so claiming a chunk costs nothing next to scoring it) and at most 2^17
 * (a few milliseconds).
 */
function chunkWork(work: number, threads: number): number {
  return Math.max(1 << 13, Math.min(1 << 17, Math.floor(work / (8 * threads))));
}
/** A worker holding a chunk with no chunk finished for this long is presumed dead. */
const STALL_MS = 20_000;

// Control words (Int32Array over a SharedArrayBuffer).
const NEXT = 0; // next chunk to claim
const DONE = 1; // chunks finished
const ERROR = 2; // a worker caught an error
const BY_WORKERS = 3; // chunks scored by workers (for lastParallelStats)

const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
var __name = (f) => f; // esbuild's keepNames helper, in case the transpiled source refers to it
${KERNEL_FUNCTIONS.map((f) => f.toString()).join('\n')}
let scratch = null;
parentPort.on('message', (job) => {
  const ctrl = new Int32Array(job.ctrl);
  const f = new Float64Array(job.data);
  const { n, d, b, sorted, chunkK, chunksPerRow, total } = job;
  let o = 0;
  const mem = f.subarray(o, (o += n * d));
  const qs = f.subarray(o, (o += b * d));
  const maxM = f.subarray(o, (o += n));
  const maxQ = f.subarray(o, (o += b));
  const cDis = f.subarray(o, (o += d));
  const cDot = f.subarray(o, (o += d));
  const out = f.subarray(o, (o += b * n));
  for (;;) {
    const c = Atomics.add(ctrl, ${NEXT}, 1);
    if (c >= total) break;
    try {
      if (scratch === null || scratch.d !== d) scratch = createScratch(d);
      const q = Math.floor(c / chunksPerRow);
      const k0 = (c % chunksPerRow) * chunkK;
      scoreBlock(mem, qs, d, n, maxM, maxQ, cDis, cDot, sorted, out, q, q + 1, k0, Math.min(n, k0 + chunkK), scratch);
    } catch (e) {
      Atomics.store(ctrl, ${ERROR}, 1);
    }
    Atomics.add(ctrl, ${BY_WORKERS}, 1);
    Atomics.add(ctrl, ${DONE}, 1);
    Atomics.notify(ctrl, ${DONE});
  }
});
`;

interface Pool {
  workers: Worker[];
  broken: boolean;
}

let pool: Pool | undefined;
let configuredThreads: number | undefined;

/** Threads used for large jobs, the calling thread included: AHOP_THREADS, else the core count. */
export function batchThreads(): number {
  if (configuredThreads !== undefined) return configuredThreads;
  const env = Number(process.env.AHOP_THREADS);
  return Number.isInteger(env) && env >= 1 ? env : Math.max(1, availableParallelism());
}

/**
 * Sets the number of threads (≥ 1; 1 = single-threaded) for later calls, or restores the default
 * with undefined. An idle pool is kept (and resized on the next parallel call).
 */
export function setBatchThreads(threads: number | undefined): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  configuredThreads = threads;
}

/** Terminates the workers (they are unref'd, so a process exits without this). */
export function shutdownPool(): void {
  if (pool === undefined) return;
  for (const w of pool.workers) void w.terminate();
  pool = undefined;
}

function getPool(workers: number): Pool | undefined {
  if (pool !== undefined && (pool.broken || pool.workers.length !== workers)) shutdownPool();
  if (pool === undefined) {
    const p: Pool = { workers: [], broken: false };
    try {
      for (let i = 0; i < workers; i++) {
        const w = new Worker(WORKER_SOURCE, { eval: true });
        w.unref();
        // Reported between calls (the event loop does not run while a call blocks): retire the pool.
        w.on('error', () => (p.broken = true));
        w.on('exit', () => (p.broken = true));
        p.workers.push(w);
      }
    } catch {
      p.broken = true;
    }
    pool = p;
  }
  return pool.broken ? undefined : pool;
}

let mainScratch: KernelScratch | undefined;

/** Chunks of the last job that went through the pool, and how many of them workers scored. */
export interface ParallelStats {
  chunks: number;
  byWorkers: number;
}
let stats: ParallelStats | undefined;
export function lastParallelStats(): ParallelStats | undefined {
  return stats;
}

/**
 * Scores `job` with worker threads and returns true, or returns false (having done nothing) when
 * the job is too small, threads are disabled or unavailable; the caller then scores it itself.
 */
export function parallelScoreBlocks(job: ScoreJob): boolean {
  const { n, d, b } = job;
  const threads = batchThreads();
  if (threads < 2 || b * n * d < MIN_PARALLEL_WORK) return false;
  const chunkK = Math.max(1, Math.min(n, Math.floor(chunkWork(b * n * d, threads) / d)));
  const chunksPerRow = Math.ceil(n / chunkK);
  const total = b * chunksPerRow;
  if (total < 2) return false;
  const p = getPool(threads - 1);
  if (p === undefined) return false;

  const ctrl = new Int32Array(new SharedArrayBuffer(4 * 4));
  const data = new SharedArrayBuffer(8 * (n * d + b * d + n + b + 2 * d + b * n));
  const f = new Float64Array(data);
  let o = 0;
  const put = (a: Float64Array) => {
    f.set(a, o);
    const v = f.subarray(o, o + a.length);
    o += a.length;
    return v;
  };
  const mem = put(job.memories);
  const qs = put(job.queries);
  const maxM = put(job.maxM);
  const maxQ = put(job.maxQ);
  const cDis = put(job.cDis);
  const cDot = put(job.cDot);
  const out = f.subarray(o, o + b * n);

  const message = { ctrl: ctrl.buffer, data, n, d, b, sorted: job.sorted, chunkK, chunksPerRow, total };
  for (const w of p.workers) w.postMessage(message);

  if (mainScratch === undefined || mainScratch.d !== d) mainScratch = createScratch(d);
  for (;;) {
    const c = Atomics.add(ctrl, NEXT, 1);
    if (c >= total) break;
    const q = Math.floor(c / chunksPerRow);
    const k0 = (c % chunksPerRow) * chunkK;
    scoreBlock(mem, qs, d, n, maxM, maxQ, cDis, cDot, job.sorted, out, q, q + 1, k0, Math.min(n, k0 + chunkK), mainScratch);
    Atomics.add(ctrl, DONE, 1);
  }
  // Every chunk is claimed; wait for the ones the workers hold.
  let seen = Atomics.load(ctrl, DONE);
  let since = Date.now();
  while (seen < total) {
    Atomics.wait(ctrl, DONE, seen, 100);
    const now = Atomics.load(ctrl, DONE);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      p.broken = true;
      return false;
    }
  }
  if (Atomics.load(ctrl, ERROR) !== 0) {
    p.broken = true;
    return false;
  }
  job.out.set(out);
  stats = { chunks: total, byWorkers: Atomics.load(ctrl, BY_WORKERS) };
  return true;
}
