/**
 * The batched A-Hop hot loop on a gpu.js backend, in float32: S[b][k] = s(ξ_k, x_b) for B queries
 * against N memories, then softmax, readout and energy per query. Same contract as the float64
 * reference (src/hopfield/batch.ts); results come back as Float64Arrays holding float32 values.
 *
 * Scores, per (memory, query) pair and base similarity (dis and dot):
 *   q_i = sim(ξ_i, x_i)  →  q̃ = q sorted descending  →  Σ_r cc_r q̃_r,
 * with cc_r = β c_r and c the suffix sums of w (the footprint's U folded into the weights; c = w
 * without U). Sorting is a bitonic network over the dimension axis, padded to a power of two
 * dpad: log2(dpad)·(log2(dpad)+1)/2 compare-exchange steps of dpad/2 independent exchanges each,
 * i.e. O(d log² d) work per pair in O(log² d) parallel steps.
 *
 * - dpad ≤ 64: one kernel, one thread per pair, the whole network in registers (fused).
 * - larger d: a register sort of aligned blocks of 16 (pass 1), merge passes of up to MERGE_BITS = 3
 *   network steps each (one thread per element, 2^m reads and 2^m − 1 selections), then a dot-product
 *   kernel per tile of 64 that runs the final stage's last 6 steps in registers, then a sum of
 *   the tiles. The work is cut into chunks of at most CHUNK_ELEMENTS intermediate values.
 */
import { DomainError, ShapeError } from '../src/errors.ts';
import { checkFlat } from '../src/validate.ts';
import { checkParams, type AhopParams } from '../src/similarity/adaptive.ts';
import { FULL_FOOTPRINT, suffixSums, type FootprintOptions } from '../src/similarity/footprint.ts';
import type { Base } from '../src/similarity/base.ts';
import type { BatchArgs, BatchResult } from '../backends/batch.ts';
import type { GpuKernel, LoadedBackend } from './backends.ts';
import {
  BLOCK,
  FUSED_MAX_DPAD,
  MAX_LOOP,
  MERGE_BITS,
  TAIL,
  blockSortSource,
  copySource,
  cropSource,
  fusedFootprintSource,
  fusedScoreSource,
  logSumExpSource,
  mergePassSource,
  partialSumSource,
  probSource,
  readoutSumSource,
  rowScanSource,
  rowTileSumSource,
  tileDotSource,
  tileMaxSource,
  tileReadoutSource,
  tileSumExpSource,
} from './kernels.ts';
import { bitonicSteps, nextPow2, planPasses, type NetworkStyle } from './network.ts';

/** The tolerance a float32 gpu.js backend states in the conformance files it writes (gpu/conformance.ts). */
export const FLOAT32_TOLERANCE = { rel: 1e-4, abs: 1e-5 } as const;

/**
 * From this many memories on, the fused kernel runs once per query with the query as scalar
 * arguments (no per-lane reads of it): 2.2× less CPU time on llvmpipe at N = 10000, d = 64, while
 * below it the per-call cost would dominate (N = 100, B = 256).
 */
export const PER_QUERY_MIN_N = 2048;

/** Most float32 values in one intermediate array (32 MiB): well under every device's buffer limit. */
export const CHUNK_ELEMENTS = 1 << 23;
/** Largest d the multi-pass sort handles with loops of at most MAX_LOOP iterations. */
export const MAX_DIMENSION = 65536;
/** Largest |value| accepted: keeps q = (ξ − x)² and every product finite in float32. */
export const MAX_ABS_VALUE = 1e15;

type Nested = Float32Array | Nested[];

/** Copies a kernel's output (a typed array or nested arrays of them) into `into` from `offset`; returns the end. */
function copyOutput(result: unknown, into: Float64Array, offset = 0): number {
  if (result instanceof Float32Array || result instanceof Float64Array) {
    into.set(result, offset);
    return offset + result.length;
  }
  if (Array.isArray(result)) {
    for (const part of result as Nested[]) offset = copyOutput(part, into, offset);
    return offset;
  }
  throw new Error(`internal: a kernel returned ${Object.prototype.toString.call(result)}`);
}

