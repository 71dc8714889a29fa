/**
 * Throughput of the tfjs A-Hop op (ahop/tfjs) on its cpu and wasm backends, forward and
 * forward+backward, against the float64 reference's batched forward (retrieveBatch) and its
 * forward+backward (src/hopfield/layer.ts: layerForward then layerVjp), all in one run; ratios are to the reference forward of the same run. Values = keys (the plain
 * A-Hop), both footprints active.
 *
 *   node bin/run-ts.js bench/tfjs.ts [--sizes 1000x64x64,1000x784x64] [--backends cpu,wasm]
 *                                    [--runs N] [--budget SECONDS] [--write FILE]
 *
 * Units: query·key pairs per second (B·N per call). forward+backward = the forward and the
 * gradient of L = Σ ȳ·y + Σ Ē E with respect to queries, keys, values, w_dis, w_dot, β_dis, β_dot.
 * A row whose one call over all B queries would take longer than --budget seconds (default 20)
 * divided by (runs + 1) is timed on a prefix of the queries (the table says how many): the work
 * per pair does not depend on B. The tfjs rows run the queries in blocks of ⌊2²² / (N·d)⌋ (memory;
 * docs/tfjs.md), the gradients of keys and parameters summed over blocks. --write FILE replaces the block between
 * `<!-- tfjs-bench:start -->` and `<!-- tfjs-bench:end -->` in FILE (docs/tfjs.md).
 * Speed is reported, never asserted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { retrieveBatch } from '../src/hopfield/batch.ts';
import { layerForward, layerVjp } from '../src/hopfield/layer.ts';
import { createRng } from '../src/random/rng.ts';
import { ahopAttention, cotangentLoss } from '../tfjs/attention.ts';
import { TFJS_BACKENDS, isTfjsBackendName, useTfjsBackend } from '../tfjs/backends.ts';
import { benchInputs, machineInfo, sci, timePairs, withQueries, type BenchInputs, type BenchSize } from './harness.ts';

export const TFJS_BENCH_SIZES: BenchSize[] = [
  { n: 1000, d: 64, b: 64 },
  { n: 1000, d: 784, b: 64 },
];

interface Cell {
  row: string;
  size: BenchSize;
  /** Queries actually timed (≤ B). */
  timedQueries: number;
  pairsPerSecond: number | null;
  note?: string;
}

