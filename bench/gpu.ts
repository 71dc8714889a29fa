/**
 * Throughput of the gpu.js backends against the reference scoreBatch, in query·memory pairs per
 * second (both footprints), at the benchmark sizes of bench/run.ts; ratios come from one run on one machine.
 *
 *   node bin/run-ts.js bench/gpu.ts [--backends cpu,webasm,webgpu] [--sizes 10000x64x64,…] [--runs N]
 *                                   [--budget SECONDS] [--quick] [--write FILE]
 *
 * Each backend's kernels are compiled on a warm-up call (not timed). A backend whose per-pair
 * cost would make one call over all B queries longer than --budget seconds (default 20) is timed
 * on a prefix of the queries instead: pairs per second is per pair (the work per pair does not
 * depend on B), and the table says how many queries were timed. --write FILE replaces the block
 * between `<!-- gpu-bench:start -->` and `<!-- gpu-bench:end -->` in FILE (docs/gpu.md).
 * Every timed result is also checked against the reference (max |Δ| relative to max |score|).
 * Speed is reported, never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { scoreBatch } from '../src/hopfield/batch.ts';
import { batchThreads } from '../src/hopfield/batch-pool.ts';
import { BackendUnavailableError } from '../backends/errors.ts';
import {
  GPU_BACKENDS,
  isGpuBackendName,
  loadBackend,
  releaseWebGpuDevice,
  type GpuBackendName,
} from '../gpu/backends.ts';
import { GpuScorer } from '../gpu/scorer.ts';
import { benchInputs, machineInfo, sci, withQueries, type BenchInputs, type BenchSize } from './harness.ts';

export const GPU_BENCH_SIZES: BenchSize[] = [
  { n: 100, d: 64, b: 256 },
  { n: 1000, d: 784, b: 64 },
  { n: 10000, d: 64, b: 64 },
];

export interface GpuBenchOptions {
  backends: GpuBackendName[];
  runs: number;
  budgetSeconds: number;
  sizes: BenchSize[];
  log?: (line: string) => void;
}

export interface GpuBenchCell {
  size: BenchSize;
  /** 'reference' or a gpu backend name. */
  row: string;
  /** gpu.js modes that executed (the reference: 'reference'). */
  modes: string[];
  pairsPerSecond: number;
  samples: number[];
  /** Queries timed (≤ size.b). */
  queries: number;
  /** max |score − reference| / max |reference score| on the timed queries. */
  relativeError: number;
}

