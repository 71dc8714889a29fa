/**
 * Benchmark harness: timing in query·memory pairs per second, inputs, machine description.
 * A row is a scorer to time at each size; bench/run.ts lists the rows, and another backend (e.g.
 * gpu.js in bench/gpu.ts) adds its own by exporting more BenchRow values for run.ts to include.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { createRng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';

export interface BenchSize {
  n: number;
  d: number;
  b: number;
}

export interface BenchInputs {
  size: BenchSize;
  /** N×d memories, row-major. */
  memories: Float64Array;
  /** B×d queries, row-major. */
  queries: Float64Array;
  /** A-Hop parameters with both footprints active (β_dis, β_dot ≠ 0, dense w). */
  params: AhopParams;
}

export interface BenchRow {
  /** Short label for the table. */
  name: string;
  /** One line for docs/bench.md: what is timed. */
  description: string;
  /** Samples to take the median of. */
  runs: number;
  /**
   * Time this many queries of the B (pairs/s is per pair, so a slow reference row can be timed on a
   * prefix of the queries to keep the whole bench short); undefined = all B.
   */
  queries?: (size: BenchSize) => number | undefined;
  /**
   * Returns the function to time on these inputs (called once per call to be timed). It may return
   * a promise (an asynchronous backend such as gpu.js): each call is awaited before the next.
   */
  prepare: (inputs: BenchInputs) => () => unknown;
  /** Called after this row's sizes are done (e.g. to restore a setting). */
  finish?: () => void;
}

export interface Timing {
  /** Median over the samples, pairs per wall-clock second. */
  pairsPerSecond: number;
  /** Every sample, pairs/s. */
  samples: number[];
  /**
   * Median pairs per CPU-second of this process (all its threads). On a shared machine it shows
   * what the code does with the CPU time it got: for a single-threaded row it is about the
   * throughput on an idle core.
   */
  pairsPerCpuSecond: number;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Pairs per second of `fn`, which scores `pairs` pairs per call (awaited when it returns a
 * promise): one warm-up call (JIT, worker start), then `runs` samples; each sample repeats the call
 * until `minSeconds` of wall-clock time have passed, so fast rows are not timed at the timer's
 * resolution. Returns the median sample.
 */
export async function timePairs(fn: () => unknown, pairs: number, runs = 5, minSeconds = 0.25): Promise<Timing> {
  await fn();
  const samples: number[] = [];
  const cpuSamples: number[] = [];
  for (let r = 0; r < runs; r++) {
    let calls = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let dt = 0;
    do {
      await fn();
      calls++;
      dt = (performance.now() - t0) / 1000;
    } while (dt < minSeconds);
    const c = process.cpuUsage(c0);
    samples.push((pairs * calls) / dt);
    cpuSamples.push((pairs * calls) / ((c.user + c.system) / 1e6));
  }
  return { pairsPerSecond: median(samples), samples, pairsPerCpuSecond: median(cpuSamples) };
}

/**
 * Inputs for one size, the same for every row (seeded): memories ~ N(0, 1); each query a memory
 * plus N(0, 0.5²) noise (a noisy variant); w_dis, w_dot ~ N(0, 1), β_dis = 1, β_dot = 0.5.
 */
export function benchInputs(size: BenchSize, seed = 1): BenchInputs {
  const rng = createRng(seed);
  const { n, d, b } = size;
  const memories = Float64Array.from({ length: n * d }, () => rng.normal());
  const queries = new Float64Array(b * d);
  for (let q = 0; q < b; q++) {
    const k = rng.int(n);
    for (let i = 0; i < d; i++) queries[q * d + i] = memories[k * d + i] + 0.5 * rng.normal();
  }
  const w = () => Array.from({ length: d }, () => rng.normal());
  return { size, memories, queries, params: { wDis: w(), wDot: w(), betaDis: 1, betaDot: 0.5 } };
}

/** The first `b` queries of the inputs. */
export function withQueries(inputs: BenchInputs, b: number): BenchInputs {
  const { d } = inputs.size;
  return { ...inputs, size: { ...inputs.size, b }, queries: inputs.queries.subarray(0, b * d) };
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  threads: number;
  loadAverage: number[];
}

/** `nproc`, the CPU model from /proc/cpuinfo, node version, 1-minute load averages. */
export function machineInfo(threads: number): MachineInfo {
  let nproc = availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // nproc is missing: keep availableParallelism().
  }
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    // not Linux: keep os.cpus()'s model.
  }
  return { nproc, cpuModel, node: process.version, threads, loadAverage: loadavg() };
}

/** 1.234e5-style formatting for the table. */
export const sci = (x: number) => x.toExponential(2).replace('e+', 'e');
