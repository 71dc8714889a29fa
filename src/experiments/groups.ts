/**
 * The groups of `ahop reproduce --only GROUP[,GROUP]` and their runner. `retrieval` is the
 * existing retrieval tables (experiments/runner.ts, rendered by render.ts); every other group
 * implements ExperimentGroup (group.ts) and is registered here by one line. Groups run in the
 * canonical order of GROUP_NAMES whatever order the user lists them in; cells run one after the
 * other in this process, each cached under `<out>/cells/` (cache.ts) so a re-run skips it.
 */
import { DomainError } from '../errors.ts';
import { readCell, writeCell } from './cache.ts';
import { conceptsGroup } from './concepts/group.ts';
import * as classification from './downstream/classification.ts';
import * as mil from './downstream/mil.ts';
import type { ExperimentGroup, GroupRender, GroupSpec } from './group.ts';
import { tabularGroup } from './tabular/group.ts';

/** Every group name, in canonical order (the order of outputs and summary rows). */
export const GROUP_NAMES = ['retrieval', 'tabular', 'classification', 'mil', 'concepts'] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

type AnyGroup = ExperimentGroup<GroupSpec, { spec: GroupSpec }>;

/** The registered ExperimentGroups (retrieval runs through the retrieval runner instead). */
export const GROUPS: Partial<Record<Exclude<GroupName, 'retrieval'>, AnyGroup>> = {
  tabular: tabularGroup as unknown as AnyGroup,
  classification: { plan: classification.plan, runCell: classification.runCell, render: classification.render } as unknown as AnyGroup,
  mil: { plan: mil.plan, runCell: mil.runCell, render: mil.render } as unknown as AnyGroup,
  concepts: conceptsGroup as unknown as AnyGroup,
};

/**
 * Parses `--only`: comma-separated names, each known and registered; returns them in canonical
 * order without duplicates.
 * @example
 * ```ts
 * import { parseGroups } from './groups.ts';
 * if (parseGroups('concepts,tabular').join() !== 'tabular,concepts') throw new Error('groups in run order');
 * ```
 */
export function parseGroups(list: string): GroupName[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new DomainError('--only needs at least one group');
  for (const n of names) {
    if (!(GROUP_NAMES as readonly string[]).includes(n)) throw new DomainError(`--only: unknown group "${n}" (groups: ${GROUP_NAMES.join(', ')})`);
    if (n !== 'retrieval' && GROUPS[n as Exclude<GroupName, 'retrieval'>] === undefined) {
      throw new DomainError(`--only: group "${n}" is not available in this build (available: ${availableGroups().join(', ')})`);
    }
  }
  return GROUP_NAMES.filter((g) => names.includes(g));
}

/** Groups that can run now: retrieval and every registered one. */
export function availableGroups(): GroupName[] {
  return GROUP_NAMES.filter((g) => g === 'retrieval' || GROUPS[g] !== undefined);
}

export interface GroupRunOptions {
  seeds: number;
  firstSeed: number;
  tiny: boolean;
  out: string;
  onPlan?(group: GroupName, cached: number, todo: number): void;
  /** After each computed cell: cells done and to do in this group, the cell's id and seconds. */
  onProgress?(group: GroupName, done: number, todo: number, id: string, seconds: number): void;
}

/** Plans, runs (or reads from the cache) and renders one registered group. */
export async function runGroup(name: Exclude<GroupName, 'retrieval'>, o: GroupRunOptions): Promise<GroupRender & { computed: number; cached: number }> {
  const group = GROUPS[name];
  if (group === undefined) throw new DomainError(`group "${name}" is not registered`);
  const specs = group.plan(o.seeds, { tiny: o.tiny, firstSeed: o.firstSeed });
  const hits = specs.map((s) => readCell<GroupSpec, { spec: GroupSpec }>(o.out, s));
  const todo = hits.filter((h) => h === undefined).length;
  o.onPlan?.(name, specs.length - todo, todo);
  const results: { spec: GroupSpec }[] = [];
  let done = 0;
  for (const [i, spec] of specs.entries()) {
    const hit = hits[i];
    if (hit !== undefined) {
      results.push(hit);
      continue;
    }
    const start = performance.now();
    const r = await group.runCell(spec);
    writeCell(o.out, r);
    results.push(r);
    o.onProgress?.(name, ++done, todo, spec.id, (performance.now() - start) / 1000);
  }
  return { ...(await group.render(results)), computed: todo, cached: specs.length - todo };
}
