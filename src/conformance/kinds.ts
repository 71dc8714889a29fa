/**
 * Case kinds of the conformance contract. Each kind knows how to read its inputs (with the
 * boundary checks), compute its outputs with the float64 reference, compute them a second way in
 * 64-digit arithmetic, and draw random or edge-case inputs.
 */
import { z } from 'zod';
import { posterior } from '../bayes/posterior.ts';
import { ParseError } from '../errors.ts';
import { retrieve } from '../hopfield/ahop.ts';
import type { Rng } from '../random/rng.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import type { Base } from '../similarity/base.ts';
import { footprint } from '../similarity/footprint.ts';
import { lossAndGradient } from '../train/loss.ts';
import { checkIndex, checkMatrix, checkVector } from '../validate.ts';
import { matrix, positiveVector, vector } from '../schema/fields.ts';
import { ParamsJsonSchema } from '../hopfield/model-json.ts';
import { checkVariantDim, variantFromSpec, VariantSpecSchema } from '../variants/spec.ts';
import type { VariantSpec } from '../variants/variant.ts';
import {
  footprintExact,
  gradientExact,
  logLikelihoodExact,
  posteriorExact,
  similarityExact,
  toNumber,
  type Big,
} from './exact.ts';
import { caseSchema, type Out } from './format.ts';
import { mhopKind, sparseKind } from './kinds-baselines.ts';
import { layerKind, layerVjpKind } from './kinds-layer.ts';
import { ahopPlusKind } from './kinds-plus.ts';

export const FLAVORS = ['random', 'ties', 'zeros', 'd1', 'n1', 'large'] as const;
export type Flavor = (typeof FLAVORS)[number];

export interface CaseKind<I> {
  readonly kind: string;
  /** Fields of `out` compared exactly (integers). */
  readonly integerFields: readonly string[];
  /** The case's fields (kind, inputs, out), strict: an unknown input is refused. Lengths are checked by parse. */
  readonly schema?: z.ZodType;
  parse(c: Readonly<Record<string, unknown>>): I;
  compute(inputs: I): Out;
  exact(inputs: I): Out;
  generate(rng: Rng, flavor: Flavor): Record<string, unknown>;
}

// ---------- input drawing ----------

interface Sizes {
  d: number;
  n: number;
  scale: number;
}

function sizes(rng: Rng, flavor: Flavor): Sizes {
  return {
    d: flavor === 'd1' ? 1 : 1 + rng.int(10),
    n: flavor === 'n1' ? 1 : 1 + rng.int(6),
    scale: flavor === 'large' ? 1e3 : 1,
  };
}

const TIE_VALUES = [-1, -0.5, 0, 0.5, 1];

function value(rng: Rng, flavor: Flavor, scale: number): number {
  if (flavor === 'ties') return TIE_VALUES[rng.int(TIE_VALUES.length)];
  if (flavor === 'zeros' && rng.uniform() < 0.5) return 0;
  return scale * (2 * rng.uniform() - 1);
}

function vec(rng: Rng, flavor: Flavor, d: number, scale: number): number[] {
  return Array.from({ length: d }, () => value(rng, flavor, scale));
}

function drawParams(rng: Rng, flavor: Flavor, d: number) {
  const w = () => Array.from({ length: d }, () => (flavor === 'zeros' && rng.uniform() < 0.5 ? 0 : rng.normal()));
  return { w_dis: w(), w_dot: w(), beta_dis: 4 * rng.uniform() - 2, beta_dot: 4 * rng.uniform() - 2 };
}

function drawVariant(rng: Rng, d: number, scale: number, depth = 0): VariantSpec {
  const types = depth === 0 ? ['noisy', 'masked', 'biased', 'composed', 'mixed'] : ['noisy', 'masked', 'biased', 'composed'];
  const sig = () => scale * (0.1 + 1.9 * rng.uniform());
  const rho = () => 0.9 * rng.uniform();
  const range = { low: -1.5 * scale, high: 1.5 * scale };
  switch (types[rng.int(types.length)]) {
    case 'noisy':
      return { type: 'noisy', sigma: Array.from({ length: d }, sig) };
    case 'masked':
      return { type: 'masked', rho: rho(), sigma: sig(), ...range };
    case 'biased':
      return { type: 'biased', bias: Array.from({ length: d }, () => 0.5 * scale * rng.normal()), sigma: sig() };
    case 'composed':
      return {
        type: 'composed',
        rho: rho(),
        sigma: Array.from({ length: d }, sig),
        bias: Array.from({ length: d }, () => 0.5 * scale * rng.normal()),
        ...range,
      };
    default: {
      const k = 2 + rng.int(2);
      const raw = Array.from({ length: k }, () => 0.1 + rng.uniform());
      const total = raw.reduce((a, b) => a + b, 0);
      // The last weight takes up the rounding so the weights sum to 1 within 1e-15.
      const weights = raw.map((v) => v / total);
      weights[k - 1] = 1 - weights.slice(0, -1).reduce((a, b) => a + b, 0);
      return { type: 'mixed', components: weights.map((weight) => ({ weight, variant: drawVariant(rng, d, scale, 1) })) };
    }
  }
}

