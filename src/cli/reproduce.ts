/**
 * `ahop reproduce`: the paper's tables with every method and the Bayes ceiling, plus SVG figures.
 * Without --full it runs the headline (what `npm start` shows); --full runs the whole sweep.
 * Finished cells are cached under --out, so a re-run skips them (resume after an interruption).
 */
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { DomainError } from '../errors.ts';
import { FULL_SEEDS, HEADLINE_SEEDS } from '../experiments/protocol.ts';
import { EXPERIMENT_PACKAGES, requirePackages } from '../optional.ts';
import { integerOption } from './conformance.ts';
import { progress, type Progress } from './progress.ts';

/**
 * The reproduction scores on the float64 reference. A gpu.js backend name is resolved through
 * src/cli/backend.ts, so an unavailable one fails with that module's message (what is missing);
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

export function reproduceCommand(): Command {
  return new Command('reproduce')
    .description("reproduce the paper's retrieval tables (every method, Bayes ceiling) and write tables and SVG figures")
    .option('--full', 'the whole sweep (every level, every group, tabular); default: the headline only')
    .option('--seeds <n>', `seeds per cell (default ${HEADLINE_SEEDS} headline, ${FULL_SEEDS} full)`, positive('--seeds'))
    .option('--out <dir>', 'output folder: cells/ cache, tables.md, summary.json, figures/', 'results')
    .option('--backend <name>', 'scoring backend (reproduce supports: reference)', 'reference')
    .option('--jobs <n>', 'worker processes (default: one per core)', positive('--jobs'))
    .action(async (o: { full?: boolean; seeds?: number; out: string; backend: string; jobs?: number }) => {
      await checkBackend(o.backend);
      // The experiments' packages are optional (a library install leaves them out): say which one
      // to install before any work starts, rather than failing inside a worker.
      requirePackages('ahop reproduce', EXPERIMENT_PACKAGES);
      const { reproduce } = await import('../experiments/runner.ts');
      const { renderAll } = await import('../experiments/render.ts');
      const start = Date.now();
      const full = o.full === true;
      const seeds = o.seeds ?? (full ? FULL_SEEDS : HEADLINE_SEEDS);
      const workers = o.jobs ?? availableParallelism();
      const elapsed = () => `${((Date.now() - start) / 1000).toFixed(0)} s`;
      let bar: Progress | undefined;
      const results = await reproduce({
        full,
        seeds,
        out: o.out,
        workers,
        onPlan: (cached, todo) => {
          process.stderr.write(
            `${full ? 'full sweep' : 'headline'}: ${seeds} seeds, ${cached + todo} cells (${cached} cached in ${o.out}/cells, ${todo} to run on ${Math.min(workers, Math.max(todo, 1))} workers)\n`,
          );
          if (todo > 0) bar = progress('cells', todo, Math.max(1, Math.ceil(todo / 20)));
        },
        onProgress: (done, _total, id) => bar?.update(done, `${id} · ${elapsed()}`),
      });
      bar?.stop();
      const report = await renderAll(results, { full, seeds, out: o.out, command: process.argv.slice(2).join(' ') });
      process.stdout.write(report.console);
      process.stdout.write(`\nwrote ${report.files.join(', ')}\n`);
      process.stdout.write(`done in ${elapsed()} (${results.computed} cells computed, ${results.cached} reused)\n`);
    });
}