/** checkFlat of the reference, and every value within ±MAX_ABS_VALUE (finite in float32 arithmetic). */
function checkFlat32(name: string, a: unknown, rows: number, d: number): Float64Array {
  const v = checkFlat(name, a, rows, d);
  for (let i = 0; i < v.length; i++) {
    if (Math.abs(v[i]) > MAX_ABS_VALUE) {
      throw new DomainError(`${name}[${Math.floor(i / d)}][${i % d}] = ${v[i]} is beyond ±${MAX_ABS_VALUE}, the range a float32 backend accepts`);
    }
  }
  return v;
}

function checkD(d: number): void {
  if (!Number.isInteger(d) || d <= 0) throw new ShapeError(`d must be a positive integer, got ${d}`);
  if (d > MAX_DIMENSION) throw new DomainError(`d = ${d} is beyond ${MAX_DIMENSION}, the largest dimension the gpu kernels handle`);
}

/** Splits [0, total) into chunks of at most `size`. */
function* chunks(total: number, size: number): Generator<[number, number]> {
  for (let start = 0; start < total; start += size) yield [start, Math.min(size, total - start)];
}

export class GpuScorer {
  private readonly kernels = new Map<string, GpuKernel>();
  /** Every backend mode that actually executed a kernel of this scorer. */
  readonly executedModes = new Set<string>();

  /** Widest padded d sorted entirely in one thread's registers (see FUSED_MAX_DPAD). */
  readonly fusedMaxDpad: number;

  constructor(
    readonly backend: LoadedBackend,
    options: { fusedMaxDpad?: number } = {},
  ) {
    this.fusedMaxDpad = options.fusedMaxDpad ?? FUSED_MAX_DPAD;
    this.style = backend.name === 'cpu' ? 'swap' : 'minmax';
  }

  /** How the networks are written for this backend (see NetworkStyle). */
  readonly style: NetworkStyle;

  private kernel(key: string, source: () => string, pipeline: boolean): GpuKernel {
    const full = `${pipeline ? 'p' : 'r'}:${key}`;
    let k = this.kernels.get(full);
    if (k === undefined) {
      k = this.backend.createKernel(source(), { output: [1], pipeline });
      this.kernels.set(full, k);
    }
    return k;
  }

  /** Runs a kernel at an output size and records the mode that really ran it. */
  private async run(k: GpuKernel, output: number[], ...args: unknown[]): Promise<unknown> {
    k.setOutput(output);
    const result = await k(...args);
    this.executedModes.add(this.backend.executedMode(k));
    return result;
  }

  private input(values: Float32Array, size: number[]): unknown {
    return this.backend.input(values, size);
  }

  /** β-scaled coefficients in sorted (or original) order, padded with zeros to `width`: [width, 2]. */
  private coefficients(p: AhopParams, d: number, width: number, options: FootprintOptions): Float32Array {
    const cc = new Float32Array(2 * width);
    const cDis = options.cumulative ? suffixSums(p.wDis) : p.wDis;
    const cDot = options.cumulative ? suffixSums(p.wDot) : p.wDot;
    for (let r = 0; r < d; r++) {
      cc[r] = p.betaDis * cDis[r];
      cc[width + r] = p.betaDot * cDot[r];
    }
    return cc;
  }

  /** S (B×N) with S[b·N + k] = s(ξ_k, x_b), computed in float32 on this backend. */
  scoreBatch(...args: BatchArgs): Promise<Float64Array> {
    return this.serial(() => this.scores(...args));
  }

  /** Scores, then softmax, readout and energy per query, all on this backend. */
  retrieveBatch(...args: BatchArgs): Promise<BatchResult> {
    return this.serial(() => this.retrieval(...args));
  }

