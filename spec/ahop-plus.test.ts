import { describe, expect, it } from 'vitest';
import * as conformanceKind from '../src/conformance/kinds-plus.ts';
import { checkConformance } from '../src/conformance/check.ts';
import { CONFORMANCE_FORMAT, CONFORMANCE_VERSION, REFERENCE_TOLERANCE } from '../src/conformance/format.ts';
import { FLAVORS, KINDS } from '../src/conformance/kinds.ts';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { createRng } from '../src/random/rng.ts';
import * as model from '../src/similarity/adaptive-plus.ts';
import * as initPlus from '../src/train/init-plus.ts';
import * as objectivePlus from '../src/train/objective-plus.ts';
import { samplePairs } from '../src/train/pairs.ts';
import { composed } from '../src/variants/composed.ts';

const { bayesAhopPlusParams, checkAhopPlusParams, identityAhopPlusParams } = model;
const { initAhopPlusFromResiduals } = initPlus;
const { ahopPlusBatchObjective, ahopPlusLayout, ahopPlusLossAndGradient, packAhopPlus, unpackAhopPlus } = objectivePlus;

const id2 = identityAhopPlusParams({ wDis: [0, 1], wDot: [0, 1], betaDis: 1, betaDot: 0 });

describe('A-Hop+ parameters at the boundary', () => {
  it('names the bad field: a negative link weight, a zero-width range, a negative gate width, a short offset', () => {
    expect(() => checkAhopPlusParams({ ...id2, linkWeight: [0, -1] })).toThrow(/params.linkWeight\[1\] must be >= 0/);
    expect(() => checkAhopPlusParams({ ...id2, gateLow: 1, gateHigh: 1 })).toThrow(DomainError);
    expect(() => checkAhopPlusParams({ ...id2, gateWidth: -0.1 })).toThrow(/gateWidth/);
    expect(() => checkAhopPlusParams({ ...id2, offset: [0] })).toThrow(/params.offset/);
    expect(() => checkAhopPlusParams({ ...id2, logScale: [0, NaN] })).toThrow(/params.logScale/);
    expect(() => checkAhopPlusParams(null)).toThrow(ParseError);
  });
  it('the scores refuse a query of the wrong length', () => {
    expect(() => model.ahopPlusScores([[0, 0]], [0], id2)).toThrow(ShapeError);
  });
  it('bayesAhopPlusParams refuses the mixed family and a dimension that does not match the variant', () => {
    const spec = { type: 'mixed', components: [{ weight: 1, variant: { type: 'noisy', sigma: [1] } }] } as const;
    expect(() => bayesAhopPlusParams(spec as never, 1)).toThrow(/not separable/);
    expect(() => bayesAhopPlusParams({ type: 'noisy', sigma: [1, 2] }, 3)).toThrow(/variant.sigma has length 2/);
  });
  it('bayesAhopPlusParams takes a Variant as well as its spec, with the composed link weight ρ√(2π)σ/((1−ρ)(high−low))', () => {
    const v = composed(0.25, [0.5, 2], [1, -1], -2, 2);
    const p = bayesAhopPlusParams(v, 2);
    expect(p).toEqual(bayesAhopPlusParams(v.spec, 2));
    expect(p.linkWeight[1]).toBeCloseTo((0.25 * Math.sqrt(2 * Math.PI) * 2) / (0.75 * 4), 15);
    expect([p.gateLow, p.gateHigh, p.gateWidth]).toEqual([-2, 2, 0]);
  });
});

