/**
 * The `classification` group end to end at tiny size, and the pieces it stands on: test-time
 * corruptions, the stratified digit split, and the tfjs sparsemax head's loss and gradient.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sparsemaxWithThreshold } from '../src/baselines/sparsemax.ts';
import { createRng } from '../src/random/rng.ts';
import { plan, render, runCell, type ClassificationResult } from '../src/experiments/downstream/classification.ts';
import { CORRUPTION_FAMILIES, CORRUPTION_LEVELS, blockOcclude, corrupt } from '../src/experiments/downstream/corruptions.ts';
import { DIGIT_DIM, DIGIT_SIDE, stratifiedSplit } from '../src/experiments/downstream/digits.ts';
import { sparsemaxLoss, sparsemaxRows } from '../src/experiments/downstream/sparsemax.ts';
import { loadTfjs, type Tfjs } from '../src/experiments/downstream/tfjs.ts';
import { expectDeterministicCell } from '../properties/support/downstream-cell.ts';
import { HEADS } from '../src/experiments/downstream/heads.ts';

const images = stratifiedSplit([0.005], createRng(1))[0].images;

describe('test-time corruptions', () => {
  it('leave clean images unchanged at level 0, for every family', () => {
    for (const f of CORRUPTION_FAMILIES) expect(corrupt(images, f, 0, createRng(0))).toEqual(images);
  });

  it('keep every pixel in [0, 1] and change the image at every tested level', () => {
    for (const f of CORRUPTION_FAMILIES) {
      for (const level of CORRUPTION_LEVELS[f]) {
        const x = corrupt(images, f, level, createRng(2));
        expect(x.flat().every((v) => v >= 0 && v <= 1)).toBe(true);
        expect(x.length).toBe(images.length);
        const changed = x.filter((img, i) => img.some((v, j) => v !== images[i][j])).length;
        expect(changed).toBeGreaterThan(images.length / 2);
      }
    }
  });

  it('masked replaces about a fraction ρ of the pixels (kept pixels move by the floor noise only)', () => {
    const x = corrupt(images, 'masked', 0.4, createRng(3));
    let far = 0;
    let total = 0;
    x.forEach((img, i) => img.forEach((v, j) => {
      total++;
      if (Math.abs(v - images[i][j]) > 0.01) far++;
    }));
    // Occluders land within 0.01 of the pixel with small probability, so slightly under ρ.
    expect(far / total).toBeGreaterThan(0.33);
    expect(far / total).toBeLessThan(0.41);
  });

  it('block occlusion changes only pixels inside one a×a square', () => {
    const rng = createRng(4);
    for (const a of CORRUPTION_LEVELS.block) {
      for (const img of images.slice(0, 10)) {
        const x = blockOcclude(img, DIGIT_SIDE, a, rng);
        const rows = new Set<number>();
        const cols = new Set<number>();
        x.forEach((v, j) => {
          if (v !== img[j]) {
            rows.add(Math.floor(j / DIGIT_SIDE));
            cols.add(j % DIGIT_SIDE);
          }
        });
        expect(Math.max(...rows) - Math.min(...rows)).toBeLessThan(a);
        expect(Math.max(...cols) - Math.min(...cols)).toBeLessThan(a);
      }
    }
  });

  it('rejects an unknown family and a negative level by name', () => {
    expect(() => corrupt(images, 'blur' as never, 0.1, createRng(0))).toThrow(/family/);
    expect(() => corrupt(images, 'noisy', -1, createRng(0))).toThrow(/level/);
  });
});

describe('stratified digit split', () => {
  it('gives disjoint parts with each class in proportion', () => {
    const [a, b] = stratifiedSplit([0.4, 0.1], createRng(5));
    expect(a.ids.filter((id) => new Set(b.ids).has(id))).toEqual([]);
    expect(new Set(a.ids).size).toBe(a.ids.length);
    for (let c = 0; c < 10; c++) {
      const na = a.labels.filter((l) => l === c).length;
      const nb = b.labels.filter((l) => l === c).length;
      expect(Math.abs(na - 4 * nb)).toBeLessThanOrEqual(4);
    }
    expect(a.images[0]).toHaveLength(DIGIT_DIM);
  });
});

describe('tfjs sparsemax head', () => {
  let tfjs: Tfjs;
  beforeAll(async () => {
    tfjs = await loadTfjs('wasm');
  });
  const rng = createRng(6);
  const zs = Array.from({ length: 6 }, () => Array.from({ length: 10 }, () => 2 * rng.normal()));
  const ys = zs.map((_, b) => Array.from({ length: 10 }, (_, c) => (c === (3 * b) % 10 ? 1 : 0)));
  /** The sparsemax loss in float64 from the reference's threshold: −z_y + ½ Σ_S (z_j² − τ²) + ½. */
  const lossRef = (z: number[][]): number =>
    z.reduce((acc, row, b) => {
      const { probs, tau } = sparsemaxWithThreshold(row);
      const quad = row.reduce((q, v, j) => q + (probs[j] > 0 ? v * v - tau * tau : 0), 0);
      return acc + (-row[ys[b].indexOf(1)] + quad / 2 + 0.5);
    }, 0) / z.length;
  const fdGradient = (z: number[][]): number[][] =>
    z.map((row, b) =>
      row.map((_, j) => {
        const h = 1e-6;
        const plus = z.map((r, bb) => r.map((v, jj) => (bb === b && jj === j ? v + h : v)));
        const minus = z.map((r, bb) => r.map((v, jj) => (bb === b && jj === j ? v - h : v)));
        return (lossRef(plus) - lossRef(minus)) / (2 * h);
      }),
    );
  const close = (got: number[][], want: number[][], tol: number): boolean => got.every((r, b) => r.every((v, j) => Math.abs(v - want[b][j]) <= tol));

  it('gives the float64 reference sparsemax, rows summing to one', () => {
    const { tf } = tfjs;
    const p = tf.tidy(() => sparsemaxRows(tfjs, tf.tensor2d(zs)).arraySync());
    zs.forEach((row, b) => {
      const want = sparsemaxWithThreshold(row).probs;
      p[b].forEach((v, j) => expect(v).toBeCloseTo(want[j], 5));
      expect(p[b].reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    });
  });

  it('has the loss value of the float64 formula and the gradient of its central finite differences', () => {
    const { tf } = tfjs;
    const [value, grad] = tf.tidy(() => {
      const y = tf.tensor2d(ys);
      const g = tf.grad((z: import('@tensorflow/tfjs-core').Tensor) => sparsemaxLoss(tfjs, z as never, y));
      return [sparsemaxLoss(tfjs, tf.tensor2d(zs), y).dataSync()[0], g(tf.tensor2d(zs)).arraySync() as number[][]];
    });
    expect(value).toBeCloseTo(lossRef(zs), 4);
    expect(close(grad, fdGradient(zs), 1e-4)).toBe(true);
  });

  it('… and a gradient missing its −y term is caught', () => {
    const broken = zs.map((row) => sparsemaxWithThreshold(row).probs.map((p) => p / zs.length));
    expect(close(broken, fdGradient(zs), 1e-4)).toBe(false);
  });
});