  /**
   * ftpt_base(ξ_r, x_r) for R rows (xi, x: R×d): R×d running sums of q sorted descending (or the
   * ablations), in float32 on this backend.
   */
  footprintBatch(
    base: Base,
    xi: Float64Array,
    x: Float64Array,
    rows: number,
    d: number,
    options: FootprintOptions = FULL_FOOTPRINT,
  ): Promise<Float64Array> {
    return this.serial(() => this.footprints(base, xi, x, rows, d, options));
  }

  /**
   * Calls on one scorer run one after another: its kernels keep their output buffers between
   * calls, so two interleaved calls would overwrite each other's intermediates.
   */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
  private queue: Promise<unknown> = Promise.resolve();

  private async scores(...[memories, n, d, queries, b, params, options = FULL_FOOTPRINT]: BatchArgs): Promise<Float64Array> {
    checkD(d);
    checkFlat32('memories', memories, n, d);
    checkFlat32('queries', queries, b, d);
    const p = checkParams(params, d);
    const mem32 = Float32Array.from(memories);
    const qry32 = Float32Array.from(queries);
    const out = new Float64Array(b * n);
    const dpad = nextPow2(d);
    if (dpad <= this.fusedMaxDpad) {
      // Coefficients as 2d scalar arguments (see fusedScoreSource), in float32.
      const cc = [...this.coefficients(p, d, d, options)];
      const perQuery = n >= PER_QUERY_MIN_N;
      const k = this.kernel(`fused:${d}:${options.sort}:${perQuery}`, () => fusedScoreSource(d, options.sort, this.style, perQuery), false);
      // One output per pair; keep each call's output under CHUNK_ELEMENTS.
      const nc = Math.min(n, CHUNK_ELEMENTS, this.backend.maxOutputDim);
      const bc = Math.max(1, Math.min(b, Math.floor(CHUNK_ELEMENTS / nc), this.backend.maxOutputDim));
      for (const [k0, nk] of chunks(n, nc)) {
        const mem = this.input(mem32.subarray(k0 * d, (k0 + nk) * d), [d, nk]);
        if (perQuery) {
          // Many memories: the memories go to the device once, then one call per query with the
          // query's values as scalar arguments.
          const resident = await this.run(this.kernel('copy', copySource, true), [d, nk], mem);
          for (let q = 0; q < b; q++) {
            const x = [...qry32.subarray(q * d, (q + 1) * d)];
            const s = await this.run(k, [nk], resident, ...x, ...cc);
            copyOutput(s, out, q * n + k0);
          }
          continue;
        }
        for (const [b0, nb] of chunks(b, bc)) {
          const qry = this.input(qry32.subarray(b0 * d, (b0 + nb) * d), [d, nb]);
          const s = await this.run(k, [nk, nb], mem, qry, ...cc);
          this.scatter(s, out, n, k0, nk, b0, nb);
        }
      }
      return out;
    }
    // Multi-pass: intermediates [dpad, 2·nc, bc].
    const tile = Math.min(TAIL, dpad);
    const tiles = dpad / tile;
    const cc = this.input(this.coefficients(p, d, dpad, options), [dpad, 2]);
    const nc = Math.max(1, Math.min(n, Math.floor(CHUNK_ELEMENTS / (2 * dpad)), Math.floor(this.backend.maxOutputDim / 2)));
    const bc = Math.max(1, Math.min(b, Math.floor(CHUNK_ELEMENTS / (2 * dpad * nc)), 65535));
    const passes = options.sort ? planPasses(dpad, BLOCK, MERGE_BITS, tile) : [];
    const trailing = options.sort ? bitonicSteps(dpad, dpad, dpad).filter((s) => s.j < tile) : [];
    const sumK = this.kernel(`psum:${tiles}`, () => partialSumSource(tiles), false);
    for (const [k0, nk] of chunks(n, nc)) {
      const mem = this.input(mem32.subarray(k0 * d, (k0 + nk) * d), [d, nk]);
      for (const [b0, nb] of chunks(b, bc)) {
        const qry = this.input(qry32.subarray(b0 * d, (b0 + nb) * d), [d, nb]);
        const shape = [dpad, 2 * nk, nb];
        let part: unknown;
        if (options.sort) {
          const blockK = this.kernel(`block:${d}:${dpad}`, () => blockSortSource(d, dpad, { pairs: true }, this.style), true);
          let a = await this.run(blockK, shape, mem, qry);
          for (const steps of passes) {
            const key = `merge:${dpad}:${steps.map((s) => `${s.k}/${s.j}`).join(',')}`;
            a = await this.run(this.kernel(key, () => mergePassSource(dpad, steps, this.style), true), shape, a);
          }
          const dotK = this.kernel(`tiledot:${d}:${tile}`, () => tileDotSource(d, tile, trailing, false, this.style), true);
          part = await this.run(dotK, [tiles, 2 * nk, nb], a, cc);
        } else {
          const dotK = this.kernel(`tiledot-ns:${d}:${tile}`, () => tileDotSource(d, tile, [], true, this.style), true);
          part = await this.run(dotK, [tiles, 2 * nk, nb], mem, qry, cc);
        }
        const s = await this.run(sumK, [nk, nb], part);
        this.scatter(s, out, n, k0, nk, b0, nb);
      }
    }
    return out;
  }

