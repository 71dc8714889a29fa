/** `ahop conformance`: export or check conformance vectors (shared/conformance.md). */
import { Command, InvalidArgumentError } from 'commander';
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

export function conformanceCommand(): Command {
  return new Command('conformance')
    .description('export reference conformance vectors (--out) or check a file another backend wrote (--check)')
    .option('--out <file>', 'write vectors to FILE (- for stdout)')
    .option('--check <file>', 'recompute every case of FILE (- for stdin) and compare')
    .option('--seed <n>', 'seed of the random cases', integerOption('--seed'), 7)
    .option('--cases <n>', 'number of cases to export', integerOption('--cases'), 200)
    .option('--kinds <list>', 'export only these kinds, comma-separated (e.g. layer,layer_vjp)', (v: string) => v.split(',').map((k) => k.trim()))
    .addOption(backendOption())
    .addHelpText('after', '\nExit codes: 0 every case matches (or export written), 1 a value differs beyond tolerance, 2 malformed file or bad arguments.')
    .action(async (o: { out?: string; check?: string; seed: number; cases: number; kinds?: string[]; backend: string }) => {
      if ((o.out === undefined) === (o.check === undefined)) {
        throw new InvalidArgumentError('give exactly one of --out FILE or --check FILE');
      }
      // Loaded here, not at the top: the 64-digit arithmetic (mathjs) costs seconds to load, and
      // every other subcommand (and --help) imports this module for integerOption.
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
      const report = checkConformance(readText(o.check!));
      for (const f of report.failures) {
        process.stdout.write(`case ${f.index} ${f.kind} ${f.field}: expected ${f.expected}, got ${f.got}\n`);
      }
      process.stdout.write(
        `${report.cases - report.failedCases} of ${report.cases} cases match; ${report.failedCases} differ (${report.failures.length} values)\n`,
      );
      if (report.failedCases > 0) process.exitCode = EXIT.checkFailed;
    });
}
