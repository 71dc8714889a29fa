/**
 * `ahop reproduce`: the paper's tables with every method and the Bayes ceiling, plus SVG figures.
 * Without --full it runs the headline (what `npm start` shows); --full runs the whole sweep
 * (every retrieval cell on the worker pool, then the tabular, classification, mil and concepts
 * groups);
 * --tiny runs the headline's cells on tiny sizes in seconds (a smoke test; the determinism test
 * runs it). Finished cells are cached under --out, so a re-run skips them (resume after an
 * interruption). `--only GROUP[,GROUP]` runs the named groups instead (retrieval = the headline,
 * or its tiny cells with --tiny; tabular, concepts and the downstream groups of
 * experiments/groups.ts), writing tables.md, summary.json (rows under `groups`) and figures/.
 * The date written into the outputs honours SOURCE_DATE_EPOCH (the
 * reproducible-builds convention), so two runs can be compared byte for byte.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DomainError } from '../errors.ts';
import { availableGroups, GROUP_NAMES, parseGroups, runGroup, type GroupName } from '../experiments/groups.ts';
import type { SummaryRow } from '../experiments/group.ts';
import { writeFileAtomic } from '../io/atomic.ts';
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
    .option('--full', 'the whole sweep (every level, every group: retrieval, tabular, classification, mil, concepts); default: the headline only')
    .option('--tiny', "the headline's cells on tiny sizes, in seconds (a smoke test; its numbers mean nothing)")
    .option('--seeds <n>', `seeds per cell (default ${HEADLINE_SEEDS} headline and tiny, ${FULL_SEEDS} full)`, positive('--seeds'))
    .option('--seed <n>', 'first seed: cells use seeds n … n + seeds − 1', firstSeed, 0)
    .option('--out <dir>', 'output folder: cells/ cache, tables.md, summary.json, figures/', 'results')
    .option('--backend <name>', 'scoring backend (reproduce supports: reference)', 'reference')
    .option('--jobs <n>', 'worker processes (default: one per core)', positive('--jobs'))
    .option('--only <groups>', `run only these groups, comma-separated: ${GROUP_NAMES.join(', ')} (default seeds: ${FULL_SEEDS}, 1 with --tiny; retrieval: the headline)`)
    .action(async (o: { full?: boolean; tiny?: boolean; seeds?: number; seed: number; out: string; backend: string; jobs?: number; only?: string }) => {
      await checkBackend(o.backend);
      // The experiments' packages are optional (a library install leaves them out): say which one
      // to install before any work starts, rather than failing inside a worker.
      requirePackages('ahop reproduce', EXPERIMENT_PACKAGES);
      if (o.only !== undefined) {
        if (o.full === true) throw new DomainError('--only and --full exclude each other');
        await runOnly(parseGroups(o.only), o);
        return;
      }
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
      const date = runDate();
      const report = await renderAll(results, { full, tiny, seeds, out: o.out, command, date, machine: machine() });
      process.stdout.write(report.console);
      const files = [...report.files];
      if (full) {
        const later = FULL_GROUPS.filter((g) => availableGroups().includes(g));
        files.push(...(await appendGroups(later, { seeds, seed: o.seed, out: o.out, tiny: false, command, date, elapsed })));
      }
      process.stdout.write(`\nwrote ${[...new Set(files)].join(', ')}\n`);
      process.stdout.write(`done in ${elapsed()} (${results.computed} cells computed, ${results.cached} reused)\n`);
    });
}

/** Groups `--full` runs after the retrieval sweep. */
const FULL_GROUPS: readonly GroupName[] = ['tabular', 'classification', 'mil', 'concepts'];

interface AppendOptions {
  seeds: number;
  seed: number;
  out: string;
  tiny: boolean;
  command: string;
  date: string;
  elapsed: () => string;
  /** `--only`'s group list, recorded in summary.json; absent for `--full`. */
  only?: readonly GroupName[];
  /** Whether this run wrote the retrieval tables.md/summary.json that the groups extend. */
  retrievalRan?: boolean;
}

/**
 * Runs registered groups (experiments/groups.ts) one after another, with progress and an ETA on
 * stderr (per group: the mean time of its computed cells so far × the cells left), writes their
 * figures, appends one tables.md section per group (after the retrieval tables when this run
 * wrote them) and puts their summary rows under `groups` in summary.json. Returns the files written.
 */