// ---------- input reading ----------

function field(c: Readonly<Record<string, unknown>>, key: string): unknown {
  if (!(key in c)) throw new ParseError(`missing input "${key}"`);
  return c[key];
}

function readBase(c: Readonly<Record<string, unknown>>): Base {
  const b = field(c, 'base');
  if (b !== 'dis' && b !== 'dot') throw new ParseError(`"base" must be "dis" or "dot", got ${JSON.stringify(b)}`);
  return b;
}

function readParams(c: Readonly<Record<string, unknown>>, d: number): AhopParams {
  const p = field(c, 'params');
  if (typeof p !== 'object' || p === null) throw new ParseError('"params" must be an object');
  const r = p as Record<string, unknown>;
  return checkParams({ wDis: r.w_dis, wDot: r.w_dot, betaDis: r.beta_dis, betaDot: r.beta_dot }, d, 'params');
}

function readProblem(c: Readonly<Record<string, unknown>>) {
  const memories = checkMatrix('memories', field(c, 'memories'));
  const query = checkVector('query', field(c, 'query'), memories[0].length);
  return { memories, query };
}

const nums = (v: readonly Big[]): number[] => v.map(toNumber);

// ---------- the kinds ----------

const footprintKind: CaseKind<{ base: Base; xi: number[]; x: number[] }> = {
  kind: 'footprint',
  integerFields: [],
  schema: caseSchema('footprint', { base: z.enum(['dis', 'dot']), xi: vector(), x: vector() }, 'out: ftpt, the cumulative sums of the base similarities sorted descending, length d'),
  parse(c) {
    const xi = checkVector('xi', field(c, 'xi'));
    return { base: readBase(c), xi, x: checkVector('x', field(c, 'x'), xi.length) };
  },
  compute: (i) => footprint(i.base, i.xi, i.x),
  exact: (i) => nums(footprintExact(i.base, i.xi, i.x)),
  generate(rng, flavor) {
    const { d, scale } = sizes(rng, flavor);
    return { base: rng.uniform() < 0.5 ? 'dis' : 'dot', xi: vec(rng, flavor, d, scale), x: vec(rng, flavor, d, scale) };
  },
};

type Problem = { memories: number[][]; query: number[]; params: AhopParams };

const similarityKind: CaseKind<Problem> = {
  kind: 'similarity',
  integerFields: [],
  schema: caseSchema('similarity', { memories: matrix(), query: vector(), params: ParamsJsonSchema }, 'out: { scores [N], probs [N], retrieved [d], energy }'),
  parse(c) {
    const p = readProblem(c);
    return { ...p, params: readParams(c, p.query.length) };
  },
  compute(i) {
    const r = retrieve(i.memories, i.query, i.params);
    return { scores: r.scores, probs: r.probs, retrieved: r.retrieved, energy: r.energy };
  },
  exact(i) {
    const r = similarityExact(i.memories, i.query, i.params);
    return { scores: nums(r.scores), probs: nums(r.probs), retrieved: nums(r.retrieved), energy: toNumber(r.energy) };
  },
  generate(rng, flavor) {
    const { d, n, scale } = sizes(rng, flavor);
    return {
      memories: Array.from({ length: n }, () => vec(rng, flavor, d, scale)),
      query: vec(rng, flavor, d, scale),
      params: drawParams(rng, flavor, d),
    };
  },
};

