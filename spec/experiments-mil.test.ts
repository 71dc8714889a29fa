/**
 * The `mil` group end to end at tiny size, and the pieces it stands on: MNIST-bags construction,
 * the exact AUC, and the batched poolings (each bag of a batch pooled as if alone).
 */
import type * as TF from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../src/random/rng.ts';
import { auc } from '../src/experiments/downstream/auc.ts';
import { POSITIVE_DIGIT, drawBags } from '../src/experiments/downstream/bags.ts';
import { stratifiedSplit } from '../src/experiments/downstream/digits.ts';
import { cellBags, plan, render, runCell, type MilResult } from '../src/experiments/downstream/mil.ts';
import { POOLINGS, createPooling } from '../src/experiments/downstream/pooling.ts';
import { loadTfjs, type Tfjs } from '../src/experiments/downstream/tfjs.ts';
import { expectDeterministicCell } from '../properties/support/downstream-cell.ts';

describe('MNIST-bags', () => {
  const full = plan(1, {});
  const bags = full.map(cellBags);

  it('labels a bag positive iff a 9 is inside, with instance classes matching their digits', () => {
    for (const { train, validation, test } of bags) {
      for (const b of [...train, ...validation, ...test]) {
        expect(b.label).toBe(b.digits.includes(POSITIVE_DIGIT) ? 1 : 0);
        expect(b.ids.map((id) => Number(id.split('/')[0]))).toEqual(b.digits);
        expect(b.instances).toHaveLength(b.digits.length);
      }
    }
  });

  it('draws bag sizes ≥ 1 around N(10, 2²), and about 1 − 0.9¹⁰ of the bags positive', () => {
    const test = bags[0].test;
    expect(test).toHaveLength(1000);
    const sizes = test.map((b) => b.instances.length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    const sd = Math.sqrt(sizes.reduce((a, s) => a + (s - mean) ** 2, 0) / (sizes.length - 1));
    expect(Math.abs(mean - 10)).toBeLessThan(0.3);
    expect(Math.abs(sd - 2)).toBeLessThan(0.3);
    const positive = test.filter((b) => b.label === 1).length / test.length;
    expect(Math.abs(positive - (1 - 0.9 ** 10))).toBeLessThan(0.06);
    const tiny = drawBags(stratifiedSplit([0.01], createRng(0))[0], 500, { mean: 0, sd: 2 }, createRng(1));
    expect(tiny.every((b) => b.instances.length >= 1)).toBe(true);
  });

  it('draws train and test bags from disjoint digit pools', () => {
    for (const { train, validation, test } of bags) {
      const trainIds = new Set([...train, ...validation].flatMap((b) => b.ids));
      expect(test.flatMap((b) => b.ids).filter((id) => trainIds.has(id))).toEqual([]);
    }
  });

  it('nests the training sets (50 ⊂ 100 ⊂ 200 bags) and holds out 20 % for validation', () => {
    const labelled = bags.map((b) => [...b.train, ...b.validation]);
    expect(labelled.map((l) => l.length)).toEqual([50, 100, 200]);
    expect(bags.map((b) => b.validation.length)).toEqual([10, 20, 40]);
    expect(labelled[1].slice(0, 50)).toEqual(labelled[0]);
    expect(labelled[2].slice(0, 100)).toEqual(labelled[1]);
    expect(bags[0].test).toEqual(bags[2].test);
  });
});

describe('exact AUC', () => {
  /** Independent definition: the fraction of (positive, negative) pairs ordered right, ties ½. */
  const pairwise = (s: number[], y: number[]): number => {
    let num = 0;
    let den = 0;
    s.forEach((sp, i) => {
      if (y[i] !== 1) return;
      s.forEach((sn, j) => {
        if (y[j] !== 0) return;
        den++;
        num += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      });
    });
    return num / den;
  };
  const rng = createRng(7);
  // Scores on a coarse grid, so ties are frequent.
  const cases = Array.from({ length: 200 }, () => {
    const n = 2 + rng.int(15);
    const y = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : i === 1 ? 0 : rng.int(2)));
    return { s: y.map(() => rng.int(4) / 4), y };
  });

  it('equals the pairwise count on small examples with ties', () => {
    for (const { s, y } of cases) expect(auc(s, y)).toBeCloseTo(pairwise(s, y), 12);
    expect(auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0])).toBe(0.875);
  });

  it('… and a rank AUC that does not average tied ranks is caught', () => {
    const ordinal = (s: number[], y: number[]): number => {
      const order = s.map((_, i) => i).sort((a, b) => s[a] - s[b]);
      const nPos = y.filter((v) => v === 1).length;
      const r = order.reduce((acc, idx, rank) => acc + (y[idx] === 1 ? rank + 1 : 0), 0);
      return (r - (nPos * (nPos + 1)) / 2) / (nPos * (y.length - nPos));
    };
    expect(cases.some(({ s, y }) => Math.abs(ordinal(s, y) - pairwise(s, y)) > 1e-9)).toBe(true);
  });

  it('refuses one-class labels, bad labels and non-finite scores by name', () => {
    expect(() => auc([0.1, 0.2], [1, 1])).toThrow(/both classes/);
    expect(() => auc([0.1, 0.2], [1, 2])).toThrow(/labels\[1\]/);
    expect(() => auc([NaN, 0.2], [1, 0])).toThrow(/scores\[0\]/);
    expect(() => auc([0.1], [1, 0])).toThrow(/length/);
  });
});