describe('initAhopPlusFromResiduals', () => {
  it('the robust start takes the median residual as offset and 1.4826·MAD as scale', () => {
    // Residuals of dimension 0: 1, 2, 3, 4, 100 → median 3, |r − 3| = 2, 1, 0, 1, 97 → MAD 1.
    // Dimension 1: all residuals 0.5 → MAD 0 and RMS 0 → σ = 1; dimension 2: residuals 0, 0, 0, 2, 2 → MAD 0, RMS √(8/5).
    const r = initPlus.residualLocationScale([[0, 0, 0], [10, 0, 0]], {
      queries: [[1, 0.5, 0], [12, 0.5, 0], [3, 0.5, 0], [14, 0.5, 2], [100, 0.5, 2]],
      targets: [0, 1, 0, 1, 0],
    });
    expect(r.offset).toEqual([3, 0.5, 0]);
    expect(r.sigma).toEqual([initPlus.MAD_TO_SIGMA, 1, Math.sqrt(8 / 5)]);
  });
  it('recovers the bias, σ, ρ and occluder range of a composed variant from 4000 training pairs', () => {
    const rng = createRng(3);
    const memories = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const sigma = [0.2, 0.5, 0.3, 0.8];
    const bias = [0.5, -1, 0, 1.5];
    const v = composed(0.3, sigma, bias, -3, 3);
    const p = initAhopPlusFromResiduals(memories, samplePairs(memories, v, 4000, rng));
    p.offset.forEach((b, i) => expect(Math.abs(b - bias[i])).toBeLessThan(0.05));
    p.logScale.forEach((l, i) => expect(Math.abs(Math.exp(l) / sigma[i] - 1)).toBeLessThan(0.05));
    expect(Math.abs(p.gateLow + 3)).toBeLessThan(0.05);
    expect(Math.abs(p.gateHigh - 3)).toBeLessThan(0.05);
    // λ_i = ρ√(2π)σ_i/((1 − ρ)(high − low)) → ρ/(1 − ρ) = λ_i (high − low)/(√(2π)σ_i).
    const odds = (p.linkWeight[0] * (p.gateHigh - p.gateLow)) / (Math.sqrt(2 * Math.PI) * Math.exp(p.logScale[0]));
    expect(Math.abs(odds / (1 + odds) - 0.3)).toBeLessThan(0.02);
  });
  it('under occlusion of 70% keeps the more likely EM fit, which finds ρ and the range (MNIST-like [0, 1] values)', () => {
    const rng = createRng(5);
    const memories = Array.from({ length: 8 }, () => Array.from({ length: 12 }, () => (rng.uniform() < 0.6 ? 0 : rng.uniform())));
    const bias = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 0.175 : -0.175));
    const pairs = samplePairs(memories, composed(0.7, new Array<number>(12).fill(0.175), bias, 0, 1), 512, rng);
    const fits = initPlus.residualEmFits(memories, pairs);
    const best = fits.reduce((a, f) => (f.logLikelihood > a.logLikelihood ? f : a));
    expect(best.start).toBe('memory-range');
    expect(Math.abs(best.rho - 0.7)).toBeLessThan(0.12);
    expect(Math.abs(best.low)).toBeLessThan(0.05);
    expect(Math.abs(best.high - 1)).toBeLessThan(0.05);
    const p = initAhopPlusFromResiduals(memories, pairs);
    expect(p.offset).toEqual(best.offset);
    expect([p.gateLow, p.gateHigh]).toEqual([best.low, best.high]);
  });
  it('… and the robust start alone (version 4\'s initialisation) is caught: it stays near "nothing occluded"', () => {
    const rng = createRng(5);
    const memories = Array.from({ length: 8 }, () => Array.from({ length: 12 }, () => (rng.uniform() < 0.6 ? 0 : rng.uniform())));
    const bias = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 0.175 : -0.175));
    const pairs = samplePairs(memories, composed(0.7, new Array<number>(12).fill(0.175), bias, 0, 1), 512, rng);
    const robust = initPlus.residualEmFits(memories, pairs).find((f) => f.start === 'robust')!;
    expect(Math.abs(robust.rho - 0.7) > 0.12 || Math.abs(robust.high - 1) > 0.05).toBe(true);
  });
  it('the median/MAD start alone is biased under heavy occlusion (why EM refines it)', () => {
    const rng = createRng(3);
    const memories = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const pairs = samplePairs(memories, composed(0.3, [0.2, 0.5, 0.3, 0.8], [0.5, -1, 0, 1.5], -3, 3), 4000, rng);
    const start = initPlus.residualLocationScale(memories, pairs);
    expect(start.sigma[0] / 0.2 - 1).toBeGreaterThan(0.2);
  });
  it('keeps the link on and trainable (λ > 0, τ > 0) without occlusion, and a constant residual gets the floor σ = 10⁻⁶(high − low)', () => {
    const p = initAhopPlusFromResiduals([[0, 0]], { queries: [[0.1, 5], [-0.2, 5], [0.3, 5]], targets: [0, 0, 0] });
    expect(p.linkWeight.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
    expect(p.gateWidth).toBeGreaterThan(0);
    expect(Math.exp(p.logScale[1])).toBeCloseTo(1e-6 * (p.gateHigh - p.gateLow), 18);
    expect(() => ahopPlusLayout(p)).not.toThrow();
  });
  it('refuses a target out of range, naming it', () => {
    expect(() => initAhopPlusFromResiduals([[0]], { queries: [[1]], targets: [3] })).toThrow(/pairs.targets\[0\]/);
  });
});