const rows2 = (a: Float64Array, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

function cotangent(b: number, d: number) {
  const rng = createRng(3);
  return { retrieved: Array.from({ length: b }, () => Array.from({ length: d }, () => rng.normal())), energy: Array.from({ length: b }, () => rng.normal()) };
}

/** Query rows per tfjs call: B·N·d ≤ 2²² elements per [B·N, d] tensor (docs/tfjs.md, memory), as backends/tfjs-scorer.ts. */
const BLOCK_ELEMENTS = 2 ** 22;
export const tfjsBlockQueries = (n: number, d: number) => Math.max(1, Math.floor(BLOCK_ELEMENTS / (n * d)));

/**
 * One call of the tfjs op (forward, or forward + gradient of every input) over all queries, in
 * blocks of tfjsBlockQueries rows (the key and parameter gradients summed over blocks), fully
 * computed before it returns.
 */
function tfjsCall(inputs: BenchInputs, backward: boolean): () => void {
  const { n, d, b } = inputs.size;
  const block = tfjsBlockQueries(n, d);
  const calls: (() => void)[] = [];
  for (let start = 0; start < b; start += block) calls.push(tfjsBlockCall(withQueries({ ...inputs, queries: inputs.queries.subarray(start * d) }, Math.min(block, b - start)), backward));
  return () => calls.forEach((c) => c());
}

function tfjsBlockCall(inputs: BenchInputs, backward: boolean): () => void {
  const { n, d, b } = inputs.size;
  const x = tf.tensor2d(Float32Array.from(inputs.queries.subarray(0, b * d)), [b, d]);
  const k = tf.tensor2d(Float32Array.from(inputs.memories), [n, d]);
  const p = inputs.params;
  const w = [tf.tensor1d(p.wDis), tf.tensor1d(p.wDot), tf.scalar(p.betaDis), tf.scalar(p.betaDot)];
  const ct = cotangent(b, d);
  const loss = cotangentLoss(tf.tensor2d(ct.retrieved), tf.tensor1d(ct.energy));
  return () =>
    tf.tidy(() => {
      if (backward) {
        for (const g of tf.grads(loss)([x, k, k, ...w])) g.dataSync();
      } else {
        ahopAttention(x, k, k, { wDis: w[0] as tf.Tensor1D, wDot: w[1] as tf.Tensor1D, betaDis: w[2] as tf.Scalar, betaDot: w[3] as tf.Scalar }).retrieved.dataSync();
      }
    });
}

/** Times `make(inputs with b queries)`, on a prefix of the queries when all B would not fit the budget. */
async function timeRow(row: string, inputs: BenchInputs, make: (i: BenchInputs) => () => unknown, runs: number, budget: number): Promise<Cell> {
  const { size } = inputs;
  const probeB = Math.min(size.b, 2);
  const probe = make(withQueries(inputs, probeB));
  const t0 = performance.now();
  await probe();
  const perQuery = (performance.now() - t0) / 1000 / probeB;
  const b = Math.max(1, Math.min(size.b, Math.floor(budget / (runs + 1) / perQuery)));
  const t = await timePairs(make(withQueries(inputs, b)), b * size.n, runs, 0);
  return { row, size, timedQueries: b, pairsPerSecond: t.pairsPerSecond };
}

function parseArgs(argv: string[]) {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = get('--sizes')?.split(',').map((s) => {
    const [n, d, b] = s.split('x').map(Number);
    if (![n, d, b].every((v) => Number.isInteger(v) && v > 0)) throw new Error(`--sizes: "${s}" is not NxDxB`);
    return { n, d, b };
  }) ?? TFJS_BENCH_SIZES;
  const backends = (get('--backends')?.split(',') ?? [...TFJS_BACKENDS]).map((b) => {
    if (!isTfjsBackendName(b)) throw new Error(`--backends: unknown tfjs backend "${b}" (${TFJS_BACKENDS.join(', ')})`);
    return b;
  });
  return { sizes, backends, runs: Number(get('--runs') ?? 3), budget: Number(get('--budget') ?? 20), write: get('--write') };
}

export async function runTfjsBench(argv: string[]): Promise<string> {
  const o = parseArgs(argv);
  const started = new Date().toISOString();
  const info0 = machineInfo(1);
  const cells: Cell[] = [];
  const log = (c: Cell) => process.stderr.write(`${c.row} N=${c.size.n} d=${c.size.d} B=${c.size.b}: ${c.pairsPerSecond === null ? c.note : sci(c.pairsPerSecond) + ' pairs/s'}\n`);
  for (const size of o.sizes) {
    const inputs = benchInputs(size);
    const { n, d } = size;
    const push = (c: Cell) => {
      cells.push(c);
      log(c);
    };
    push(await timeRow('reference forward (float64)', inputs, (i) => () => retrieveBatch(i.memories, n, d, i.queries, i.size.b, i.params), o.runs, o.budget));
    push(
      await timeRow(
        'reference forward+backward (float64)',
        inputs,
        (i) => {
          const keys = rows2(i.memories, n, d);
          const layer = { queries: rows2(i.queries, i.size.b, d), keys, values: keys, params: i.params };
          const ct = cotangent(i.size.b, d);
          return () => {
            layerForward(layer);
            layerVjp(layer, ct);
          };
        },
        o.runs,
        o.budget,
      ),
    );
    for (const backend of o.backends) {
      await useTfjsBackend(backend);
      for (const backward of [false, true]) {
        const row = `tfjs-${backend} ${backward ? 'forward+backward' : 'forward'} (float32)`;
        push(await timeRow(row, inputs, (i) => tfjsCall(i, backward), o.runs, o.budget));
      }
    }
  }
  const info1 = machineInfo(1);
  const la = (l: number[]) => l.map((v) => v.toFixed(2)).join(', ');
  const lines = [
    `Command: \`${['node bin/run-ts.js bench/tfjs.ts', ...argv].join(' ')}\` — ${started}; machine: ${info0.cpuModel}, ${info0.nproc} cores, Node ${info0.node}, @tensorflow/tfjs-core ${tf.version_core}.`,
    `Load average (1, 5, 15 min) before: ${la(info0.loadAverage)}; after: ${la(info1.loadAverage)}. Inputs: bench/harness.ts benchInputs (seed 1); runs: ${o.runs} (median); budget ${o.budget} s per row.`,
    `tfjs rows run the queries in blocks of ${o.sizes.map((z) => `${tfjsBlockQueries(z.n, z.d)} (N=${z.n}, d=${z.d})`).join(', ')} (memory); forward+backward = the forward and the gradient with respect to queries, keys, values, w_dis, w_dot, β_dis, β_dot (values = keys).`,
    '',
    '| N | d | B | row | queries timed | pairs/s | ratio to reference forward | ratio to reference forward+backward |',
    '|---:|---:|---:|---|---:|---:|---:|---:|',
  ];
  const ratio = (c: Cell, ref: Cell | undefined) =>
    c.pairsPerSecond === null || ref === undefined || ref.pairsPerSecond === null ? '—' : (c.pairsPerSecond / ref.pairsPerSecond).toFixed(3);
  for (const c of cells) {
    const fwd = cells.find((r) => r.size === c.size && r.row.startsWith('reference forward ('));
    const fwdBwd = c.row.includes('forward+backward') ? cells.find((r) => r.size === c.size && r.row.startsWith('reference forward+backward')) : undefined;
    lines.push(
      `| ${c.size.n} | ${c.size.d} | ${c.size.b} | ${c.row} | ${c.pairsPerSecond === null ? '—' : c.timedQueries} | ${c.pairsPerSecond === null ? c.note : sci(c.pairsPerSecond)} | ${ratio(c, fwd)} | ${ratio(c, fwdBwd)} |`,
    );
  }
  const table = lines.join('\n');
  if (o.write !== undefined) {
    const text = readFileSync(o.write, 'utf8');
    const re = /<!-- tfjs-bench:start -->[\s\S]*<!-- tfjs-bench:end -->/;
    if (!re.test(text)) throw new Error(`${o.write} has no <!-- tfjs-bench:start --> … <!-- tfjs-bench:end --> block`);
    writeFileSync(o.write, text.replace(re, `<!-- tfjs-bench:start -->\n${table}\n<!-- tfjs-bench:end -->`));
  }
  return table;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write((await runTfjsBench(process.argv.slice(2))) + '\n');
}
