/**
 * Big inputs: score and retrieve a batch of queries against N seeded memories (default N = 100,000,
 * d = 784, as MNIST-sized patterns) by streaming memory blocks through `streamRetrieve`
 * (src/hopfield/stream.ts). Only one block of memories exists at a time; the full N×d matrix
 * (627 MB as float64) and the B×N scores never do.
 *
 * Each query is a stored memory plus Gaussian noise (σ = 0.1); A-Hop at its initialisation
 * (plain negative squared distance) should find every source.
 *
 *   AHOP_THREADS=1 node --max-old-space-size=2048 bin/run-ts.js examples/big-inputs.ts  # full size
 *   node bin/run-ts.js examples/big-inputs.ts --n 2000 --d 64 --queries 4 --block 250  # seconds
 *
 * Prints one JSON line: sizes, seconds, peak memory (heap, array buffers, RSS) and sources found.
 * AHOP_THREADS=1 keeps scoreBatch on this thread: its worker pool copies each block into a shared
 * buffer that the workers free late (docs/reliability.md has the figures with and without).
 */
import { parseArgs } from 'node:util';
import { streamRetrieve, seededMemoryBlocks } from '../src/hopfield/stream.ts';
import { createRng } from '../src/random/rng.ts';
import { initialParams } from '../src/train/init.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    d: { type: 'string', default: '784' },
    queries: { type: 'string', default: '8' },
    block: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
  },
});
const int = (name: string, v: string | undefined): number => {
  const x = Number(v);
  if (!Number.isSafeInteger(x) || x <= 0) {
    process.stderr.write(`error: --${name} must be a positive integer, got ${v}\n`);
    process.exit(2);
  }
  return x;
};
const n = int('n', values.n);
const d = int('d', values.d);
const b = int('queries', values.queries);
const blockRows = int('block', values.block);
const seed = int('seed', values.seed);

// Peak memory, sampled after every block (and at the end).
const peak = { heapUsed: 0, arrayBuffers: 0, rss: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
  peak.rss = Math.max(peak.rss, m.rss);
};

// The sources: B memories spread over the whole set, captured in a first (generation-only) pass.
const sources = Array.from({ length: b }, (_, q) => Math.floor(((q + 0.5) * n) / b));
const queries = new Float64Array(b * d);
let row = 0;
for (const block of seededMemoryBlocks(seed, n, d, blockRows)) {
  for (let k = 0; k < block.length / d; k++, row++) {
    const q = sources.indexOf(row);
    if (q >= 0) queries.set(block.subarray(k * d, (k + 1) * d), q * d);
  }
}
const noise = createRng(seed + 1);
for (let i = 0; i < queries.length; i++) queries[i] += 0.1 * noise.normal();

const start = process.hrtime.bigint();
const r = streamRetrieve(seededMemoryBlocks(seed, n, d, blockRows), d, queries, b, initialParams(d), undefined, sample);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
sample();

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const found = r.source.filter((k, q) => k === sources[q]).length;
process.stdout.write(
  JSON.stringify({
    n: r.n,
    d,
    queries: b,
    blockRows,
    seconds: Math.round(seconds * 100) / 100,
    pairsPerSecond: Math.round((r.n * b) / seconds),
    peakHeapUsedMiB: mib(peak.heapUsed),
    peakArrayBuffersMiB: mib(peak.arrayBuffers),
    peakRssMiB: mib(Math.max(peak.rss, process.resourceUsage().maxRSS * 1024)),
    fullMatrixMiB: mib(n * d * 8),
    sourcesFound: `${found}/${b}`,
    energies: Array.from(r.energy, (e) => Number(e.toPrecision(6))),
  }) + '\n',
);
if (found !== b) process.exitCode = 1;