describe('the flat objective for training', () => {
  const t = { ...id2, linkWeight: [0.5, 2], gateWidth: 0.3, offset: [0.1, -0.2] };
  const memories = [[0, 1], [1, -1], [0.5, 0.5]];
  const queries = [[0.2, 0.9], [1.1, -0.5], [3, 0]];
  const targets = [0, 1, 2];
  it('pack and unpack invert each other', () => {
    const L = ahopPlusLayout(t);
    expect(L.size).toBe(2 * 3 + 3 + 2 * 2 + 2);
    const back = unpackAhopPlus(packAhopPlus(t, L), L);
    expect(back.linkWeight[1]).toBeCloseTo(2, 15);
    expect(back.gateWidth).toBeCloseTo(0.3, 15);
    expect(back.offset).toEqual(t.offset);
  });
  it('the batch loss is the mean of the per-query losses, and its gradient the mean of theirs mapped to θ (λ∂L/∂λ for log λ)', () => {
    const L = ahopPlusLayout(t);
    const r = ahopPlusBatchObjective(packAhopPlus(t, L), memories, { queries, targets }, L);
    const per = queries.map((x, j) => ahopPlusLossAndGradient(memories, x, targets[j], t));
    expect(r.loss).toBeCloseTo(per.reduce((a, p) => a + p.loss, 0) / 3, 14);
    expect(r.grad[0]).toBeCloseTo(per.reduce((a, p) => a + p.grad.offset[0], 0) / 3, 14);
    expect(r.grad[2 * 2 + 1]).toBeCloseTo((2 * per.reduce((a, p) => a + p.grad.linkWeight[1], 0)) / 3, 14);
  });
  it('the batch gradient matches central differences of the batch loss in every coordinate of θ (log λ, log τ included)', () => {
    const L = ahopPlusLayout(t);
    const theta = packAhopPlus(t, L);
    const f = (th: Float64Array) => ahopPlusBatchObjective(th, memories, { queries, targets }, L).loss;
    const g = ahopPlusBatchObjective(theta, memories, { queries, targets }, L).grad;
    theta.forEach((v, j) => {
      const h = 1e-6 * (1 + Math.abs(v));
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[j] += h;
      minus[j] -= h;
      expect(Math.abs((f(plus) - f(minus)) / (2 * h) - g[j]), `θ[${j}]`).toBeLessThan(1e-5 * (1 + Math.abs(g[j])));
    });
  });
  it('every θ is a valid gate range: high = low + e^ω stays above low however far training moves ω', () => {
    const L = ahopPlusLayout({ ...t, linkWeight: [1, 1], gateWidth: 0.1 }, ['gate']);
    for (const omega of [-20, -3, 0, 3]) {
      const p = unpackAhopPlus(Float64Array.from([0.5, omega, Math.log(0.1)]), L);
      expect(p.gateHigh).toBeGreaterThan(p.gateLow);
      expect(() => checkAhopPlusParams(p)).not.toThrow();
    }
  });
  it('frozen groups keep the template values and do not appear in θ', () => {
    const L = ahopPlusLayout({ ...t, linkWeight: [0, 0] }, ['offset', 'logScale', 'wDis', 'wDot', 'betaDis', 'betaDot']);
    expect(L.size).toBe(4 * 2 + 2);
    expect(unpackAhopPlus(packAhopPlus({ ...t, linkWeight: [0, 0] }, L), L).linkWeight).toEqual([0, 0]);
    expect(() => ahopPlusLayout({ ...t, linkWeight: [0, 1] })).toThrow(/linkWeight must be > 0/);
  });
});

