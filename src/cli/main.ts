/**
 * The `ahop` command line. Exit codes: 0 ok, 1 a check failed, 2 bad input (the message names
 * what is wrong; no stack trace), 3 an internal error (a bug: the stack trace is printed to report it).
 */
import { Command, CommanderError } from 'commander';
import { AhopError } from '../errors.ts';
import { conformanceCommand } from './conformance.ts';
import { demoCommand } from './demo.ts';
import { reproduceCommand } from './reproduce.ts';
import { EXIT } from './exit.ts';
import { retrieveCommand } from './retrieve.ts';
import { trainCommand } from './train.ts';
import { runWithNativeWarningsFiltered } from './native-stderr.ts';
import { packageVersion } from './version.ts';

const program = new Command('ahop')
  .description('Adaptive Hopfield Network (A-Hop): float64 reference, conformance vectors, training and retrieval')
  .version(packageVersion(), '-V, --version', 'print the version of ahop')
  .option('--verbose', "let native backends' warnings (Dawn's) through to stderr")
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(s) })
  .addHelpText('after', `\nExit codes: ${EXIT.ok} ok, ${EXIT.checkFailed} a check failed (conformance --check), ${EXIT.badInput} bad input (the message names it; no output file is written), ${EXIT.internal} internal error (a bug; please report the trace).`)
  .addCommand(conformanceCommand())
  .addCommand(trainCommand())
  .addCommand(retrieveCommand())
  .addCommand(demoCommand())
  .addCommand(reproduceCommand());

for (const c of program.commands) c.exitOverride();

const filtered = await runWithNativeWarningsFiltered(process.argv);
try {
  if (filtered !== undefined) process.exitCode = filtered;
  else await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; usage errors exit 2.
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    if (e.code === 'commander.invalidArgument' && !e.message.startsWith('error')) process.stderr.write(`error: ${e.message}\n`);
  } else if (e instanceof AhopError) {
    process.stderr.write(`error: ${e.message}\n`);
    process.exitCode = EXIT.badInput;
  } else {
    // Not the user's fault: keep the trace for a bug report, but never exit 1, which means "check failed".
    process.stderr.write(`internal error (please report): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.internal;
  }
}
