/**
 * Runs a scoring job: on the calling thread, or shared with worker threads behind a synchronous
 * call; with the asm.js kernel (batch-asm.ts, default) or the TypeScript kernel (batch-kernel.ts).
 *
 * Threads. The pairs (q, k) are cut into chunks (one query row × a block of memories); the calling
 * thread and the workers claim chunks from a shared counter (Atomics.add) until none are left, then
 * the caller blocks in Atomics.wait until every claimed chunk is written. Node allows Atomics.wait
 * on the main thread, so `scoreBatch` stays synchronous. Why it is shaped like this:
 * - Every pair is scored by the same kernel code with the same inputs, so the output does not
 *   depend on how chunks were shared: parallel and single-threaded results are bit-for-bit equal
 *   (spec/batch.test.ts checks it).
 * - Workers run the kernels' source text (Function.prototype.toString of the self-contained
 *   functions, plus the asm.js source string), evaluated as a plain script: no TypeScript loader
 *   is needed in the worker, under tsx, vitest or plain node alike.
 * - Each call gets fresh SharedArrayBuffers (inputs copied in, scores copied out): a worker that
 *   sees a job late finds its counter exhausted and does nothing, and never touches another call's
 *   memory. The copies cost O((N + B)·d + B·N), small next to the O(B·N·d log d) scoring.
 * - The caller works too and never waits for a worker to start: a pool that is still booting, has
 *   died or fails to evaluate the kernel only means the caller scores more chunks itself. If a
 *   worker holding a chunk stops making progress (no chunk finished for STALL_MS) or reports an
 *   error, the caller recomputes the whole job on its own thread and retires the pool.
 * - Small jobs (B·N·d < MIN_PARALLEL_WORK) stay on the calling thread: waking a worker and copying
 *   would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { asmLoad, asmScore, ASM_SOURCE, compileAsm, type AsmModule, type AsmRunner } from './batch-asm.ts';
import { createScratch, digitBitsFor, KERNEL_FUNCTIONS, scoreBlock, type KernelScratch } from './batch-kernel.ts';

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
  /** B×N, written by runJob. */
  out: Float64Array;
}

/** Which kernel scores the pairs: the asm.js module (default) or the TypeScript functions. */
export type BatchKernel = 'asm' | 'ts';

/**
 * B·N·d below which a job is scored on the calling thread alone: ~2^17 element operations take a
 * few milliseconds, against ~0.1 ms to wake a worker and copy the inputs.
 */
export const MIN_PARALLEL_WORK = 1 << 17;
/** A worker holding a chunk with no chunk finished for this long is presumed dead. */
const STALL_MS = 20_000;

/**
 * Element operations (pairs · d) per chunk: about 8 chunks per thread so the last chunk's tail is
 * short, but at least 2^13 (so claiming a chunk costs nothing next to scoring it) and at most 2^17
 * (a few milliseconds).
 */
function chunkWork(work: number, threads: number): number {
  return Math.max(1 << 13, Math.min(1 << 17, Math.floor(work / (8 * threads))));
}

// ---------------------------------------------------------------------------------------------
// Self-contained functions shared by the calling thread and the workers (their source is shipped
// to the workers): they reach the kernels only through `k`, never through imports.

/** The kernel functions, passed explicitly (imports are not visible in a worker's copy). */
interface Kernels {
  digitBitsFor: typeof digitBitsFor;
  createScratch: typeof createScratch;
  scoreBlock: typeof scoreBlock;
  asmLoad: typeof asmLoad;
  asmScore: typeof asmScore;
  compileAsm: typeof compileAsm;
  asmSource: string;
}

/** Per-thread state kept between jobs: buffers and the compiled module. */
interface ThreadState {
  scratch: KernelScratch | null;
  module: AsmModule | null;
  runner: AsmRunner | null;
}

/** A job as seen by one thread: views of its inputs and output, and how it is chunked. */
interface Views {
  mem: Float64Array;
  qs: Float64Array;
  maxM: Float64Array;
  maxQ: Float64Array;
  cDis: Float64Array;
  cDot: Float64Array;
  out: Float64Array;
  n: number;
  d: number;
  b: number;
  sorted: boolean;
  kernel: BatchKernel;
}

/**
 * Makes the thread ready for a job: with the asm kernel, links/copies the inputs into its heap
 * (st.runner, or null when the job is too large for an asm.js heap: then the TS kernel runs).
 */
function prepareThread(k: Kernels, st: ThreadState, v: Views): void {
  const previous = st.runner;
  st.runner = null;
  if (v.kernel === 'asm') {
    if (st.module === null) st.module = k.compileAsm(k.asmSource);
    st.runner = k.asmLoad(st.module, previous, v.mem, v.qs, v.maxM, v.maxQ, v.cDis, v.cDot, v.n, v.d, v.b, k.digitBitsFor(v.d));
  }
}

/** Scores q in [q0, q1), k in [k0, k1) of the prepared job into v.out. */
function scoreRange(k: Kernels, st: ThreadState, v: Views, q0: number, q1: number, k0: number, k1: number): void {
  if (st.runner !== null) {
    k.asmScore(st.runner, v.sorted, v.out, q0, q1, k0, k1);
    return;
  }
  if (st.scratch === null || st.scratch.d !== v.d) st.scratch = k.createScratch(v.d);
  k.scoreBlock(v.mem, v.qs, v.d, v.n, v.maxM, v.maxQ, v.cDis, v.cDot, v.sorted, v.out, q0, q1, k0, k1, st.scratch);
}

/**
 * Claims and scores chunks until none are left. Control words: [0] next chunk, [1] chunks done,
 * [2] error flag, [3] chunks done by workers.
 */
