/** One tiny cell of each group runs every method on one shared instance. */
import { describe, expect, it } from 'vitest';
import { runCell } from '../src/experiments/run-cell.ts';
import { tinyCell } from './experiments-fixtures.ts';

describe('runCell', () => {
  it('scores every method of the roster, deterministically', () => {
    const spec = tinyCell();
    const r = runCell(spec);
    const names = Object.keys(r.scores);
    for (const m of ['ahop', 'ahop:nosort-noU', 'ahop:nosort-U', 'ahop:sort-noU', 'ahop:dis', 'ahop:dot', 'mhop', 'mhop-fixed-point', 'sparse', 'universal', 'u2hop', 'bayes']) {
      expect(names).toContain(m);
    }
    for (const s of Object.values(r.scores)) {
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(r.universal.accuracy)).toHaveLength(15);
    expect(Object.keys(r.universal.accuracy)).toContain(r.universal.chosen);
    expect(r.params.ahop.wDis).toHaveLength(5);
    const again = runCell(spec);
    expect(Object.fromEntries(Object.entries(again.scores).map(([k, v]) => [k, v.accuracy]))).toEqual(
      Object.fromEntries(Object.entries(r.scores).map(([k, v]) => [k, v.accuracy])),
    );
  });

  it('skips the ablation rows when asked and keeps MNIST examples', () => {
    const r = runCell(tinyCell({ group: 'mnist', task: { kind: 'mnist', n: 4, pool: 4 }, delta: 0.6, ablations: false, keepExamples: 2 }));
    expect(Object.keys(r.scores)).not.toContain('ahop:dis');
    expect(r.examples?.queries).toHaveLength(2);
    expect(r.examples?.readouts.ahop[0]).toHaveLength(49);
    expect(r.examples?.labels.every((l) => l >= 0 && l <= 9)).toBe(true);
  });

  it('runs the pure families and the mixture', () => {
    for (const family of ['noisy', 'masked', 'biased', 'mixed'] as const) {
      const r = runCell(tinyCell({ group: 'families', family, ablations: false }));
      expect(r.scores.bayes.accuracy).toBeGreaterThanOrEqual(0);
    }
  });
});