async function appendGroups(groups: readonly GroupName[], o: AppendOptions): Promise<string[]> {
  const retrievalRan = o.retrievalRan ?? o.only === undefined;
  const files: string[] = [];
  const rows: SummaryRow[] = [];
  const sections: string[] = [];
  mkdirSync(join(o.out, 'figures'), { recursive: true });
  for (const g of groups) {
    if (g === 'retrieval') continue;
    let spent = 0;
    const r = await runGroup(g, {
      seeds: o.seeds,
      firstSeed: o.seed,
      tiny: o.tiny,
      out: o.out,
      onPlan: (name, cached, todo) => process.stderr.write(`${name}: ${cached + todo} cells (${cached} cached in ${o.out}/cells, ${todo} to run)\n`),
      onProgress: (name, done, todo, id, seconds) => {
        spent += seconds;
        const eta = (spent / done) * (todo - done);
        process.stderr.write(`${name} ${done}/${todo} ${id} (${seconds.toFixed(1)} s) · elapsed ${o.elapsed()} · ETA ${duration(eta)}\n`);
      },
    });
    sections.push(`## ${g}\n\n${r.markdown}`);
    rows.push(...r.summary);
    for (const f of r.figures) {
      const path = join(o.out, 'figures', `${f.name}.svg`);
      writeFileAtomic(path, f.svg);
      files.push(path);
    }
  }
  if (sections.length > 0) {
    const md = join(o.out, 'tables.md');
    const title = o.only === undefined ? 'ahop reproduce' : `ahop reproduce --only ${o.only.join(',')}`;
    const header = `# ${title}\n\nCommand: \`ahop ${o.command}\` · ${o.seeds} seeds from ${o.seed}${o.tiny ? ' · tiny sizes (a smoke test: the numbers mean nothing)' : ''} · ${o.date} · ${machine()}\n\n`;
    writeFileAtomic(md, (retrievalRan ? `${readFileSync(md, 'utf8')}\n` : header) + sections.join('\n'));
    files.push(md);
    process.stdout.write(sections.join('\n'));
  }
  // summary.json: the retrieval summary (when this run wrote one) with the groups' rows under `groups`.
  const summaryPath = join(o.out, 'summary.json');
  const base: Record<string, unknown> =
    retrievalRan && existsSync(summaryPath)
      ? (JSON.parse(readFileSync(summaryPath, 'utf8')) as Record<string, unknown>)
      : { command: o.command, tiny: o.tiny, seeds: o.seeds, date: o.date, machine: machine() };
  writeFileAtomic(summaryPath, JSON.stringify({ ...base, ...(o.only === undefined ? {} : { only: o.only }), groupSeeds: o.seeds, groups: rows }, null, 2) + '\n');
  files.push(summaryPath);
  return files;
}

/** Minutes or seconds, for progress lines. */
function duration(seconds: number): string {
  return seconds >= 90 ? `${(seconds / 60).toFixed(1)} min` : `${seconds.toFixed(0)} s`;
}

/**
 * `reproduce --only`: the retrieval headline (if asked) through the retrieval runner, then every
 * other group through experiments/groups.ts; progress with an ETA on stderr (per group: the mean
 * time of its computed cells so far × the cells left).
 */
async function runOnly(
  groups: GroupName[],
  o: { tiny?: boolean; seeds?: number; seed: number; out: string; jobs?: number },
): Promise<void> {
  const start = Date.now();
  const tiny = o.tiny === true;
  const elapsed = () => duration((Date.now() - start) / 1000);
  const command = process.argv.slice(2).join(' ');
  const date = runDate();
  const files: string[] = [];
  if (groups.includes('retrieval')) {
    const seeds = o.seeds ?? HEADLINE_SEEDS;
    const { reproduce } = await import('../experiments/runner.ts');
    const { renderAll } = await import('../experiments/render.ts');
    const results = await reproduce({
      full: false,
      tiny,
      seeds,
      firstSeed: o.seed,
      out: o.out,
      workers: o.jobs ?? availableParallelism(),
      onPlan: (cached, todo) => process.stderr.write(`retrieval: ${cached + todo} cells (${cached} cached, ${todo} to run)\n`),
      onProgress: (done, total, id) => process.stderr.write(`retrieval ${done}/${total} ${id} · ${elapsed()}\n`),
    });
    const report = await renderAll(results, { full: false, tiny, seeds, out: o.out, command, date, machine: machine() });
    process.stdout.write(report.console);
    files.push(...report.files);
  }
  const seeds = o.seeds ?? (tiny ? 1 : FULL_SEEDS);
  const rest = groups.filter((g) => g !== 'retrieval');
  files.push(...(await appendGroups(rest, { seeds, seed: o.seed, out: o.out, tiny, command, date, elapsed, only: groups, retrievalRan: groups.includes('retrieval') })));
  process.stdout.write(`\nwrote ${[...new Set(files)].join(', ')}\ndone in ${elapsed()}\n`);
}
