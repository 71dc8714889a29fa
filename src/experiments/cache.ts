/**
 * Finished cells as JSON files under `<out>/cells/`, written atomically (temp file + rename), so an
 * interrupted run keeps every cell it completed and a re-run skips them. A cached cell is reused
 * only when its stored spec equals the planned one (same protocol, sizes, budget, version).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../io/atomic.ts';
import { join } from 'node:path';

/** Anything cached: a result that carries the spec it was computed from. */
export interface Cached<S extends { id: string }> {
  spec: S;
}

export function cellsDir(out: string): string {
  return join(out, 'cells');
}

function cellPath(out: string, id: string): string {
  return join(cellsDir(out), `${id}.json`);
}

/** Deterministic JSON of a spec (keys sorted), for comparing a cached spec with a planned one. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A cached cell that ran more methods than planned (its `skip` list is a subset of the planned
 * one, everything else equal) still serves: the extra methods' scores are dropped, so every
 * reported method has the same seeds.
 */
function reuse<S extends { id: string }, R extends Cached<S>>(r: R, spec: S): R | undefined {
  if (canonical(r.spec) === canonical(spec)) return r;
  const planned = (spec as { skip?: string[] }).skip ?? [];
  const cachedSkip = (r.spec as { skip?: string[] }).skip ?? [];
  const { skip: _a, ...restPlanned } = spec as { skip?: string[] };
  const { skip: _b, ...restCached } = r.spec as { skip?: string[] };
  if (canonical(restPlanned) !== canonical(restCached) || !cachedSkip.every((m) => planned.includes(m))) return undefined;
  const scores = (r as { scores?: Record<string, unknown> }).scores;
  const kept = scores === undefined ? undefined : Object.fromEntries(Object.entries(scores).filter(([m]) => !planned.includes(m)));
  return { ...r, spec, ...(kept === undefined ? {} : { scores: kept }) };
}

export function readCell<S extends { id: string }, R extends Cached<S>>(out: string, spec: S): R | undefined {
  const p = cellPath(out, spec.id);
  if (!existsSync(p)) return undefined;
  try {
    return reuse(JSON.parse(readFileSync(p, 'utf8')) as R, spec);
  } catch {
    // A corrupt file (should not happen with atomic writes) is simply recomputed.
    return undefined;
  }
}

export function writeCell(out: string, result: Cached<{ id: string }>): void {
  mkdirSync(cellsDir(out), { recursive: true });
  writeFileAtomic(cellPath(out, result.spec.id), JSON.stringify(result) + '\n');
}