  private scatter(result: unknown, out: Float64Array, n: number, k0: number, nk: number, b0: number, nb: number): void {
    const block = new Float64Array(nk * nb);
    copyOutput(result, block);
    for (let bb = 0; bb < nb; bb++) out.set(block.subarray(bb * nk, (bb + 1) * nk), (b0 + bb) * n + k0);
  }

  private async retrieval(...[memories, n, d, queries, b, params, options = FULL_FOOTPRINT]: BatchArgs): Promise<BatchResult> {
    const scores = await this.scores(memories, n, d, queries, b, params, options);
    // Tiles of the memory axis so that no loop runs past MAX_LOOP (n up to MAX_LOOP²).
    const tile = nextPow2(Math.ceil(Math.sqrt(n)));
    const tiles = Math.ceil(n / tile);
    const most = Math.min(MAX_LOOP ** 2, this.backend.maxOutputDim);
    if (n > most) throw new DomainError(`N = ${n} memories is beyond ${most}, the most the gpu softmax handles on ${this.backend.name}`);
    const scores32 = Float32Array.from(scores);
    const mem = this.input(Float32Array.from(memories), [d, n]);
    const probs = new Float64Array(b * n);
    const retrieved = new Float64Array(b * d);
    const energy = new Float64Array(b);
    // Queries in chunks: each kernel's output stays within the backend's limits and CHUNK_ELEMENTS.
    const bc = Math.max(1, Math.min(b, this.backend.maxOutputDim, 65535, Math.floor(CHUNK_ELEMENTS / Math.max(n, d * tiles))));
    for (const [b0, nb] of chunks(b, bc)) {
      const s = this.input(scores32.subarray(b0 * n, (b0 + nb) * n), [n, nb]);
      const tmax = await this.run(this.kernel(`tmax:${tile}`, () => tileMaxSource(tile), true), [tiles, nb], s, n);
      const tsum = await this.run(this.kernel(`tsum:${tile}`, () => tileSumExpSource(tile), true), [tiles, nb], s, tmax, n);
      const lse = await this.run(this.kernel(`lse:${tiles}`, () => logSumExpSource(tiles), true), [nb], tmax, tsum);
      const probHandle = await this.run(this.kernel('prob', probSource, true), [n, nb], s, lse);
      const tread = await this.run(this.kernel(`tread:${tile}`, () => tileReadoutSource(tile), true), [d, tiles, nb], probHandle, mem, n);
      const y = await this.run(this.kernel(`read:${tiles}`, () => readoutSumSource(tiles), false), [d, nb], tread);
      // Read back what the pipeline kept on the device.
      copyOutput(await this.readBack(probHandle), probs, b0 * n);
      const lseValues = new Float64Array(nb);
      copyOutput(await this.readBack(lse), lseValues);
      energy.set(lseValues.map((v) => -v), b0);
      copyOutput(y, retrieved, b0 * d);
    }
    return { scores, probs, retrieved, energy };
  }