const gradientKind: CaseKind<Problem & { target: number }> = {
  kind: 'gradient',
  integerFields: [],
  schema: caseSchema(
    'gradient',
    { memories: matrix(), query: vector(), params: ParamsJsonSchema, target: z.number().int().min(0).describe('source index t, in [0, N)') },
    'out: { loss, grad: { w_dis, w_dot, beta_dis, beta_dot } }, L = −log p_t',
  ),
  parse(c) {
    const p = similarityKind.parse(c);
    return { ...p, target: checkIndex('target', field(c, 'target'), p.memories.length) };
  },
  compute(i) {
    const r = lossAndGradient(i.memories, i.query, i.target, i.params);
    return { loss: r.loss, grad: { w_dis: r.grad.wDis, w_dot: r.grad.wDot, beta_dis: r.grad.betaDis, beta_dot: r.grad.betaDot } };
  },
  exact(i) {
    const r = gradientExact(i.memories, i.query, i.params, i.target);
    const g = r.grad;
    return {
      loss: toNumber(r.loss),
      grad: { w_dis: nums(g.w_dis), w_dot: nums(g.w_dot), beta_dis: toNumber(g.beta_dis), beta_dot: toNumber(g.beta_dot) },
    };
  },
  generate(rng, flavor) {
    const c = similarityKind.generate(rng, flavor);
    return { ...c, target: rng.int((c.memories as unknown[]).length) };
  },
};

function readVariant(c: Readonly<Record<string, unknown>>) {
  return variantFromSpec(field(c, 'variant'), 'variant');
}

const loglikKind: CaseKind<{ spec: VariantSpec; xi: number[]; x: number[] }> = {
  kind: 'loglik',
  integerFields: [],
  schema: caseSchema('loglik', { variant: VariantSpecSchema, xi: vector(), x: vector() }, 'out: log p_V(x | ξ)'),
  parse(c) {
    const v = readVariant(c);
    const xi = checkVector('xi', field(c, 'xi'));
    checkVariantDim(v, xi.length);
    v.logLikelihood(checkVector('x', field(c, 'x'), xi.length), xi);
    return { spec: v.spec, xi, x: c.x as number[] };
  },
  compute: (i) => variantFromSpec(i.spec).logLikelihood(i.x, i.xi),
  exact: (i) => toNumber(logLikelihoodExact(i.spec, i.x, i.xi)),
  generate(rng, flavor) {
    const { d, scale } = sizes(rng, flavor);
    const variant = drawVariant(rng, d, scale);
    const xi = vec(rng, flavor, d, scale);
    return { variant, xi, x: variantFromSpec(variant).sample(xi, rng) };
  },
};

const posteriorKind: CaseKind<{ spec: VariantSpec; memories: number[][]; query: number[]; prior?: number[] }> = {
  kind: 'posterior',
  integerFields: ['argmax'],
  schema: caseSchema(
    'posterior',
    { variant: VariantSpecSchema, memories: matrix(), query: vector(), prior: positiveVector().optional().describe('positive weights, one per memory (normalised; uniform when absent)') },
    'out: { logPosterior [N], argmax }',
  ),
  parse(c) {
    const v = readVariant(c);
    const memories = checkMatrix('memories', field(c, 'memories'));
    checkVariantDim(v, memories[0].length);
    const query = checkVector('query', field(c, 'query'), memories[0].length);
    const prior = c.prior === undefined ? undefined : checkVector('prior', c.prior, memories.length);
    posterior(v, memories, query, prior);
    return { spec: v.spec, memories, query, prior };
  },
  compute(i) {
    const r = posterior(variantFromSpec(i.spec), i.memories, i.query, i.prior);
    return { logPosterior: r.logPosterior, argmax: r.argmax };
  },
  exact(i) {
    const lp = nums(posteriorExact(i.spec, i.memories, i.query, i.prior));
    return { logPosterior: lp, argmax: lp.indexOf(Math.max(...lp)) };
  },
  generate(rng, flavor) {
    const { d, n, scale } = sizes(rng, flavor);
    const variant = drawVariant(rng, d, scale);
    const memories = Array.from({ length: n }, () => vec(rng, flavor, d, scale));
    const query = variantFromSpec(variant).sample(memories[rng.int(n)], rng);
    const c: Record<string, unknown> = { variant, memories, query };
    if (rng.uniform() < 0.3) c.prior = Array.from({ length: n }, () => 0.1 + rng.uniform());
    return c;
  },
};

/** Every kind the reference can export and check, by name. */
export const KINDS: ReadonlyMap<string, CaseKind<unknown>> = new Map(
  [footprintKind, similarityKind, gradientKind, loglikKind, posteriorKind, mhopKind, sparseKind, layerKind, layerVjpKind, ahopPlusKind].map((k) => [
    k.kind,
    k as CaseKind<unknown>,
  ]),
);
