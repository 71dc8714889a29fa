/**
 * File I/O for the CLI: `-` means stdin/stdout; outputs are written to a temporary file beside the
 * target and renamed, so an interrupted or failed run never leaves a half-written file.
 */
import { readFileSync } from 'node:fs';
import { ParseError } from '../errors.ts';
import { writeFileAtomic } from '../io/atomic.ts';

export function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new ParseError(`cannot read ${path === '-' ? 'standard input' : path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function readJson(path: string, what: string): unknown {
  const text = readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ParseError(`${what} (${path}) is not valid JSON (malformed or truncated): ${(e as Error).message}`);
  }
}

export function writeText(path: string, text: string): void {
  if (path === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileAtomic(path, text);
  } catch (e) {
    throw new ParseError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