export interface GpuBenchResult {
  cells: GpuBenchCell[];
  /** 1-, 5-, 15-minute load averages when the run started. */
  loadAtStart: number[];
  devices: Record<string, string>;
  skipped: Record<string, string>;
  started: Date;
  finished: Date;
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function seconds(fn: () => Promise<unknown> | unknown): Promise<[number, unknown]> {
  const t0 = performance.now();
  const out = await fn();
  return [(performance.now() - t0) / 1000, out];
}

function relativeError(got: ArrayLike<number>, expected: ArrayLike<number>): number {
  let err = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    err = Math.max(err, Math.abs(got[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return err / (scale || 1);
}

async function timeRow(
  row: string,
  modes: () => string[],
  score: (inputs: BenchInputs) => Promise<Float64Array> | Float64Array,
  inputs: BenchInputs,
  reference: Float64Array,
  options: GpuBenchOptions,
): Promise<GpuBenchCell> {
  const { size } = inputs;
  // Warm-up on a few queries (compiles the kernels, starts workers), then a timed call on them
  // to estimate the cost per pair.
  const warmB = Math.min(size.b, 4);
  await score(withQueries(inputs, warmB));
  const [warm] = await seconds(() => score(withQueries(inputs, warmB)));
  const perPair = warm / (size.n * warmB);
  const fits = Math.floor(options.budgetSeconds / (perPair * size.n));
  const b = Math.max(1, Math.min(size.b, fits));
  const timed = withQueries(inputs, b);
  if (b !== warmB) await score(timed);
  const samples: number[] = [];
  let last: Float64Array = new Float64Array(0);
  for (let r = 0; r < options.runs; r++) {
    const [dt, out] = await seconds(() => score(timed));
    last = out as Float64Array;
    samples.push((size.n * b) / dt);
  }
  return {
    size,
    row,
    modes: modes(),
    pairsPerSecond: median(samples),
    samples,
    queries: b,
    relativeError: relativeError(last, reference.subarray(0, size.n * b)),
  };
}

export async function runGpuBench(options: GpuBenchOptions): Promise<GpuBenchResult> {
  const log = options.log ?? (() => {});
  const started = new Date();
  const loadAtStart = machineInfo(batchThreads()).loadAverage;
  const scorers = new Map<GpuBackendName, GpuScorer>();
  const devices: Record<string, string> = { reference: `TypeScript float64 scoreBatch, ${batchThreads()} thread(s)` };
  const skipped: Record<string, string> = {};
  for (const name of options.backends) {
    try {
      const backend = await loadBackend(name);
      scorers.set(name, new GpuScorer(backend));
      devices[name] = backend.device;
    } catch (e) {
      if (!(e instanceof BackendUnavailableError)) throw e;
      skipped[name] = e.message;
      log(`skipped ${name}: ${e.message}`);
    }
  }
  const cells: GpuBenchCell[] = [];
  for (const size of options.sizes) {
    const inputs = benchInputs(size);
    const { memories, queries, params } = inputs;
    const reference = scoreBatch(memories, size.n, size.d, queries, size.b, params);
    const ref = await timeRow(
      'reference',
      () => ['reference'],
      (i) => scoreBatch(i.memories, size.n, size.d, i.queries, i.size.b, i.params),
      inputs,
      reference,
      options,
    );
    cells.push(ref);
    log(`N=${size.n} d=${size.d} B=${size.b}  reference  ${sci(ref.pairsPerSecond)} pairs/s`);
    for (const [name, scorer] of scorers) {
      const cell = await timeRow(
        name,
        () => [...scorer.executedModes],
        (i) => scorer.scoreBatch(i.memories, size.n, size.d, i.queries, i.size.b, i.params),
        inputs,
        reference,
        options,
      );
      cells.push(cell);
      log(
        `N=${size.n} d=${size.d} B=${size.b}  ${name.padEnd(9)}  ${sci(cell.pairsPerSecond)} pairs/s  ` +
          `×${(cell.pairsPerSecond / ref.pairsPerSecond).toFixed(2)} of reference  (${cell.queries} queries, ran: ${cell.modes.join(',')}, rel. err ${cell.relativeError.toExponential(1)})`,
      );
    }
  }
  for (const scorer of scorers.values()) await scorer.backend.destroy();
  if (scorers.has('webgpu')) await releaseWebGpuDevice();
  return { cells, loadAtStart, devices, skipped, started, finished: new Date() };
}

/** The markdown block docs/gpu.md keeps between its gpu-bench markers. */
export function renderGpuBench(result: GpuBenchResult, command: string): string {
  const machine = machineInfo(batchThreads());
  const rows = [...new Set(result.cells.map((c) => c.row))];
  const sizes = GPU_BENCH_SIZES.filter((s) => result.cells.some((c) => c.size === s || (c.size.n === s.n && c.size.d === s.d && c.size.b === s.b)));
  const cell = (s: BenchSize, row: string) => result.cells.find((c) => c.row === row && c.size.n === s.n && c.size.d === s.d && c.size.b === s.b);
  const header = ['N, d, B', ...rows.map((r) => (r === 'reference' ? 'reference pairs/s' : `${r} pairs/s (× ref)`))];
  const lines = sizes.map((s) => {
    const ref = cell(s, 'reference')!;
    return [
      `${s.n}, ${s.d}, ${s.b}`,
      ...rows.map((r) => {
        const c = cell(s, r);
        if (c === undefined) return '—';
        const part = c.queries < s.b ? ` [${c.queries} of ${s.b} queries]` : '';
        return r === 'reference' ? sci(c.pairsPerSecond) : `${sci(c.pairsPerSecond)} (×${(c.pairsPerSecond / ref.pairsPerSecond).toFixed(2)})${part}`;
      }),
    ];
  });
  const table = [header, header.map(() => '---'), ...lines].map((l) => `| ${l.join(' | ')} |`).join('\n');
  const ran = rows
    .filter((r) => r !== 'reference')
    .map((r) => `- **${r}** ran in gpu.js mode \`${[...new Set(result.cells.filter((c) => c.row === r).flatMap((c) => c.modes))].join(', ')}\` on ${result.devices[r]}; largest |Δ score| / max |score| vs the reference: ${Math.max(...result.cells.filter((c) => c.row === r).map((c) => c.relativeError)).toExponential(1)}`)
    .join('\n');
  const skipped = Object.entries(result.skipped)
    .map(([name, why]) => `- **${name}** not measured: ${why}`)
    .join('\n');
  return [
    `Measured ${result.started.toISOString()} (took ${((result.finished.getTime() - result.started.getTime()) / 1000).toFixed(0)} s) with \`${command}\`.`,
    `Machine: \`nproc\` = ${machine.nproc}, CPU: ${machine.cpuModel}, no GPU; Node ${machine.node}; load averages (1, 5, 15 min) at the start ${result.loadAtStart.map((x) => x.toFixed(2)).join(', ')}, at the end ${machine.loadAverage.map((x) => x.toFixed(2)).join(', ')} (a shared machine: a load above 2 means other processes took CPU time from these figures; compare within this table, not across runs).`,
    table,
    [`- **reference**: ${result.devices.reference}.`, ran, skipped].filter((l) => l !== '').join('\n'),
  ].join('\n\n');
}

/** "10000x64x64" → { n: 10000, d: 64, b: 64 }. */
function parseSize(text: string): BenchSize {
  const [n, d, b] = text.split('x').map(Number);
  if (![n, d, b].every((v) => Number.isInteger(v) && v > 0)) throw new Error(`--sizes: expected NxDxB, got ${text}`);
  return { n, d, b };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    process.stdout.write('usage: node bin/run-ts.js bench/gpu.ts [--backends cpu,webasm,webgpu] [--sizes NxDxB,…] [--runs N] [--budget SECONDS] [--quick] [--write FILE]\n');
    return;
  }
  const quick = args.includes('--quick');
  const names = (option('--backends') ?? 'cpu,webasm,webgpu').split(',').filter((s) => s !== '');
  for (const n of names) if (!isGpuBackendName(n)) throw new Error(`--backends: unknown backend ${n}; known: ${GPU_BACKENDS.join(', ')}`);
  const result = await runGpuBench({
    backends: names as GpuBackendName[],
    runs: Number(option('--runs') ?? (quick ? 1 : 3)),
    budgetSeconds: Number(option('--budget') ?? (quick ? 2 : 20)),
    sizes: option('--sizes') === undefined ? GPU_BENCH_SIZES : option('--sizes')!.split(',').map(parseSize),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const command = `node bin/run-ts.js bench/gpu.ts ${args.join(' ')}`.trim();
  const block = renderGpuBench(result, command);
  process.stdout.write(`${block}\n`);
  const file = option('--write');
  if (file !== undefined) {
    const text = readFileSync(file, 'utf8');
    const start = '<!-- gpu-bench:start -->';
    const end = '<!-- gpu-bench:end -->';
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${file} has no ${start} … ${end} block`);
    writeFileSync(file, `${text.slice(0, i + start.length)}\n${block}\n${text.slice(j)}`);
    process.stderr.write(`wrote the table into ${file}\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