describe('the ahop_plus conformance kind', () => {
  const kind = KINDS.get('ahop_plus')!;
  it('is registered', () => expect(kind).toBe(conformanceKind.ahopPlusKind));
  it('float64 and 64-digit results agree to a tenth of the reference tolerance on drawn cases of every flavour', () => {
    const rng = createRng(5);
    for (const flavor of FLAVORS) {
      for (let i = 0; i < 5; i++) {
        const c = kind.parse(kind.generate(rng, flavor));
        const check = checkConformance(
          JSON.stringify({
            format: CONFORMANCE_FORMAT,
            version: CONFORMANCE_VERSION,
            generator: 'test',
            tolerance: { rel: REFERENCE_TOLERANCE.rel / 10, abs: REFERENCE_TOLERANCE.abs / 10 },
            cases: [
              {
                kind: 'ahop_plus',
                memories: (c as { memories: number[][] }).memories,
                query: (c as { query: number[] }).query,
                params_plus: snake((c as { params: model.AhopPlusParams }).params),
                out: kind.exact(c),
              },
            ],
          }),
        );
        expect(check.failures, flavor).toEqual([]);
      }
    }
  });
  it('a wrong output is caught (an energy off by 1e-6)', () => {
    const c = kind.parse(kind.generate(createRng(9), 'random'));
    const out = kind.exact(c) as { energy: number };
    const r = checkConformance(
      JSON.stringify({
        format: CONFORMANCE_FORMAT,
        version: CONFORMANCE_VERSION,
        generator: 'test',
        tolerance: REFERENCE_TOLERANCE,
        cases: [{ kind: 'ahop_plus', memories: (c as { memories: number[][] }).memories, query: (c as { query: number[] }).query, params_plus: snake((c as { params: model.AhopPlusParams }).params), out: { ...out, energy: out.energy + 1e-6 } }],
      }),
    );
    expect(r.failures.map((f) => f.field)).toEqual(['out.energy']);
  });
  it('names a missing or unknown params_plus field', () => {
    const raw = kind.generate(createRng(1), 'random') as { params_plus: Record<string, unknown> };
    const { gate_width: _omit, ...missing } = raw.params_plus;
    expect(() => kind.parse({ ...raw, params_plus: missing })).toThrow(/params_plus is missing the field "gate_width"/);
    expect(() => kind.parse({ ...raw, params_plus: { ...raw.params_plus, extra: 1 } })).toThrow(/unknown field\(s\) extra/);
    expect(() => kind.parse({ ...raw, params_plus: { ...raw.params_plus, link_weight: (raw.params_plus.link_weight as number[]).map(() => -1) } })).toThrow(/params_plus.linkWeight\[0\]/);
  });
});

function snake(p: model.AhopPlusParams) {
  return {
    offset: p.offset,
    log_scale: p.logScale,
    link_weight: p.linkWeight,
    gate_low: p.gateLow,
    gate_high: p.gateHigh,
    gate_width: p.gateWidth,
    w_dis: p.wDis,
    w_dot: p.wDot,
    beta_dis: p.betaDis,
    beta_dot: p.betaDot,
  };
}
