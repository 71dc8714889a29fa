/**
 * Native backends write warnings straight to file descriptor 2 (Dawn, the webgpu backend, prints
 * `Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced …` when it starts), where
 * JavaScript cannot intercept them. When a native backend is asked for without --verbose, the CLI
 * runs itself as a child process with its stderr piped and drops those warnings (a `Warning: ` line
 * and the indented lines that continue it); everything else passes through unchanged.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const MARK = 'AHOP_NATIVE_STDERR_FILTERED';
/** Backends whose native library writes to fd 2 (webgpu: Dawn). */
const NATIVE_BACKENDS: readonly string[] = ['webgpu'];

/** The value of `--backend` in argv (`--backend X` or `--backend=X`), or undefined. */
function backendIn(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backend') return argv[i + 1];
    if (argv[i].startsWith('--backend=')) return argv[i].slice('--backend='.length);
  }
  return undefined;
}

/** True for a line a native library printed as a warning, or a line that continues one. */
export function nativeWarningFilter(): (line: string) => boolean {
  let inWarning = false;
  return (line) => {
    if (/^Warning: /.test(line)) return (inWarning = true);
    if (inWarning && /^\s+\S/.test(line)) return true;
    inWarning = false;
    return false;
  };
}

/**
 * Runs the CLI again as a child whose native warnings are filtered out, when this run would start a
 * native backend without --verbose; resolves to the child's exit code, or undefined to run here.
 */
export async function runWithNativeWarningsFiltered(argv: readonly string[]): Promise<number | undefined> {
  const args = argv.slice(2);
  const backend = backendIn(args);
  if (process.env[MARK] === '1' || args.includes('--verbose') || backend === undefined || !NATIVE_BACKENDS.includes(backend)) return undefined;
  // Only a CLI started from a script file can start itself again (not one driven in-process).
  if (argv[1] === undefined || !existsSync(argv[1])) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, argv[1], ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, [MARK]: '1' },
  });
  const isWarning = nativeWarningFilter();
  const lines = createInterface({ input: child.stderr! });
  lines.on('line', (line) => {
    if (!isWarning(line)) process.stderr.write(line + '\n');
  });
  const [code] = await Promise.all([
    new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal !== null ? 128 + 1 : 3)))),
    new Promise<void>((resolve) => lines.on('close', () => resolve())),
  ]);
  return code;
}
