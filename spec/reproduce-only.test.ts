/**
 * `ahop reproduce --only GROUP[,GROUP]` end to end on tiny sizes, as a user runs it: tables,
 * SVG figures, summary rows { group, setting, method, metric, mean, std, n, values } in canonical
 * group order, progress with an ETA on stderr, the per-cell cache (a re-run computes nothing), and
 * clear errors for unknown or unavailable groups.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SummaryRow } from '../src/experiments/group.ts';
import { parseGroups } from '../src/experiments/groups.ts';

const out = mkdtempSync(join(tmpdir(), 'ahop-only-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ahop = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/ahop.js', ...args], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '0' } });

type Row = SummaryRow;

describe('reproduce --only', () => {
  it('runs tabular and concepts on tiny sizes: tables, figures, summary rows, ETA, and a cached re-run', () => {
    const first = ahop('reproduce', '--only', 'concepts,tabular', '--tiny', '--out', out);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/tabular 3\/3 .* ETA/);
    expect(first.stderr).toMatch(/concepts 2\/2 .* ETA/);
    const md = readFileSync(join(out, 'tables.md'), 'utf8');
    expect(md.indexOf('## tabular')).toBeGreaterThan(0);
    expect(md.indexOf('## concepts')).toBeGreaterThan(md.indexOf('## tabular'));
    expect(md).toContain('paper: Adult');
    for (const f of ['tabular.svg', 'concepts.svg']) expect(readFileSync(join(out, 'figures', f), 'utf8')).toMatch(/^<svg/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { groups: Row[]; only: string[] };
    expect(summary.only).toEqual(['tabular', 'concepts']);
    const groups = summary.groups.map((r) => r.group);
    expect(groups.lastIndexOf('tabular')).toBeLessThan(groups.indexOf('concepts'));
    expect(new Set(summary.groups.filter((r) => r.group === 'tabular').map((r) => r.setting))).toEqual(new Set(['breast-cancer', 'credit-g', 'diabetes']));
    expect(summary.groups.filter((r) => r.group === 'concepts').map((r) => r.setting)).toContain('C=8');
    for (const r of summary.groups) {
      expect(Object.keys(r).sort()).toEqual(['group', 'mean', 'method', 'metric', 'n', 'setting', 'std', 'values']);
      expect(r.values).toHaveLength(r.n);
      expect(r.mean).toBeCloseTo(r.values.reduce((a, v) => a + v, 0) / r.n, 12);
    }
    expect(readdirSync(join(out, 'cells')).filter((f) => f.startsWith('tabular-tiny-'))).toHaveLength(3);

    const second = ahop('reproduce', '--only', 'tabular,concepts', '--tiny', '--out', out);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain('tabular: 3 cells (3 cached');
    expect(second.stderr).toContain('concepts: 2 cells (2 cached');
    const again = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { groups: Row[] };
    expect(again.groups).toEqual(summary.groups);
  }, 300_000);

  it('names an unknown group and refuses --full with --only', () => {
    expect(() => parseGroups('tabular,nope')).toThrow(/unknown group "nope"/);
    expect(parseGroups('concepts, retrieval')).toEqual(['retrieval', 'concepts']);
    const bad = ahop('reproduce', '--only', 'nope', '--out', join(out, 'x'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('unknown group "nope"');
    const full = ahop('reproduce', '--only', 'tabular', '--full', '--out', join(out, 'y'));
    expect(full.status).not.toBe(0);
    expect(full.stderr).toContain('--only and --full exclude each other');
    expect(existsSync(join(out, 'y'))).toBe(false);
  }, 60_000);
});