  /** A pipeline result as plain arrays (a device buffer is read back; host arrays pass through). */
  private async readBack(handle: unknown): Promise<unknown> {
    if (handle !== null && typeof handle === 'object' && 'toArray' in handle && typeof handle.toArray === 'function') {
      return await (handle as { toArray(): unknown }).toArray();
    }
    return handle;
  }

  private async footprints(
    base: Base,
    xi: Float64Array,
    x: Float64Array,
    rows: number,
    d: number,
    options: FootprintOptions = FULL_FOOTPRINT,
  ): Promise<Float64Array> {
    checkD(d);
    checkFlat32('xi', xi, rows, d);
    checkFlat32('x', x, rows, d);
    const b = base === 'dis' ? 0 : 1;
    const xi32 = Float32Array.from(xi);
    const x32 = Float32Array.from(x);
    const out = new Float64Array(rows * d);
    const dpad = nextPow2(d);
    if (dpad <= this.fusedMaxDpad) {
      const k = this.kernel(`ffp:${d}:${b}:${options.sort}:${options.cumulative}`, () => fusedFootprintSource(d, b, options.sort, options.cumulative, this.style), false);
      for (const [r0, nr] of chunks(rows, Math.max(1, Math.min(Math.floor(CHUNK_ELEMENTS / d), this.backend.maxOutputDim)))) {
        const res = await this.run(k, [d, nr], this.input(xi32.subarray(r0 * d, (r0 + nr) * d), [d, nr]), this.input(x32.subarray(r0 * d, (r0 + nr) * d), [d, nr]));
        copyOutput(res, out, r0 * d);
      }
      return out;
    }
    const tile = Math.min(TAIL, dpad);
    const tiles = dpad / tile;
    const passes = options.sort ? planPasses(dpad, BLOCK, MERGE_BITS, 1) : [];
    for (const [r0, nr] of chunks(rows, Math.max(1, Math.min(Math.floor(CHUNK_ELEMENTS / dpad), this.backend.maxOutputDim)))) {
      const xin = this.input(xi32.subarray(r0 * d, (r0 + nr) * d), [d, nr]);
      const xq = this.input(x32.subarray(r0 * d, (r0 + nr) * d), [d, nr]);
      const shape = [dpad, nr, 1];
      let a: unknown;
      if (options.sort) {
        a = await this.run(this.kernel(`rblock:${d}:${dpad}:${b}`, () => blockSortSource(d, dpad, { rows: true, base: b }, this.style), true), shape, xin, xq);
        for (const steps of passes) {
          const key = `merge:${dpad}:${steps.map((s) => `${s.k}/${s.j}`).join(',')}`;
          a = await this.run(this.kernel(key, () => mergePassSource(dpad, steps, this.style), true), shape, a);
        }
      } else {
        // No sorting: q in place (a block sort over blocks of one element is just q).
        a = await this.run(this.kernel(`rq:${d}:${dpad}:${b}`, () => qRowSource(d, b), true), shape, xin, xq);
      }
      if (options.cumulative) {
        const ts = await this.run(this.kernel(`rtsum:${tile}`, () => rowTileSumSource(tile), true), [tiles, nr, 1], a);
        a = await this.run(this.kernel(`rscan:${tile}:${tiles}`, () => rowScanSource(tile, tiles), true), [dpad, nr, 1], a, ts);
      }
      const res = await this.run(this.kernel('crop', cropSource, false), [d, nr, 1], a);
      copyOutput(res, out, r0 * d);
    }
    return out;
  }
}

/** q of each row in place, padded with zeros to the row width: output [dpad, R, 1]. */
function qRowSource(d: number, base: 0 | 1): string {
  const q = base === 0 ? '-((m - v) * (m - v))' : 'm * v';
  return `function (xi, x) {
  const i = this.thread.x;
  const y = this.thread.y;
  const c = i < ${d} ? i : ${d - 1};
  const m = xi[y][c];
  const v = x[y][c];
  return i < ${d} ? ${q} : 0.0;
}`;
}