describe('classification group (tiny)', () => {
  let first: ClassificationResult;
  const spec = plan(1, { tiny: true })[0];
  beforeAll(async () => {
    first = await runCell(spec);
  });

  it('plans one cell per seed with distinct ids and a version', () => {
    const specs = plan(3, {});
    expect(specs.map((s) => s.id)).toEqual(['classification-s0', 'classification-s1', 'classification-s2']);
    expect(specs.every((s) => s.version.length > 0 && s.heads.length === HEADS.length)).toBe(true);
    expect(() => plan(0, {})).toThrow(/seeds/);
  });

  it('scores every head on clean digits and on every corruption level, class probabilities summing to one', () => {
    const levels = 1 + CORRUPTION_FAMILIES.reduce((a, f) => a + CORRUPTION_LEVELS[f].length, 0);
    expect(first.scores).toHaveLength(HEADS.length * levels);
    expect(first.scores.every((s) => s.accuracy >= 0 && s.accuracy <= 1)).toBe(true);
    for (const h of HEADS) expect(first.probabilitySumError[h]).toBeLessThan(1e-5);
    // Better than chance on clean digits after two epochs on ~300 digits.
    for (const h of HEADS) expect(first.scores.find((s) => s.method === h && s.family === 'clean')!.accuracy).toBeGreaterThan(0.15);
  });

  it('is deterministic: the same seed gives identical results, and leaves no tensor behind', () => expectDeterministicCell(runCell, spec, first));

  it('renders a table, an SVG figure and summary rows of shape { mean, std, n, values }', async () => {
    const out = await render([first]);
    expect(out.markdown).toContain('| clean |');
    expect(out.figures).toHaveLength(1);
    expect(out.figures[0].svg.startsWith('<svg')).toBe(true);
    const clean = out.summary.find((r) => r.setting === 'clean' && r.method === 'A-Hop')!;
    expect(clean).toMatchObject({ group: 'classification', metric: 'accuracy', n: 1, std: 0 });
    expect(clean.values).toEqual([first.scores.find((s) => s.method === 'ahop' && s.family === 'clean')!.accuracy]);
  });
});