describe('MIL poolings', () => {
  let tfjs: Tfjs;
  beforeAll(async () => {
    tfjs = await loadTfjs('wasm');
  });

  let ahopStart: { pooled: number[]; hard: number[] } | undefined;

  it('pool each bag of a batch exactly as that bag alone, and A-Hop pooling is ahopAttention’s readout from the soft start −‖q − h‖²/√d', () => {
    const { tf } = tfjs;
    const rng = createRng(8);
    const sizes = [3, 1, 5];
    const m = sizes.reduce((a, b) => a + b, 0);
    const hAll = Array.from({ length: m }, () => Array.from({ length: 6 }, () => rng.normal()));
    const mask = sizes.map((_, b) => {
      const start = sizes.slice(0, b).reduce((a, c) => a + c, 0);
      return Array.from({ length: m }, (_, i) => (i >= start && i < start + sizes[b] ? 1 : 0));
    });
    for (const name of POOLINGS) {
      const pooling = createPooling(tfjs, name, 6, createRng(9));
      const [batched, alone] = tf.tidy(() => {
        const together = pooling.pool(tf.tensor2d(hAll), tf.tensor2d(mask)).arraySync();
        const each = sizes.map((n, b) => {
          const start = sizes.slice(0, b).reduce((a, c) => a + c, 0);
          return pooling.pool(tf.tensor2d(hAll.slice(start, start + n)), tf.ones([1, n]) as TF.Tensor2D).arraySync()[0];
        });
        return [together, each];
      });
      batched.forEach((row, b) => row.forEach((v, j) => expect(v).toBeCloseTo(alone[b][j], 5)));
      if (name === 'ahop') {
        const q = pooling.vars[0];
        const readout = (betaDis: number) =>
          tf.tidy(() => {
            const h = tf.tensor2d(hAll.slice(0, 3));
            return tfjs.ahopAttention(q as TF.Tensor2D, h, h, { wDis: [0, 0, 0, 0, 0, 1], wDot: [0, 0, 0, 0, 0, 1], betaDis, betaDot: 0 }).retrieved.arraySync()[0];
          });
        readout(1 / Math.sqrt(6)).forEach((v, j) => expect(batched[0][j]).toBeCloseTo(v, 5));
        ahopStart = { pooled: batched[0], hard: readout(1) };
      }
      if (name === 'mean') batched[2].forEach((v, j) => expect(v).toBeCloseTo(hAll.slice(4).reduce((a, r) => a + r[j], 0) / 5, 5));
      if (name === 'max') batched[0].forEach((v, j) => expect(v).toBe(Math.fround(Math.max(...hAll.slice(0, 3).map((r) => r[j])))));
      pooling.dispose();
    }
  });

  it('… and an A-Hop pooling started at β_dis = 1 (the saturating start) is caught', () => {
    expect(ahopStart).toBeDefined();
    const gap = Math.max(...ahopStart!.pooled.map((v, j) => Math.abs(v - ahopStart!.hard[j])));
    expect(gap).toBeGreaterThan(1e-3);
  });
});

describe('mil group (tiny)', () => {
  let first: MilResult;
  const spec = plan(1, { tiny: true })[1];
  beforeAll(async () => {
    first = await runCell(spec);
  });

  it('plans one cell per (seed, training bags) with distinct ids', () => {
    const ids = plan(5, {}).map((s) => s.id);
    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(15);
    expect(() => plan(1.5, {})).toThrow(/seeds/);
  });

  it('scores every pooling with an AUC and an accuracy in [0, 1]', () => {
    expect(first.scores.map((s) => s.method)).toEqual([...POOLINGS]);
    for (const s of first.scores) {
      expect(s.auc).toBeGreaterThanOrEqual(0);
      expect(s.auc).toBeLessThanOrEqual(1);
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
  });

  it('is deterministic: the same seed gives identical results, and leaves no tensor behind', () => expectDeterministicCell(runCell, spec, first));

  it('renders a table, an SVG figure and summary rows of shape { mean, std, n, values }', async () => {
    const out = await render([first]);
    expect(out.markdown).toContain('| 20 | AUC |');
    expect(out.figures[0].svg.startsWith('<svg')).toBe(true);
    const row = out.summary.find((r) => r.metric === 'auc' && r.method === 'mean')!;
    expect(row).toMatchObject({ group: 'mil', setting: '20 training bags', n: 1 });
    expect(row.values).toEqual([first.scores.find((s) => s.method === 'mean')!.auc]);
  });
});
