import { erf } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { DomainError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import type { EmProblem, EmState } from '../src/train/init-plus.ts';
import * as initPlus from '../src/train/init-plus.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { composed } from '../src/variants/composed.ts';

const { EM_STEPS, MAD_TO_SIGMA, emStep, likeliestRange, plugInParams, residualEmFits, residualEmStarts, residualLocationScale } = initPlus;

/** Σ_ni log((1 − ρ) N(r_ni; b_i, σ_i²) + ρ 1[low ≤ x_ni ≤ high]/(high − low)), written with densities (no log-sum-exp). */
function readableLogLikelihood(res: readonly (readonly number[])[], queries: readonly (readonly number[])[], f: EmState): number {
  let total = 0;
  res.forEach((r, i) =>
    r.forEach((v, n) => {
      const x = queries[n][i];
      const keep = ((1 - f.rho) * Math.exp(-0.5 * ((v - f.offset[i]) / f.sigma[i]) ** 2)) / (Math.sqrt(2 * Math.PI) * f.sigma[i]);
      const occluded = x >= f.low && x <= f.high ? f.rho / (f.high - f.low) : 0;
      total += Math.log(keep + occluded);
    }),
  );
  return total;
}

/** The responsibilities γ_ni of one E step, written from their definition (1 outside [low, high]). */
function readableGamma(em: EmProblem, f: EmState): number[][] {
  return em.res.map((r, i) =>
    r.map((v, n) => {
      const x = em.queries[n][i];
      if (x < f.low || x > f.high) return 1;
      const keep = ((1 - f.rho) * Math.exp(-0.5 * ((v - f.offset[i]) / f.sigma[i]) ** 2)) / (Math.sqrt(2 * Math.PI) * f.sigma[i]);
      return keep / (keep + f.rho / (f.high - f.low));
    }),
  );
}

/** P(|z| > 3) for a standard normal, from mathjs's erf (the module keeps its own constant). */
const tail3 = 1 - erf(3 / Math.SQRT2);

/** A small composed-variant training set: 3 memories of dimension 2, 12 pairs, 40 % occluded on [−2, 2]. */
function smallComposed() {
  const rng = createRng(7);
  const memories = Array.from({ length: 3 }, () => Array.from({ length: 2 }, () => rng.normal()));
  return { memories, pairs: samplePairs(memories, composed(0.4, [0.3, 0.3], [0, 0], -2, 2), 12, rng) };
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const inside = (xs: readonly number[], lo: number, hi: number) => xs.filter((v) => v >= lo && v <= hi);

describe('the robust start (median and MAD of the residuals)', () => {
  it('the median of an even number of residuals is the mean of the middle two', () => {
    // Residuals 1, 2, 3, 10 → median 2.5; |r − 2.5| = 1.5, 0.5, 0.5, 7.5 → MAD 1.
    const r = residualLocationScale([[0]], { queries: [[1], [2], [3], [10]], targets: zeros(4) });
    expect(r.offset).toEqual([2.5]);
    expect(r.sigma).toEqual([MAD_TO_SIGMA]);
  });
  it('names the bad field of the pairs: not an object, targets not an array, targets of the wrong length', () => {
    const memories = [[0], [1]];
    expect(() => residualEmFits(memories, null as never)).toThrow(ShapeError);
    expect(() => residualEmFits(memories, null as never)).toThrow(/pairs must be an object/);
    expect(() => residualEmFits(memories, 'pairs' as never)).toThrow(/pairs must be an object/);
    expect(() => residualEmFits(memories, { queries: [[0], [1]] } as never)).toThrow(/pairs.targets must be an array of length 2/);
    expect(() => residualEmFits(memories, { queries: [[0], [1]], targets: [0] })).toThrow(/pairs.targets must be an array of length 2/);
    expect(() => residualLocationScale(memories, { queries: [[0], [1]], targets: [0, 1, 1] })).toThrow(ShapeError);
  });
});

describe('the two EM starts', () => {
  it("the robust start's ρ is the share of residuals beyond 3σ less the Gaussian tail, rescaled: (share − P(|z| > 3)) / (1 − P(|z| > 3))", () => {
    // Residuals 0, 1, 2, 3, 4, 6, 100: median 3, |r − 3| = 3, 2, 1, 0, 1, 3, 97 → MAD 2, σ = 2·1.4826;
    // only 100 lies beyond 3σ ≈ 8.9 (dev 3 lies between 3/σ and 3σ, so a scale used the wrong way round counts it too).
    const queries = [0, 1, 2, 3, 4, 6, 100].map((v) => [v]);
    const { starts, problem } = residualEmStarts([[0]], { queries, targets: zeros(7) });
    expect(starts).toHaveLength(1); // every memory entry is equal: no memory-range start
    const robust = starts[0].state;
    expect(starts[0].start).toBe('robust');
    expect(robust.offset).toEqual([3]);
    expect(robust.sigma).toEqual([2 * MAD_TO_SIGMA]);
    expect(robust.rho).toBeCloseTo((1 / 7 - tail3) / (1 - tail3), 12);
    expect([robust.low, robust.high]).toEqual([0, 100]);
    expect(problem.minSigma).toBeCloseTo(1e-6 * 100, 18);
    expect(problem.res).toEqual([[0, 1, 2, 3, 4, 6, 100]]);
  });
  it('a residual exactly 3σ from b is not an outlier (the rule is |r − b| > 3σ)', () => {
    // Residuals −5, −1, 0, 1, 3σ: median 0, |r| = 5, 1, 0, 1, 3σ → MAD 1, σ = 1.4826; only −5 is beyond 3σ.
    const queries = [-5, -1, 0, 1, 3 * MAD_TO_SIGMA].map((v) => [v]);
    const { starts } = residualEmStarts([[0]], { queries, targets: zeros(5) });
    expect(starts[0].state.sigma).toEqual([MAD_TO_SIGMA]);
    expect(starts[0].state.rho).toBeCloseTo((1 / 5 - tail3) / (1 - tail3), 12);
  });
  it('ρ is clipped to [1/(M + 2), 1 − 1/(M + 2)], M = n·d', () => {
    const { problem } = residualEmStarts([[0, 0]], { queries: [[0, 1], [2, 3], [4, 5]], targets: [0, 0, 0] });
    expect(problem.clip(0)).toBe(1 / 8);
    expect(problem.clip(1)).toBe(1 - 1 / 8);
    expect(problem.clip(0.3)).toBe(0.3);
  });
  it('the memory-range start keeps b and σ, sets ρ = ½ and spans the memory entries', () => {
    const { starts } = residualEmStarts([[0, -1], [2, 0.5]], { queries: [[0.1, -0.9], [2.2, 0.4], [5, 5]], targets: [0, 1, 0] });
    expect(starts.map((s) => s.start)).toEqual(['robust', 'memory-range']);
    const [robust, memory] = starts.map((s) => s.state);
    expect(memory).toEqual({ offset: robust.offset, sigma: robust.sigma, rho: 0.5, low: -1, high: 2 });
    expect([robust.low, robust.high]).toEqual([-0.9, 5]);
  });
  it('query entries all equal: the range is that value ± ½', () => {
    const { starts } = residualEmStarts([[0, 1]], { queries: [[2, 2], [2, 2], [2, 2]], targets: [0, 0, 0] });
    expect([starts[0].state.low, starts[0].state.high]).toEqual([1.5, 2.5]);
    expect([starts[1].state.low, starts[1].state.high]).toEqual([0, 1]);
  });
  it('refuses query entries whose span overflows float64, and a residual that overflows', () => {
    expect(() => residualEmStarts([[0]], { queries: [[-1e308], [1e308]], targets: [0, 0] })).toThrow(/high − low overflows/);
    expect(() => residualEmStarts([[0]], { queries: [[-1e308], [1e308]], targets: [0, 0] })).toThrow(DomainError);
    expect(() => residualEmStarts([[-1e308]], { queries: [[1e308]], targets: [0] })).toThrow(/pairs.queries\[0\]\[0\] − memories\[0\]\[0\] overflows/);
  });
});

describe('one EM step', () => {
  it('b, σ and ρ are the M step of the responsibilities γ written from their definition', () => {
    const { memories, pairs } = smallComposed();
    const { problem, starts } = residualEmStarts(memories, pairs);
    for (const { state } of starts) {
      const gamma = readableGamma(problem, state);
      const next = emStep(problem, state);
      const M = problem.res.length * problem.res[0].length;
      gamma.forEach((g, i) => {
        const total = g.reduce((a, v) => a + v, 0);
        const b = g.reduce((a, v, n) => a + v * problem.res[i][n], 0) / total;
        const s = Math.sqrt(g.reduce((a, v, n) => a + v * (problem.res[i][n] - b) ** 2, 0) / total);
        expect(next.offset[i]).toBeCloseTo(b, 12);
        expect(next.sigma[i]).toBeCloseTo(Math.max(problem.minSigma, s), 12);
      });
      expect(next.rho).toBeCloseTo(problem.clip(1 - gamma.flat().reduce((a, v) => a + v, 0) / M), 12);
      // The state passed in is not changed.
      expect(state.offset).toEqual(residualLocationScale(memories, pairs).offset);
    }
  });
  it('a single entry more likely occluded than kept leaves the range where it was (it spans one value)', () => {
    const queries = [0.01, -0.02, 0.015, 0, 0.03, -0.01, 0.9].map((v) => [v]);
    const { problem, starts } = residualEmStarts([[0]], { queries, targets: zeros(7) });
    const start = starts[0].state;
    expect(readableGamma(problem, start).flat().filter((g) => g < 0.5)).toHaveLength(1);
    const next = emStep(problem, start);
    expect([next.low, next.high]).toEqual([-0.02, 0.9]);
    const fit = residualEmFits([[0]], { queries, targets: zeros(7) })[0];
    expect(fit.high).toBeGreaterThan(fit.low);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });
  it('two clear occluders among tight kept values: the range becomes exactly theirs', () => {
    const queries = [0.01, -0.02, 0.015, 0, 0.03, -0.01, 0.5, 1].map((v) => [v]);
    const [fit] = residualEmFits([[0]], { queries, targets: zeros(8) });
    expect([fit.low, fit.high]).toEqual([0.5, 1]);
    expect(fit.rho).toBeCloseTo(2 / 8, 3);
  });
  it('a dimension whose every entry is taken as occluded (γ = 0) keeps its b and σ, and ρ stops at 1 − 1/(M + 2)', () => {
    const queries = [[0.1], [0.2], [0.3]];
    const { problem } = residualEmStarts([[0]], { queries, targets: [0, 0, 0] });
    // σ tiny and b far from every residual: each Gaussian density underflows to 0.
    const state = { offset: [50], sigma: [1e-3], rho: 0.5, low: 0, high: 1 };
    expect(readableGamma(problem, state).flat()).toEqual([0, 0, 0]);
    const next = emStep(problem, state);
    expect(next.offset).toEqual([50]);
    expect(next.sigma).toEqual([1e-3]);
    expect(next.rho).toBe(1 - 1 / 5);
  });
});

describe('the EM fits', () => {
  it('each fit is EM_STEPS EM steps from its start', () => {
    const { memories, pairs } = smallComposed();
    const { problem, starts } = residualEmStarts(memories, pairs);
    const fits = residualEmFits(memories, pairs);
    starts.forEach(({ start, state }, k) => {
      let f = state;
      for (let step = 0; step < EM_STEPS; step++) f = emStep(problem, f);
      const { logLikelihood, start: name, ...fit } = fits[k];
      expect(name).toBe(start);
      expect(fit).toEqual(f);
    });
  });
  it('… and one step more is caught (the fits are not yet fixed points after EM_STEPS steps)', () => {
    const { memories, pairs } = smallComposed();
    const { problem } = residualEmStarts(memories, pairs);
    const fit = residualEmFits(memories, pairs)[0];
    const { logLikelihood, start, ...state } = fit;
    expect(emStep(problem, state)).not.toEqual(state);
  });
  it("each fit's log-likelihood is the composed likelihood of the training residuals at its parameters (range ends included)", () => {
    const cases = [smallComposed(), { memories: [[0]], pairs: { queries: [0.01, -0.02, 0.015, 0, 0.03, -0.01, 0.5, 1].map((v) => [v]), targets: zeros(8) } }];
    for (const { memories, pairs } of cases) {
      const { problem } = residualEmStarts(memories, pairs);
      for (const fit of residualEmFits(memories, pairs)) {
        // The ends are query entries, so the inclusive bounds are exercised.
        const entries = pairs.queries.flat();
        expect(entries).toContain(fit.low);
        expect(entries).toContain(fit.high);
        const readable = readableLogLikelihood(problem.res, problem.queries, fit);
        expect(Math.abs(fit.logLikelihood - readable)).toBeLessThan(1e-10 * (1 + Math.abs(readable)));
      }
    }
  });
  it('without occlusion ρ sits at its floor 1/(M + 2) and the range stays the span of the queries', () => {
    const fits = residualEmFits([[0, 0]], { queries: [[0.1, 5], [-0.2, 5], [0.3, 5]], targets: [0, 0, 0] });
    expect(fits).toHaveLength(1);
    expect(fits[0].rho).toBe(1 / 8);
    expect([fits[0].low, fits[0].high]).toEqual([-0.2, 5]);
  });
  it('residuals too large for their squares (memories at ±1e200) are refused, not returned as an infinite σ', () => {
    expect(() => residualEmFits([[1e200], [-1e200]], { queries: [[0], [1], [0.5], [0.2]], targets: [0, 1, 0, 1] })).toThrow(DomainError);
    expect(() => initPlus.initAhopPlusFromResiduals([[1e200], [-1e200]], { queries: [[0], [1], [0.5], [0.2]], targets: [0, 1, 0, 1] })).toThrow(/too large for float64/);
  });
});

describe('the likeliest range', () => {
  // One dimension: kept entries near 0 (residual = x) and near ±1.5 (memories at ±1.5, residual ≈ 0),
  // occluders uniform on [−1, 1] with residuals against a memory at 0 or ±1.5. More than
  // RANGE_CANDIDATES distinct entries, negative and positive.
  const rng = createRng(11);
  const entries: { x: number; r: number }[] = [];
  for (let n = 0; n < 20; n++) {
    const x = 0.1 * rng.normal();
    entries.push({ x, r: x });
  }
  for (const xi of [-1.5, 1.5]) {
    for (let n = 0; n < 10; n++) {
      const r = 0.1 * rng.normal();
      entries.push({ x: xi + r, r });
    }
  }
  for (let n = 0; n < 60; n++) {
    const x = 2 * rng.uniform() - 1;
    entries.push({ x, r: x - [0, -1.5, 1.5][rng.int(3)] });
  }
  const res = [entries.map((e) => e.r)];
  const queries = entries.map((e) => [e.x]);
  const [offset, sigma, rho] = [[0], [0.1], 0.6];
  const L = (low: number, high: number) => (high > low ? readableLogLikelihood(res, queries, { offset, sigma, rho, low, high }) : -Infinity);
  const xs = [...new Set(entries.map((e) => e.x))].sort((a, b) => a - b);
  const occluders = entries.slice(40).map((e) => e.x);
  const [occluderLow, occluderHigh] = [Math.min(...occluders), Math.max(...occluders)];

  /** Each end attains the maximum of L over its candidates (the other end fixed), and the range lies in [occLow, occHigh]. */
  function expectLikeliest(occLow: number, occHigh: number) {
    const [low, high] = likeliestRange(res, queries, offset, sigma, rho, occLow, occHigh);
    expect(low).toBeGreaterThanOrEqual(occLow);
    expect(high).toBeLessThanOrEqual(occHigh);
    const candidates = inside(xs, occLow, occHigh);
    const tol = (v: number) => 1e-9 * (1 + Math.abs(v));
    const bestHigh = Math.max(...[occHigh, ...candidates.slice(-48)].map((c) => L(occLow, c)));
    expect(L(occLow, high)).toBeGreaterThanOrEqual(bestHigh - tol(bestHigh));
    const bestLow = Math.max(...[occLow, ...candidates.slice(0, 48)].map((c) => L(c, high)));
    expect(L(low, high)).toBeGreaterThanOrEqual(bestLow - tol(bestLow));
    return [low, high];
  }

  it('from the span of every entry, both ends move in past the kept entries near ±1.5 to the occluders', () => {
    expect(inside(xs, xs[0], xs.at(-1)!).length).toBeGreaterThan(48);
    expect(expectLikeliest(xs[0], xs.at(-1)!)).toEqual([occluderLow, occluderHigh]);
  });
  it('an end inside the occluders stays inside: entries below occLow are not candidates', () => {
    expectLikeliest(-0.9, 0.9);
    expectLikeliest(xs[5], 0.5);
  });
  it('with few entries every one is a candidate, and an empty range (high = low) is never chosen', () => {
    const x = [0, 0.01, -0.01, 0.02, 0.5, 1];
    expect(likeliestRange([x], x.map((v) => [v]), [0], [0.01], 1 / 3, 0.5, 1)).toEqual([0.5, 1]);
  });
});

describe('the plug-in parameters of a fit', () => {
  it('offset b, log σ, λ_i = ρ√(2π)σ_i/((1 − ρ)(high − low)), gate [low, high] with τ = (high − low)/100, w = e_d, β = (1, 0)', () => {
    const p = plugInParams({ offset: [0, 1, 2], sigma: [1, 2, 4], rho: 0.2, low: -1, high: 3 });
    expect(p.offset).toEqual([0, 1, 2]);
    expect(p.logScale).toEqual([0, Math.log(2), Math.log(4)]);
    [1, 2, 4].forEach((s, i) => expect(p.linkWeight[i]).toBeCloseTo((0.2 * Math.sqrt(2 * Math.PI) * s) / (0.8 * 4), 14));
    expect([p.gateLow, p.gateHigh]).toEqual([-1, 3]);
    expect(p.gateWidth).toBeCloseTo(0.04, 15);
    expect(p.wDis).toEqual([0, 0, 1]);
    expect(p.wDot).toEqual([0, 0, 1]);
    expect([p.betaDis, p.betaDot]).toEqual([1, 0]);
  });
});
