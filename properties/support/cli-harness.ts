/**
 * Runs the `ahop` command line in this process, as bin/ahop.js would (src/cli/main.ts evaluated
 * afresh with the given argv), capturing stdout, stderr and the exit code. A child process costs
 * seconds of start-up (tsx); this costs milliseconds, so the CLI can be fuzzed. An error that
 * main.ts lets escape — in a real run, a stack trace and exit code 1 — is returned as `uncaught`.
 *
 * Not for `-` as stdin (that needs a real child process: see `spawnAhop`).
 */
import { spawn } from 'node:child_process';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** An error main.ts did not turn into an exit code (a crash in a real run). */
  uncaught?: unknown;
}

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).href;
let runs = 0;

export async function runAhop(args: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const argv = process.argv;
  process.argv = ['node', 'ahop', ...args];
  process.exitCode = undefined;
  process.stdout.write = ((s: string | Uint8Array) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => (err.push(String(s)), true)) as typeof process.stderr.write;
  let uncaught: unknown;
  try {
    await import(/* @vite-ignore */ `${MAIN}?run=${++runs}`);
  } catch (e) {
    uncaught = e;
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.argv = argv;
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { code: uncaught === undefined ? code : 1, stdout: out.join(''), stderr: err.join(''), uncaught };
}

/**
 * Runs `node bin/ahop.js ARGS` as a child process, with `stdin` piped in; `killWhen`, when given, is
 * asked after each chunk of stderr and sends SIGKILL when it says so.
 */
export function spawnAhop(
  args: readonly string[],
  stdin = '',
  killWhen?: (stderr: string) => boolean,
): Promise<{ code: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ahop.js', ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (killWhen?.(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, stdout, stderr, signal }));
    child.stdin.end(stdin);
  });
}
