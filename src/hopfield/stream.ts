/**
 * Streaming retrieval: B queries against N memories that arrive in blocks, so neither the N×d memory
 * matrix nor the B×N scores are ever held at once (N = 100,000 memories of d = 784 is 627 MB as
 * float64). Each block is scored with `scoreBatch` (batch.ts) and folded into an online
 * log-sum-exp and readout per query b:
 *
 *   m_b = max_k s_bk (the running maximum, attained first at index t_b),
 *   r_b = Σ_{k ≠ t_b} e^{s_bk − m_b},   u_b = Σ_k e^{s_bk − m_b} ξ_k,
 *
 * rescaled by e^{m_old − m_new} whenever a block raises the maximum. At the end
 *   E_b = −lse_k s_bk = −(m_b + log1p(r_b)),   y_b = Σ_k softmax(s_b)_k ξ_k = u_b / (1 + r_b),
 * and the source is t_b = argmax_k s_bk (ties: lowest index) — the same quantities, with the same
 * stable form, as `retrieve` in ahop.ts, which a spec test compares them with.
 *
 * Memory use is O(block·d + B·d + B·block) whatever N is.
 */
import { AhopError, DomainError, ShapeError } from '../errors.ts';
import { createRng } from '../random/rng.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkFinite, checkVector } from '../validate.ts';
import { scoreBatch } from './batch.ts';

export interface StreamRetrieval {
  /** Number of memories seen (N). */
  n: number;
  /** argmax_k s(ξ_k, x_b) per query (ties: lowest index). */
  source: number[];
  /** max_k s(ξ_k, x_b) per query. */
  maxScore: Float64Array;
  /** E_b = −lse_k s(ξ_k, x_b) per query. */
  energy: Float64Array;
  /** B×d row-major readouts y_b = Σ_k softmax(s_b)_k ξ_k. */
  retrieved: Float64Array;
}

export interface BlockInfo {
  /** Index of the block (0-based). */
  block: number;
  /** Memories in this block. */
  rows: number;
  /** Memories seen so far, this block included. */
  seen: number;
}

/** Re-raises a typed error from a block with the block named (same error class). */
function inBlock(i: number, offset: number, e: unknown): never {
  if (e instanceof AhopError) {
    const Ctor = e.constructor as new (m: string) => AhopError;
    throw new Ctor(`memory block ${i} (memories ${offset}…): ${e.message}`);
  }
  throw e;
}

/**
 * Scores and retrieves B queries (flat row-major B×d `queries`) against the memories delivered by
 * `blocks`, each a flat row-major Float64Array of whole rows (its length a multiple of d; an empty
 * block is skipped). A block may be a reused buffer: it is not kept after the next one is asked for.
 * Per query b: E_b = −lse_k s(ξ_k, x_b) and y_b = Σ_k softmax(s_b)_k ξ_k, folded block by block with an online log-sum-exp.
 * @example
 * ```ts
 * import { initialParams, retrieve, rowBlocks, streamRetrieve } from 'ahop';
 * const memories = [[0, 0], [1, 1], [2, 0], [0, 3]];
 * const r = streamRetrieve(rowBlocks(memories, 3), 2, Float64Array.of(1, 0), 1, initialParams(2));
 * const whole = retrieve(memories, [1, 0], initialParams(2));
 * if (r.n !== 4 || r.source[0] !== whole.source) throw new Error('the same source as one retrieval over all memories');
 * if (Math.abs(r.energy[0]! - whole.energy) > 1e-12) throw new Error('the same energy');
 * ```
 */