function scoreChunks(k: Kernels, st: ThreadState, v: Views, ctrl: Int32Array, chunkK: number, chunksPerRow: number, total: number, isWorker: boolean): void {
  let prepared = false;
  for (;;) {
    const c = Atomics.add(ctrl, 0, 1);
    if (c >= total) break;
    try {
      if (!prepared) {
        prepareThread(k, st, v);
        prepared = true;
      }
      const q = Math.floor(c / chunksPerRow);
      const k0 = (c % chunksPerRow) * chunkK;
      scoreRange(k, st, v, q, q + 1, k0, Math.min(v.n, k0 + chunkK));
    } catch {
      Atomics.store(ctrl, 2, 1);
    }
    if (isWorker) Atomics.add(ctrl, 3, 1);
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
}

// ---------------------------------------------------------------------------------------------

const KERNELS: Kernels = { digitBitsFor, createScratch, scoreBlock, asmLoad, asmScore, compileAsm, asmSource: ASM_SOURCE };

const WORKER_SOURCE = `'use strict';
const { parentPort } = require('node:worker_threads');
var __name = (f) => f; // esbuild's keepNames helper, in case the transpiled source refers to it
${[...KERNEL_FUNCTIONS, asmLoad, asmScore, compileAsm, prepareThread, scoreRange, scoreChunks].map((f) => f.toString()).join('\n')}
const k = { digitBitsFor, createScratch, scoreBlock, asmLoad, asmScore, compileAsm, asmSource: ${JSON.stringify(ASM_SOURCE)} };
const st = { scratch: null, module: null, runner: null };
parentPort.on('message', (job) => {
  const f = new Float64Array(job.data);
  const { n, d, b } = job;
  let o = 0;
  const view = (len) => f.subarray(o, (o += len));
  const v = {
    mem: view(n * d), qs: view(b * d), maxM: view(n), maxQ: view(b), cDis: view(d), cDot: view(d), out: view(b * n),
    n, d, b, sorted: job.sorted, kernel: job.kernel,
  };
  scoreChunks(k, st, v, new Int32Array(job.ctrl), job.chunkK, job.chunksPerRow, job.total, true);
});
`;

interface Pool {
  workers: Worker[];
  broken: boolean;
}

let pool: Pool | undefined;
let configuredThreads: number | undefined;
let configuredKernel: BatchKernel | undefined;
const mainState: ThreadState = { scratch: null, module: null, runner: null };

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

/** The kernel in use: setBatchKernel's, else AHOP_BATCH_KERNEL ('asm' | 'ts'), else 'asm'. */
export function batchKernel(): BatchKernel {
  if (configuredKernel !== undefined) return configuredKernel;
  return process.env.AHOP_BATCH_KERNEL === 'ts' ? 'ts' : 'asm';
}

/** Chooses the kernel for later calls ('asm' | 'ts'), or restores the default with undefined. */
export function setBatchKernel(kernel: BatchKernel | undefined): void {
  if (kernel !== undefined && kernel !== 'asm' && kernel !== 'ts') throw new RangeError(`kernel must be 'asm' or 'ts', got ${String(kernel)}`);
  configuredKernel = kernel;
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

/** Chunks of the last job that went through the pool, and how many of them workers scored. */
export interface ParallelStats {
  chunks: number;
  byWorkers: number;
}
let stats: ParallelStats | undefined;
export function lastParallelStats(): ParallelStats | undefined {
  return stats;
}

/** Scores the whole job on the calling thread. */
function runSingle(job: ScoreJob): void {
  const v: Views = {
    mem: job.memories,
    qs: job.queries,
    maxM: job.maxM,
    maxQ: job.maxQ,
    cDis: job.cDis,
    cDot: job.cDot,
    out: job.out,
    n: job.n,
    d: job.d,
    b: job.b,
    sorted: job.sorted,
    kernel: batchKernel(),
  };
  prepareThread(KERNELS, mainState, v);
  scoreRange(KERNELS, mainState, v, 0, job.b, 0, job.n);
}

/** Scores `job` with worker threads and returns true, or returns false having written nothing. */
function runParallel(job: ScoreJob, threads: number): boolean {
  const { n, d, b } = job;
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
    return f.subarray(o, (o += a.length));
  };
  const kernel = batchKernel();
  const v: Views = {
    mem: put(job.memories),
    qs: put(job.queries),
    maxM: put(job.maxM),
    maxQ: put(job.maxQ),
    cDis: put(job.cDis),
    cDot: put(job.cDot),
    out: f.subarray(o, o + b * n),
    n,
    d,
    b,
    sorted: job.sorted,
    kernel,
  };
  const message = { ctrl: ctrl.buffer, data, n, d, b, sorted: job.sorted, kernel, chunkK, chunksPerRow, total };
  for (const w of p.workers) w.postMessage(message);

  scoreChunks(KERNELS, mainState, v, ctrl, chunkK, chunksPerRow, total, false);
  // Every chunk is claimed; wait for the ones the workers hold.
  let seen = Atomics.load(ctrl, 1);
  let since = Date.now();
  while (seen < total) {
    Atomics.wait(ctrl, 1, seen, 100);
    const now = Atomics.load(ctrl, 1);
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (Date.now() - since > STALL_MS) {
      p.broken = true;
      return false;
    }
  }
  if (Atomics.load(ctrl, 2) !== 0) {
    p.broken = true;
    return false;
  }
  job.out.set(v.out);
  stats = { chunks: total, byWorkers: Atomics.load(ctrl, 3) };
  return true;
}

/** Scores every pair of the job into job.out: in parallel when it pays, else on this thread. */
export function runJob(job: ScoreJob): void {
  const threads = batchThreads();
  if (threads >= 2 && job.b * job.n * job.d >= MIN_PARALLEL_WORK && runParallel(job, threads)) return;
  runSingle(job);
}
