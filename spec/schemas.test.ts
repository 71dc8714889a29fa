/**
 * The JSON formats' schemas: the committed schemas/*.schema.json are what the zod schema objects
 * generate; every variant spec written in the docs, README and examples is valid; unknown fields,
 * misplaced shapes and wrong lengths are refused with the path of the bad input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, ShapeError, DomainError } from '../src/errors.ts';
import { loadModel, saveModel } from '../src/hopfield/model-json.ts';
import { jsonSchemas, schemaText } from '../src/schema/json-schemas.ts';
import { checkVariantDim, variantFromSpec, VariantSpecSchema } from '../src/variants/spec.ts';
import { checkConformance } from '../src/conformance/check.ts';
import { exportConformance } from '../src/conformance/export.ts';
import { parseWith } from '../src/schema/parse.ts';
import { PairsFileSchema } from '../src/train/pairs.ts';

const FAMILIES = ['noisy', 'masked', 'biased', 'composed', 'mixed'];

/** Every JSON object literal written in a text (balanced braces that parse as JSON), nested ones included. */
function jsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        try {
          found.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          // not JSON (a TypeScript object, set notation): skip
        }
        break;
      }
    }
  }
  return found;
}

/** Objects that present themselves as variant specs: a `type` naming a family, or σ/ρ/bias/components beside a `type`. */
function variantSpecsIn(v: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(v)) v.forEach((x) => variantSpecsIn(x, out));
  else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    const looksLikeSpec = typeof o.type === 'string' && (FAMILIES.includes(o.type) || ['sigma', 'rho', 'bias', 'components'].some((k) => k in o));
    if (looksLikeSpec) out.push(o);
    else Object.values(o).forEach((x) => variantSpecsIn(x, out));
  }
  return out;
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(ext))
    .map((f) => join(dir, f));
}

describe('the committed JSON Schemas', () => {
  it('equal the ones generated from the runtime schema objects (npm run schemas)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      expect(readFileSync(join('schemas', name), 'utf8'), `schemas/${name} is stale: run npm run schemas`).toBe(schemaText(schema));
    }
  });
  it('refuse unknown fields and say σ may be a number or a vector', () => {
    const variant = JSON.stringify(jsonSchemas()['variant.schema.json']);
    expect(variant).toMatch(/"additionalProperties":false/);
    expect(variant).toMatch(/a number > 0 \(the same for every dimension\) or an array of d numbers > 0/);
    expect(JSON.stringify(jsonSchemas()['model.schema.json'])).toMatch(/"additionalProperties":false/);
    expect(JSON.stringify(jsonSchemas()['pairs.schema.json'])).toMatch(/"additionalProperties":false/);
  });
});

describe('every variant spec in the docs, README and examples', () => {
  const sources = [...filesUnder('docs', '.md'), 'README.md', ...filesUnder('examples', '.json'), ...filesUnder('examples', '.md')];
  const specs = sources.flatMap((file) => variantSpecsIn(jsonObjects(readFileSync(file, 'utf8'))).map((spec) => ({ file, spec })));
  it('is found (the scan is not empty)', () => expect(specs.length).toBeGreaterThanOrEqual(6));
  it('validates against the variant schema and builds a variant', () => {
    for (const { file, spec } of specs) {
      expect(VariantSpecSchema.safeParse(spec).success, `${file}: ${JSON.stringify(spec)}`).toBe(true);
      expect(() => variantFromSpec(spec), file).not.toThrow();
    }
  });
});

describe('a variant spec is refused by name', () => {
  it('an unknown field, naming it', () => {
    expect(() => variantFromSpec({ type: 'masked', rho: 0.1, sigma: 0.1, low: 0, high: 1, sigmas: [1] })).toThrow(ParseError);
    expect(() => variantFromSpec({ type: 'masked', rho: 0.1, sigma: 0.1, low: 0, high: 1, sigmas: [1] })).toThrow(/variant has unknown field "sigmas"/);
    expect(() => variantFromSpec({ type: 'mixed', components: [{ weight: 1, variant: { type: 'noisy', sigma: 1, mean: 0 } }] })).toThrow(
      /variant\.components\[0\]\.variant has unknown field "mean"/,
    );
  });
  it('a bad entry deep inside, with its path', () => {
    const spec = { type: 'mixed', components: [{ weight: 0.5, variant: { type: 'noisy', sigma: 1 } }, { weight: 0.5, variant: { type: 'composed', rho: 0.1, sigma: [1, -2], bias: 0, low: 0, high: 1 } }] };
    expect(() => variantFromSpec(spec)).toThrow(DomainError);
    expect(() => variantFromSpec(spec)).toThrow(/^variant\.components\[1\]\.variant\.sigma\[1\] must be > 0, got -2$/);
  });
  it('a missing field, naming it', () => expect(() => variantFromSpec({ type: 'noisy' })).toThrow(/variant\.sigma is missing/));
  it('a σ of length 2 for data of d = 16 blames the variant, not the data', () => {
    const v = variantFromSpec({ type: 'noisy', sigma: [0.1, 0.1] });
    expect(() => checkVariantDim(v, 16)).toThrow(ShapeError);
    expect(() => checkVariantDim(v, 16)).toThrow(/variant\.sigma has length 2 but the data have d = 16/);
    expect(() => checkVariantDim(v, 2)).not.toThrow();
  });
});