export function streamRetrieve(
  blocks: Iterable<Float64Array>,
  d: number,
  queries: Float64Array,
  b: number,
  params: AhopParams,
  options: FootprintOptions = FULL_FOOTPRINT,
  onBlock?: (info: BlockInfo) => void,
): StreamRetrieval {
  if (!Number.isSafeInteger(d) || d <= 0) throw new ShapeError(`d must be a positive integer, got ${d}`);
  if (!Number.isSafeInteger(b) || b <= 0) throw new ShapeError(`queries must have at least one row (b must be a positive integer), got b = ${b}`);
  if (!(queries instanceof Float64Array)) throw new ShapeError('queries must be a Float64Array (B×d, row-major)');
  if (queries.length !== b * d) throw new ShapeError(`queries must have ${b}×${d} = ${b * d} entries, got ${queries.length}`);
  for (let i = 0; i < queries.length; i++) checkFinite(`queries[${Math.floor(i / d)}][${i % d}]`, queries[i]);
  const p = checkParams(params, d);
  const o = checkFootprintOptions(options);
  if (blocks === null || typeof (blocks as Partial<Iterable<Float64Array>>)?.[Symbol.iterator] !== 'function') {
    throw new ShapeError('blocks must be an iterable of Float64Array memory blocks');
  }
  if (onBlock !== undefined && typeof onBlock !== 'function') throw new DomainError('onBlock must be a function');

  const m = new Float64Array(b).fill(-Infinity);
  const rest = new Float64Array(b);
  const u = new Float64Array(b * d);
  const source = new Array<number>(b).fill(-1);
  let seen = 0;
  let index = 0;
  for (const block of blocks) {
    if (!(block instanceof Float64Array)) throw new ShapeError(`memory block ${index} must be a Float64Array`);
    if (block.length % d !== 0) {
      throw new ShapeError(`memory block ${index} has ${block.length} entries, not a whole number of rows of d = ${d}`);
    }
    const rows = block.length / d;
    if (rows > 0) {
      let s: Float64Array;
      try {
        s = scoreBatch(block, rows, d, queries, b, p, o);
      } catch (e) {
        inBlock(index, seen, e);
      }
      for (let q = 0; q < b; q++) {
        const so = q * rows;
        let top = -1;
        let blockMax = -Infinity;
        for (let k = 0; k < rows; k++) {
          const v = s[so + k];
          if (!Number.isFinite(v)) {
            throw new DomainError(
              `s(ξ_${seen + k}, x_${q}) = ${v}: the memories and queries are too large for float64 scores (|memories| or |queries| ~ 1e154 or more)`,
            );
          }
          if (v > blockMax) {
            blockMax = v;
            top = k;
          }
        }
        const uq = u.subarray(q * d, (q + 1) * d);
        if (blockMax > m[q]) {
          // The old total (1 + rest, or nothing before the first block) moves onto the new maximum.
          const scale = m[q] === -Infinity ? 0 : Math.exp(m[q] - blockMax);
          rest[q] = m[q] === -Infinity ? 0 : (1 + rest[q]) * scale;
          for (let i = 0; i < d; i++) uq[i] *= scale;
          m[q] = blockMax;
          source[q] = seen + top;
        } else top = -1; // the block holds no new maximum: every term goes into rest
        const mq = m[q];
        for (let k = 0; k < rows; k++) {
          const e = Math.exp(s[so + k] - mq);
          if (e === 0) continue;
          if (k !== top) rest[q] += e;
          const mo = k * d;
          for (let i = 0; i < d; i++) uq[i] += e * block[mo + i];
        }
      }
      seen += rows;
    }
    onBlock?.({ block: index, rows, seen });
    index++;
  }
  if (seen === 0) throw new ShapeError('memories must have at least one row (N = 0): the blocks held no memories');
  const energy = new Float64Array(b);
  const retrieved = new Float64Array(b * d);
  for (let q = 0; q < b; q++) {
    energy[q] = -(m[q] + Math.log1p(rest[q]));
    const z = 1 + rest[q];
    for (let i = 0; i < d; i++) retrieved[q * d + i] = u[q * d + i] / z;
  }
  return { n: seen, source, maxScore: m, energy, retrieved };
}

/**
 * Memories given as rows (number[][]) cut into flat blocks of `blockRows` rows each; each row is
 * checked (finite numbers, the width of row 0) as its block is made.
 * Block j holds rows j·blockRows … (j + 1)·blockRows − 1, flat row-major: block[r·d + i] = memories[j·blockRows + r][i].
 * @example
 * ```ts
 * import { rowBlocks } from 'ahop';
 * const blocks = [...rowBlocks([[1, 2], [3, 4], [5, 6]], 2)];
 * if (blocks.length !== 2 || blocks[0]!.join() !== '1,2,3,4' || blocks[1]!.join() !== '5,6') throw new Error('two blocks');
 * ```
 */
export function* rowBlocks(memories: readonly (readonly number[])[], blockRows: number): Generator<Float64Array> {
  if (!Number.isSafeInteger(blockRows) || blockRows <= 0) throw new DomainError(`blockRows must be a positive integer, got ${blockRows}`);
  if (!Array.isArray(memories)) throw new ShapeError('memories must be an array of rows');
  const d = Array.isArray(memories[0]) ? memories[0].length : undefined;
  for (let start = 0; start < memories.length; start += blockRows) {
    const part = memories.slice(start, start + blockRows).map((row, k) => checkVector(`memories[${start + k}]`, row, d));
    const width = part[0].length;
    const block = new Float64Array(part.length * width);
    part.forEach((row, k) => block.set(row, k * width));
    yield block;
  }
}

/**
 * N seeded memories with entries uniform in [0, 1), generated block by block into one reused buffer
 * (so at most blockRows×d numbers exist at a time): row k is the same for a seed whatever the block
 * size. The last block may be shorter (a view of the buffer).
 */
export function* seededMemoryBlocks(seed: number, n: number, d: number, blockRows: number): Generator<Float64Array> {
  for (const [name, v] of [['n', n], ['d', d], ['blockRows', blockRows]] as const) {
    if (!Number.isSafeInteger(v) || v <= 0) throw new DomainError(`${name} must be a positive integer, got ${v}`);
  }
  const rng = createRng(seed);
  const buffer = new Float64Array(Math.min(blockRows, n) * d);
  for (let start = 0; start < n; start += blockRows) {
    const rows = Math.min(blockRows, n - start);
    const block = rows * d === buffer.length ? buffer : buffer.subarray(0, rows * d);
    for (let i = 0; i < block.length; i++) block[i] = rng.uniform();
    yield block;
  }
}
