/**
 * The Scorer over a tfjs backend (loaded by backends/tfjs.ts only when `tfjs-cpu` or `tfjs-wasm` is
 * asked for): scores, retrieval and footprints by the tfjs op's own kernels (tfjs/attention.ts;
 * values = keys), conformance files by `exportTfjsConformance` (the `layer` and `layer_vjp` kinds).
 *
 * Memory: the op materialises a few [B·N, d] float32 tensors per similarity (docs/tfjs.md), so the
 * queries run in blocks of at most BLOCK_ELEMENTS / (N·d) rows.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DomainError, ShapeError } from '../src/errors.ts';
import { checkParams } from '../src/similarity/adaptive.ts';
import type { Base } from '../src/similarity/base.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../src/similarity/footprint.ts';
import { checkFlat } from '../src/validate.ts';
import { ahopAttention, tfjsFootprints } from '../tfjs/attention.ts';
import { TfjsBackendUnavailableError, useTfjsBackend, type TfjsBackendName } from '../tfjs/backends.ts';
import { TFJS_FLOAT32_TOLERANCE, exportTfjsConformance } from '../tfjs/conformance.ts';
import type { BatchResult } from './batch.ts';
import { BackendUnavailableError } from './errors.ts';
import type { Scorer } from './index.ts';

/** Query rows per block: B·N·d ≤ 2²² float32 elements per [B·N, d] tensor (16 MB). */
const BLOCK_ELEMENTS = 2 ** 22;

/** The op computes the full footprint (sort and U) only; an ablation is refused, not approximated. */
function fullOnly(options: unknown, name = 'options'): void {
  const o = checkFootprintOptions(options, name);
  if (!o.sort || !o.cumulative) {
    throw new DomainError(`${name}: the tfjs backends compute the full A-Hop footprint only ({ sort: true, cumulative: true }), got ${JSON.stringify(o)}`);
  }
}

function checkD(d: number): void {
  if (!Number.isInteger(d) || d <= 0) throw new ShapeError(`d must be a positive integer, got ${d}`);
}

/** Float32 outputs back as float64, refusing non-finite values (float32 overflows near 1e19²). */
function finite(what: string, t: tf.Tensor): Float64Array {
  const out = Float64Array.from(t.dataSync());
  const bad = out.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new DomainError(`${what}[${bad}] is ${out[bad]} on tfjs (float32): the memories and queries are too large for float32 scores`);
  return out;
}

class TfjsScorer implements Scorer {
  readonly name: string;
  readonly device: string;
  readonly tolerance = TFJS_FLOAT32_TOLERANCE;
  private readonly executed = new Set<string>();

  constructor(private readonly backend: TfjsBackendName) {
    this.name = `tfjs-${backend}`;
    this.device = `TensorFlow.js ${tf.version_core} ${backend} backend, float32`;
  }

  /** Activates this scorer's backend (tfjs has one active backend per process) and runs `work`. */
  private async run<T>(work: () => T): Promise<T> {
    await useTfjsBackend(this.backend);
    const out = work();
    this.executed.add(`tfjs-${tf.getBackend()}`);
    return out;
  }

  private async forward(memories: Float64Array, n: number, d: number, queries: Float64Array, b: number, params: Parameters<Scorer['scoreBatch']>[5], options: FootprintOptions | undefined, all: boolean): Promise<BatchResult> {
    checkD(d);
    checkFlat('memories', memories, n, d);
    checkFlat('queries', queries, b, d);
    const p = checkParams(params, d);
    fullOnly(options ?? FULL_FOOTPRINT);
    const block = Math.max(1, Math.floor(BLOCK_ELEMENTS / (n * d)));
    return this.run(() => {
      const r: BatchResult = { scores: new Float64Array(b * n), probs: new Float64Array(all ? b * n : 0), retrieved: new Float64Array(all ? b * d : 0), energy: new Float64Array(all ? b : 0) };
      const k = tf.tensor2d(Float32Array.from(memories), [n, d]);
      try {
        for (let start = 0; start < b; start += block) {
          const rowsB = Math.min(block, b - start);
          tf.tidy(() => {
            const x = tf.tensor2d(Float32Array.from(queries.subarray(start * d, (start + rowsB) * d)), [rowsB, d]);
            const o = ahopAttention(x, k, k, p);
            r.scores.set(finite('scores', o.scores), start * n);
            if (all) {
              r.probs.set(finite('probs', o.probs), start * n);
              r.retrieved.set(finite('retrieved', o.retrieved), start * d);
              r.energy.set(finite('energy', o.energy), start);
            }
          });
        }
      } finally {
        k.dispose();
      }
      return r;
    });
  }

  async scoreBatch(...args: Parameters<Scorer['scoreBatch']>): Promise<Float64Array> {
    const [memories, n, d, queries, b, params, options] = args;
    return (await this.forward(memories, n, d, queries, b, params, options, false)).scores;
  }

  retrieveBatch(...args: Parameters<Scorer['retrieveBatch']>): Promise<BatchResult> {
    const [memories, n, d, queries, b, params, options] = args;
    return this.forward(memories, n, d, queries, b, params, options, true);
  }

  async footprintBatch(base: Base, xi: Float64Array, x: Float64Array, rows: number, d: number, options: FootprintOptions = FULL_FOOTPRINT): Promise<Float64Array> {
    if (base !== 'dis' && base !== 'dot') throw new DomainError(`base must be "dis" or "dot", got ${JSON.stringify(base)}`);
    checkD(d);
    checkFlat('xi', xi, rows, d);
    checkFlat('x', x, rows, d);
    fullOnly(options);
    return this.run(() => {
      const t = tf.tidy(() => tfjsFootprints(base, tf.tensor2d(Float32Array.from(xi), [rows, d]), tf.tensor2d(Float32Array.from(x), [rows, d])));
      try {
        return finite('footprint', t);
      } finally {
        t.dispose();
      }
    });
  }

  async exportConformance(options: { seed: number; cases: number; kinds?: readonly string[] }) {
    const file = await exportTfjsConformance(this.backend, options);
    this.executed.add(`tfjs-${tf.getBackend()}`);
    return file;
  }

  executedModes(): string[] {
    return [...this.executed];
  }

  async dispose(): Promise<void> {}
}

/** Starts the tfjs backend (BackendUnavailableError naming what is missing when it cannot) and returns its Scorer. */
export async function loadTfjsScorer(backend: TfjsBackendName): Promise<Scorer> {
  try {
    await useTfjsBackend(backend);
  } catch (e) {
    if (e instanceof TfjsBackendUnavailableError) throw new BackendUnavailableError(`tfjs-${backend}`, e.missing);
    throw e;
  }
  return new TfjsScorer(backend);
}