describe('σ and bias take one shape across families: a number or a length-d vector', () => {
  const xi = [0.1, -0.4, 0.8];
  const x = [0.3, -0.1, 0.5];
  for (const [family, scalar, vector] of [
    ['noisy', { sigma: 0.3 }, { sigma: [0.3, 0.3, 0.3] }],
    ['masked', { rho: 0.2, sigma: 0.3, low: -1, high: 1 }, { rho: 0.2, sigma: [0.3, 0.3, 0.3], low: -1, high: 1 }],
    ['biased', { bias: 0.2, sigma: 0.3 }, { bias: [0.2, 0.2, 0.2], sigma: [0.3, 0.3, 0.3] }],
    ['composed', { rho: 0.2, sigma: 0.3, bias: 0.2, low: -1, high: 1 }, { rho: 0.2, sigma: [0.3, 0.3, 0.3], bias: [0.2, 0.2, 0.2], low: -1, high: 1 }],
  ] as const) {
    it(`${family}: a number means the same value in every dimension (equal log-likelihoods; the number leaves d free)`, () => {
      const a = variantFromSpec({ type: family, ...scalar });
      const b = variantFromSpec({ type: family, ...vector });
      expect(a.logLikelihood(x, xi)).toBe(b.logLikelihood(x, xi));
      expect(a.dim).toBeUndefined();
      expect(b.dim).toBe(3);
    });
  }
  it('a vector σ and a vector bias of different lengths are a ShapeError naming both', () =>
    expect(() => variantFromSpec({ type: 'biased', bias: [0, 0], sigma: [1, 1, 1] })).toThrow(/variant: sigma has length 3 but bias has length 2/));
});

describe('the model file and the conformance file refuse unknown fields by path', () => {
  const model = JSON.parse(saveModel({ params: { wDis: [1, 2], wDot: [3, 4], betaDis: 1, betaDot: 0.5 }, footprint: { sort: true, cumulative: true } }));
  it('model', () => {
    expect(() => loadModel(JSON.stringify({ ...model, comment: 'x' }))).toThrow(/model has unknown field "comment"/);
    expect(() => loadModel(JSON.stringify({ ...model, params: { ...model.params, beta: 1 } }))).toThrow(/model\.params has unknown field "beta"/);
    expect(() => loadModel(JSON.stringify({ ...model, d: 3 }))).toThrow(/model\.params\.w_dis must have length d = 3, got 2/);
  });
  it('conformance file and case', () => {
    const file = exportConformance({ seed: 1, cases: 8 });
    expect(() => checkConformance(JSON.stringify({ ...file, note: 1 }))).toThrow(/file has unknown field "note"/);
    const cases = file.cases.map((c, i) => (i === 2 ? { ...c, extra: [1] } : c));
    expect(() => checkConformance(JSON.stringify({ ...file, cases }))).toThrow(/cases\[2\] \(\w+\): case has unknown field "extra"/);
  });
});

describe('the pairs file (ahop train --pairs FILE) is checked by its schema, by path', () => {
  const pairs = JSON.parse(readFileSync(join('spec', 'fixtures', 'cli', 'pairs.json'), 'utf8')) as { queries: number[][]; targets: number[] };
  const parse = (v: unknown) => parseWith(PairsFileSchema, v, 'pairs');
  it('the pairs the CLI tests train from, and those written in docs/cli.md, are valid', () => {
    expect(parse(pairs)).toEqual(pairs);
    const documented = jsonObjects(readFileSync(join('docs', 'cli.md'), 'utf8')).filter((o) => typeof o === 'object' && o !== null && 'targets' in o);
    expect(documented.length).toBeGreaterThanOrEqual(1);
    for (const p of documented) expect(() => parse(p), JSON.stringify(p)).not.toThrow();
  });
  it('an unknown field, naming it', () => expect(() => parse({ ...pairs, weights: [1, 1, 1] })).toThrow(/^pairs has unknown field "weights"$/));
  it('a missing field, naming it', () => expect(() => parse({ queries: pairs.queries })).toThrow(/pairs\.targets is missing/));
  it('a target that is not a whole number ≥ 0, with its index', () => {
    expect(() => parse({ ...pairs, targets: [0, 1.5, 2] })).toThrow(/pairs\.targets\[1\]/);
    expect(() => parse({ ...pairs, targets: [0, 1, -1] })).toThrow(/pairs\.targets\[2\]/);
  });
  it('a query entry that is not a number, with its row and column', () =>
    expect(() => parse({ ...pairs, queries: [[0, 0, 0, 0], [0, '1', 0, 0], [0, 0, 0, 0]] })).toThrow(/pairs\.queries\[1\]\[1\]/));
});
