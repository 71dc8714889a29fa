/**
 * `ahop reproduce`: the paper's tables with every method and the Bayes ceiling, plus SVG figures.
 * Without --full it runs the headline (what `npm start` shows); --full runs the whole sweep;
 * --tiny runs the headline's cells on tiny sizes in seconds (a smoke test; the determinism test
 * runs it). Finished cells are cached under --out, so a re-run skips them (resume after an
 * interruption). The date written into the outputs honours SOURCE_DATE_EPOCH (the
 * reproducible-builds convention), so two runs can be compared byte for byte.
 */
import { availableParallelism, cpus } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { DomainError } from '../errors.ts';
import { FULL_SEEDS, HEADLINE_SEEDS } from '../experiments/protocol.ts';
import { EXPERIMENT_PACKAGES, requirePackages } from '../optional.ts';
import { integerOption } from './conformance.ts';
import { progress, type Progress } from './progress.ts';

/**
 * The reproduction scores on the float64 reference. A gpu.js backend name is resolved through
 * backends/ (src/cli/backend.ts), so an unavailable one fails with that module's message (what is missing);
 * an available one is refused too, clearly: the harness's cached-feature A-Hop scorer has no gpu
 * path yet, and a silent fallback would mislabel the run.
 */
async function checkBackend(name: string): Promise<void> {
  if (name === 'reference') return;
  const { resolveBackend } = await import('./backend.ts');
  const scorer = await resolveBackend(name);
  await scorer.dispose();
  throw new DomainError(`backend "${name}" is not available for reproduce: it runs on the float64 reference scorer only (use --backend reference)`);
}

function positive(name: string) {
  const parse = integerOption(name);
  return (v: string): number => {
    const n = parse(v);
    if (n < 1) throw new InvalidArgumentError(`${name} must be at least 1`);
    return n;
  };
}

/** A first seed: an integer in [0, 2^32) (cell streams multiply it by 16, see experiments/seeds.ts). */
function firstSeed(v: string): number {
  const n = integerOption('--seed')(v);
  if (n < 0 || n >= 2 ** 32) throw new InvalidArgumentError('--seed must be an integer in [0, 2^32)');
  return n;
}

/** YYYY-MM-DD (UTC) of SOURCE_DATE_EPOCH (seconds) when set, else of now. */
function runDate(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const ms = epoch !== undefined && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : Date.now();
  return new Date(ms).toISOString().slice(0, 10);
}

function machine(): string {
  return `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
}

export function reproduceCommand(): Command {
  return new Command('reproduce')
    .description("reproduce the paper's retrieval tables (every method, Bayes ceiling) and write tables and SVG figures")
    .option('--full', 'the whole sweep (every level, every group, tabular); default: the headline only')
    .option('--tiny', "the headline's cells on tiny sizes, in seconds (a smoke test; its numbers mean nothing)")
    .option('--seeds <n>', `seeds per cell (default ${HEADLINE_SEEDS} headline and tiny, ${FULL_SEEDS} full)`, positive('--seeds'))
    .option('--seed <n>', 'first seed: cells use seeds n … n + seeds − 1', firstSeed, 0)
    .option('--out <dir>', 'output folder: cells/ cache, tables.md, summary.json, figures/', 'results')
    .option('--backend <name>', 'scoring backend (reproduce supports: reference)', 'reference')
    .option('--jobs <n>', 'worker processes (default: one per core)', positive('--jobs'))
    .action(async (o: { full?: boolean; tiny?: boolean; seeds?: number; seed: number; out: string; backend: string; jobs?: number }) => {
      await checkBackend(o.backend);
      // The experiments' packages are optional (a library install leaves them out): say which one
      // to install before any work starts, rather than failing inside a worker.
      requirePackages('ahop reproduce', EXPERIMENT_PACKAGES);
      const { reproduce } = await import('../experiments/runner.ts');
      const { renderAll } = await import('../experiments/render.ts');
      const start = Date.now();
      const full = o.full === true;
      const tiny = !full && o.tiny === true;
      if (full && o.tiny === true) throw new DomainError('--full and --tiny exclude each other');
      const seeds = o.seeds ?? (full ? FULL_SEEDS : HEADLINE_SEEDS);
      const workers = o.jobs ?? availableParallelism();
      const elapsed = () => `${((Date.now() - start) / 1000).toFixed(0)} s`;
      let bar: Progress | undefined;
      const results = await reproduce({
        full,
        tiny,
        seeds,
        firstSeed: o.seed,
        out: o.out,
        workers,
        onPlan: (cached, todo) => {
          process.stderr.write(
            `${full ? 'full sweep' : tiny ? 'tiny run' : 'headline'}: ${seeds} seeds from ${o.seed}, ${cached + todo} cells (${cached} cached in ${o.out}/cells, ${todo} to run on ${Math.min(workers, Math.max(todo, 1))} workers)\n`,
          );
          if (todo > 0) bar = progress('cells', todo, Math.max(1, Math.ceil(todo / 20)));
        },
        onProgress: (done, _total, id) => bar?.update(done, `${id} · ${elapsed()}`),
      });
      bar?.stop();
      const command = process.argv.slice(2).join(' ');
      const report = await renderAll(results, { full, tiny, seeds, out: o.out, command, date: runDate(), machine: machine() });
      process.stdout.write(report.console);
      process.stdout.write(`\nwrote ${report.files.join(', ')}\n`);
      process.stdout.write(`done in ${elapsed()} (${results.computed} cells computed, ${results.cached} reused)\n`);
    });
}
