import { describe, expect, it } from 'vitest';
import { DomainError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import { holdOut, minimise, stopping, type MinimiseProblem } from '../src/train/loop.ts';

/** L_i(θ) = (θ_0 − y_i)² + θ_1²: mean minimised at θ = (mean y, 0). */
const y = [1, 3];
const problem = (theta0 = [0, 5]): MinimiseProblem => ({
  theta0: Float64Array.from(theta0),
  count: y.length,
  batchLossGrad: (t, idx) => ({
    loss: idx.reduce((a, i) => a + (t[0] - y[i]) ** 2 + t[1] ** 2, 0) / idx.length,
    grad: [idx.reduce((a, i) => a + 2 * (t[0] - y[i]), 0) / idx.length, 2 * t[1]],
  }),
});
const options = { epochs: 300, lr: 0.1, batchSize: 2, seed: 0 };

describe('minimise (the one training loop)', () => {
  it('finds the minimiser of a mean squared loss (the TSDoc example)', () => {
    const r = minimise(problem(), options);
    expect(r.theta[0]).toBeCloseTo(2, 2);
    expect(r.theta[1]).toBeCloseTo(0, 2);
    expect(r.finalLoss).toBeLessThan(r.losses[0]);
    expect(r.losses).toHaveLength(options.epochs + 1);
  });
  it('leaves θ₀ untouched and holds frozen parameters fixed', () => {
    const p = problem();
    const r = minimise(p, { ...options, frozen: [1] });
    expect(Array.from(p.theta0)).toEqual([0, 5]);
    expect(r.theta[1]).toBe(5);
  });
  it('returns the start when no epoch improves the criterion (a held-out loss that only rises)', () => {
    // The criterion is lowest at θ₀ = (0, 0) and rises as θ_0 moves toward 2.
    const r = minimise({ ...problem([0, 0]), criterion: (t) => Math.abs(t[0]) }, options);
    expect(r.bestEpoch).toBe(0);
    expect(Array.from(r.theta)).toEqual([0, 0]);
  });
  it("without the safeguard ('none') returns the last iterate", () => {
    const r = minimise({ ...problem([0, 0]), criterion: (t) => Math.abs(t[0]) }, { ...options, safeguard: 'none' });
    expect(r.bestEpoch).toBe(options.epochs);
    expect(r.theta[0]).toBeCloseTo(2, 2);
  });
  it('calls onEpoch once per epoch with that epoch’s mean batch loss', () => {
    const seen: number[] = [];
    const r = minimise(problem(), { ...options, epochs: 4, onEpoch: (e, l) => seen.push(e, l) });
    expect(seen).toEqual([1, r.losses[1], 2, r.losses[2], 3, r.losses[3], 4, r.losses[4]]);
  });
  it('gives onEpoch a copy of θ after the epoch: the returned θ of the last epoch without the safeguard', () => {
    const thetas: number[][] = [];
    const r = minimise(problem(), { ...options, epochs: 3, safeguard: 'none', onEpoch: (_, __, t) => thetas.push(Array.from(t)) });
    expect(thetas).toHaveLength(3);
    expect(thetas[2]).toEqual(Array.from(r.theta));
    // A copy: each epoch's θ differs from the next (the loop's own θ moved on after the first call).
    expect(thetas[0]).not.toEqual(thetas[1]);
  });
  it('refuses bad options and a diverging run with a DomainError naming the field', () => {
    expect(() => minimise(problem(), { ...options, epochs: 0 })).toThrow(/epochs/);
    expect(() => minimise(problem(), { ...options, lr: -1 })).toThrow(/lr/);
    expect(() => minimise(problem(), { ...options, batchSize: 1.5 })).toThrow(/batchSize/);
    expect(() => minimise({ ...problem(), count: 0 }, options)).toThrow(/count/);
    expect(() => minimise(problem(), { ...options, safeguard: 'x' as never })).toThrow(/safeguard/);
    expect(() => minimise(problem(), { ...options, lr: 1e308 })).toThrow(DomainError);
  });
});

/** Eight examples, L_i(θ) = (θ − y_i)²: the fit and validation means differ, so the split matters. */
const y8 = [0, 1, 2, 3, 4, 5, 6, 7];
function recording(): { problem: MinimiseProblem; batched: Set<number> } {
  const batched = new Set<number>();
  return {
    batched,
    problem: {
      theta0: Float64Array.from([10]),
      count: y8.length,
      batchLossGrad: (t, idx) => {
        idx.forEach((i) => batched.add(i));
        return { loss: idx.reduce((a, i) => a + (t[0] - y8[i]) ** 2, 0) / idx.length, grad: [idx.reduce((a, i) => a + 2 * (t[0] - y8[i]), 0) / idx.length] };
      },
      batchLoss: (t, idx) => idx.reduce((a, i) => a + (t[0] - y8[i]) ** 2, 0) / idx.length,
    },
  };
}
const valLoss = (theta: number, validation: readonly number[]) => validation.reduce((a, i) => a + (theta - y8[i]) ** 2, 0) / validation.length;

describe('the validation split and early stopping of minimise', () => {
  const split = { epochs: 12, lr: 0.5, batchSize: 3, seed: 4, validationShare: 0.25 };
  it('holdOut splits 0…count−1 into disjoint ascending fit and validation sets, the same for the same seed', () => {
    const a = holdOut(8, 0.25, 4);
    expect(a.validation).toHaveLength(2);
    expect([...a.fit, ...a.validation].sort((u, v) => u - v)).toEqual(y8);
    expect(a.fit).toEqual([...a.fit].sort((u, v) => u - v));
    expect(holdOut(8, 0.25, 4)).toEqual(a);
    expect(holdOut(8, 0, 4)).toEqual({ fit: y8, validation: [] });
    expect(holdOut(3, 0.01, 0).validation).toHaveLength(1);
  });
  it('never batches a held-out example: the batches cover exactly the fit set', () => {
    const { problem: p, batched } = recording();
    minimise(p, split);
    const { fit } = holdOut(8, 0.25, 4);
    expect([...batched].sort((u, v) => u - v)).toEqual(fit);
  });
  it('returns the iterate with the lowest validation loss among the start and every epoch end', () => {
    const { validation } = holdOut(8, 0.25, 4);
    const r = minimise(recording().problem, split);
    // θ_e from plain runs of e epochs (the same split and shuffles), judged by a separate loss.
    const thetas = Array.from({ length: split.epochs + 1 }, (_, e) => (e === 0 ? 10 : minimise(recording().problem, { ...split, epochs: e, safeguard: 'none' }).theta[0]));
    const losses = thetas.map((t) => valLoss(t, validation));
    const argmin = losses.indexOf(Math.min(...losses));
    expect(r.bestEpoch).toBe(argmin);
    expect(r.theta[0]).toBe(thetas[argmin]);
  });
  it('with errors counted, selects by held-out errors first and the held-out loss only among ties', () => {
    // An "error" here: θ < y_i. Errors and loss disagree: θ falls from 10 toward the fit mean, the
    // loss is lowest near the validation mean, the errors are fewest while θ is still above it.
    const { validation } = holdOut(8, 0.25, 4);
    const errors = (t: number) => validation.filter((i) => t < y8[i]).length;
    const { problem: p } = recording();
    const r = minimise({ ...p, batchErrors: (t, idx) => idx.filter((i) => t[0] < y8[i]).length }, split);
    const thetas = Array.from({ length: split.epochs + 1 }, (_, e) => (e === 0 ? 10 : minimise(recording().problem, { ...split, epochs: e, safeguard: 'none' }).theta[0]));
    const key = thetas.map((t) => [errors(t), valLoss(t, validation)] as const);
    const best = key.reduce((b, k, e) => (k[0] < key[b][0] || (k[0] === key[b][0] && k[1] < key[b][1]) ? e : b), 0);
    expect(r.bestEpoch).toBe(best);
    const byLoss = key.reduce((b, k, e) => (k[1] < key[b][1] ? e : b), 0);
    expect(byLoss).not.toBe(best); // the case separates the two rules
  });
  it('with patience P stops after P epochs in a row without a lower criterion', () => {
    const r = minimise({ ...problem([0, 0]), criterion: (t) => Math.abs(t[0]) }, { ...options, patience: 5 });
    expect(r.bestEpoch).toBe(0);
    expect(r.losses).toHaveLength(1 + 5);
    const improving = minimise(problem(), { ...options, epochs: 30, patience: 5 });
    expect(improving.losses).toHaveLength(31);
  });
  it('refuses a validation share outside [0, 1), one that leaves nothing to fit, and a bad patience', () => {
    expect(() => minimise(recording().problem, { ...split, validationShare: 1 })).toThrow(/validationShare/);
    expect(() => minimise({ ...recording().problem, count: 1 }, { ...split, validationShare: 0.5 })).toThrow(/validationShare/);
    expect(() => holdOut(4, -0.1, 0)).toThrow(/validationShare/);
    expect(() => minimise(recording().problem, { ...split, patience: 0 })).toThrow(/patience/);
  });
});

describe('minimise: the rules its main tests leave open', () => {
  it('stopping() copies only the stopping options that are given', () => {
    expect(stopping({})).toStrictEqual({});
    expect(stopping({ patience: 3 })).toStrictEqual({ patience: 3 });
    expect(stopping({ safeguard: 'none', validationShare: 0.25 })).toStrictEqual({ safeguard: 'none', validationShare: 0.25 });
  });
  it('its refusals name the rule that was broken', () => {
    expect(() => minimise(recording().problem, { epochs: 2, lr: 0.1, batchSize: 2, seed: 0, validationShare: 1 })).toThrow(/validationShare must lie in \[0, 1\)/);
    expect(() => minimise(problem(), { ...options, lr: -1 })).toThrow(/lr must be a finite number > 0/);
    expect(() => minimise(problem(), { ...options, lr: 0 })).toThrow(/lr must be a finite number > 0/);
    expect(() => holdOut(0, 0.25, 1)).toThrow(/count must be a positive integer/);
    expect(holdOut(8, 0.5, 3).validation).toEqual([...holdOut(8, 0.5, 3).validation].sort((u, v) => u - v));
  });
  it('with a criterion, a later iterate that lowers it is returned; on ties the earlier iterate stays', () => {
    const improving = minimise({ ...problem(), criterion: (t) => (t[0] - 2) ** 2 + t[1] ** 2 }, { ...options, epochs: 20 });
    expect(improving.bestEpoch).toBeGreaterThan(0);
    const flat = minimise({ ...problem(), criterion: () => 1 }, { ...options, epochs: 20 });
    expect(flat.bestEpoch).toBe(0);
    expect(Array.from(flat.theta)).toEqual([0, 5]);
  });
  it('on a validation split the start is judged by its validation loss, not its training loss', () => {
    // θ₀ at the validation mean: no later iterate has a lower validation loss.
    const split = { epochs: 12, lr: 0.5, batchSize: 3, seed: 4, validationShare: 0.25 };
    const { validation } = holdOut(8, 0.25, 4);
    const start = validation.reduce((a, i) => a + y8[i], 0) / validation.length;
    const { problem: p } = recording();
    const r = minimise({ ...p, theta0: Float64Array.of(start) }, split);
    expect(r.bestEpoch).toBe(0);
    expect(r.theta[0]).toBe(start);
  });
  it('an iterate with fewer held-out errors is returned even when its held-out loss is higher', () => {
    // θ₀ at the validation mean (lowest validation loss) counts one error; past the midpoint between
    // the validation and the fit means, where training takes θ, it counts none.
    const split = { epochs: 12, lr: 0.5, batchSize: 3, seed: 4, validationShare: 0.25 };
    const { fit, validation } = holdOut(8, 0.25, 4);
    const mean = (idx: readonly number[]) => idx.reduce((a, i) => a + y8[i], 0) / idx.length;
    const [mv, mf] = [mean(validation), mean(fit)];
    const errors = (t: number) => ((t - (mv + mf) / 2) * Math.sign(mf - mv) < 0 ? 1 : 0);
    const { problem: p } = recording();
    const r = minimise({ ...p, theta0: Float64Array.of(mv), batchErrors: (t) => errors(t[0]) }, split);
    expect(r.bestEpoch).toBeGreaterThan(0);
    expect(errors(r.theta[0])).toBe(0);
    expect(valLoss(r.theta[0], validation)).toBeGreaterThan(valLoss(mv, validation));
  });
  it("without the safeguard ('none') patience is ignored: every epoch runs", () => {
    expect(minimise(problem(), { ...options, epochs: 10, safeguard: 'none', patience: 2 }).losses).toHaveLength(11);
  });
  it('with one batch per epoch, the first epoch\'s loss is the full-batch loss at θ₀ (each batch\'s loss taken before its step)', () => {
    const r = minimise(recording().problem, { epochs: 3, lr: 0.1, batchSize: 8, seed: 0 });
    expect(r.losses[1]).toBe(r.losses[0]);
  });
  it('parameters that leave float64 stop the run with a DomainError naming the epoch', () => {
    const linear: MinimiseProblem = { theta0: Float64Array.of(-1.5e308), count: 1, batchLossGrad: (t) => ({ loss: t[0], grad: [1] }) };
    expect(() => minimise(linear, { epochs: 3, lr: 1e308, batchSize: 1, seed: 0 })).toThrow(/training diverged at epoch 1/);
    // One parameter leaving float64 is enough, while the other stays finite.
    const twoParams: MinimiseProblem = { theta0: Float64Array.of(-1.5e308, 0), count: 1, batchLossGrad: (t) => ({ loss: t[0], grad: [1, 0] }) };
    expect(() => minimise(twoParams, { epochs: 3, lr: 1e308, batchSize: 1, seed: 0 })).toThrow(/training diverged at epoch 1/);
  });
  it('the batches follow the seed\'s stream: the split (when any) is drawn first, then one shuffle of the fit set per epoch', () => {
    /** Fisher–Yates driven by the seed's stream, as the loop documents it. */
    const shuffle = (a: number[], rng: ReturnType<typeof createRng>) => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    };
    for (const validationShare of [0, 0.25]) {
      const rng = createRng(7);
      let fit = Array.from({ length: 8 }, (_, i) => i);
      if (validationShare > 0) {
        const order = shuffle(fit.slice(), rng);
        fit = order.slice(2).sort((u, v) => u - v);
      }
      const expected = [...shuffle(fit, rng)];
      expected.push(...shuffle(fit, rng));
      const seen: number[] = [];
      const { problem: p } = recording();
      minimise({ ...p, batchLossGrad: (t, idx) => (seen.push(...idx), p.batchLossGrad(t, idx)) }, { epochs: 2, lr: 0.1, batchSize: 1, seed: 7, validationShare, safeguard: 'none' });
      expect(seen).toEqual(expected);
    }
  });
});
