/** `ahop conformance`: export or check conformance vectors (docs/conformance.md). */
import { Command, InvalidArgumentError, Option } from 'commander';
import { TOLERANCE_PRESETS, type Tolerance } from '../conformance/format.ts';
import { backendOption } from './backend.ts';
import { readText, writeText } from './io.ts';
import { EXIT } from './exit.ts';

export function integerOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be an integer`);
    return n;
  };
}

const PRESETS = TOLERANCE_PRESETS;

function toleranceOption(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a finite number >= 0`);
    return n;
  };
}

/**
 * The checker's tolerance from the command line: the preset (float64 by default), with --rel and
 * --abs replacing its parts. The file's own tolerance can only tighten this (checkConformance).
 */
export function checkerTolerance(o: { tolerance: keyof typeof PRESETS; rel?: number; abs?: number }): Tolerance {
  const preset = PRESETS[o.tolerance];
  return { rel: o.rel ?? preset.rel, abs: o.abs ?? preset.abs };
}

export function conformanceCommand(): Command {
  return new Command('conformance')
    .description('export reference conformance vectors (--out) or check a file another backend wrote (--check)')
    .option('--out <file>', 'write vectors to FILE (- for stdout)')
    .option('--check <file>', 'recompute every case of FILE (- for stdin) and compare')
    .option('--seed <n>', 'seed of the random cases', integerOption('--seed'), 7)
    .option('--cases <n>', 'number of cases to export', integerOption('--cases'), 200)
    .option('--kinds <list>', '--out: export only these kinds, comma-separated (e.g. layer,layer_vjp)', (v: string) => v.split(',').map((k) => k.trim()))
    .addOption(
      new Option('--tolerance <preset>', "--check: the checker's tolerance, float64 (rel 1e-9, abs 1e-12) or float32 (rel 1e-4, abs 1e-5)")
        .choices(Object.keys(PRESETS))
        .default('float64'),
    )
    .option('--rel <x>', '--check: relative tolerance (replaces the preset\'s)', toleranceOption('--rel'))
    .option('--abs <x>', '--check: absolute tolerance (replaces the preset\'s)', toleranceOption('--abs'))
    .addOption(backendOption())
    .addHelpText(
      'after',
      [
        '',
        "--check applies the checker's tolerance: float64 unless --tolerance, --rel or --abs loosen it. A file's",
        'own "tolerance" can only make the check stricter (each part: the smaller of the two). The summary line',
        'prints the tolerance applied.',
        '',
        'Exit codes: 0 every case matches (or export written), 1 a value differs beyond tolerance, 2 malformed file or bad arguments.',
      ].join('\n'),
    )
    .action(async (o: { out?: string; check?: string; seed: number; cases: number; kinds?: string[]; backend: string; tolerance: keyof typeof PRESETS; rel?: number; abs?: number }) => {
      if ((o.out === undefined) === (o.check === undefined)) {
        throw new InvalidArgumentError('give exactly one of --out FILE or --check FILE');
      }
      // Loaded here, not at the top: every other subcommand (and --help) imports this module for
      // integerOption and needs none of the conformance kinds.
      if (o.out !== undefined) {
        let file;
        if (o.backend === 'reference') {
          const { exportConformance } = await import('../conformance/export.ts');
          file = exportConformance({ seed: o.seed, cases: o.cases, kinds: o.kinds });
        } else {
          // A gpu.js backend writes its own outputs and float32 tolerance for the kinds it computes.
          const { withBackend } = await import('./backend.ts');
          file = await withBackend(o.backend, (scorer) => scorer.exportConformance({ seed: o.seed, cases: o.cases, kinds: o.kinds }));
        }
        // A backend that cannot restrict its kinds must not pass off a different file as the one asked for.
        const stray = file.cases.find((c) => o.kinds !== undefined && !o.kinds.includes(c.kind));
        if (stray !== undefined) throw new InvalidArgumentError(`--backend ${o.backend} wrote a ${stray.kind} case outside --kinds ${o.kinds!.join(',')}`);
        writeText(o.out, JSON.stringify(file) + '\n');
        if (o.out !== '-') process.stderr.write(`wrote ${file.cases.length} cases to ${o.out}\n`);
        return;
      }
      const { checkConformance } = await import('../conformance/check.ts');
      const report = checkConformance(readText(o.check!), { tolerance: checkerTolerance(o) });
      for (const f of report.failures) {
        process.stdout.write(`case ${f.index} ${f.kind} ${f.field}: expected ${f.expected}, got ${f.got}\n`);
      }
      process.stdout.write(
        `${report.cases - report.failedCases} of ${report.cases} cases match; ${report.failedCases} differ, ${report.failures.length} values (tolerance rel ${report.tolerance.rel}, abs ${report.tolerance.abs})\n`,
      );
      if (report.failedCases > 0) process.exitCode = EXIT.checkFailed;
    });
}
