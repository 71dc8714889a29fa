/**
 * Model parameters as JSON, with a format version and d, so a saved model round-trips exactly
 * (JSON numbers printed by JavaScript are the shortest decimal that parses back to the same double).
 * ModelJsonSchema checks a model file at run time and generates schemas/model.schema.json.
 */
import { z } from 'zod';
import { ParseError, ShapeError } from '../errors.ts';
import { finite, vector } from '../schema/fields.ts';
import { parseWith } from '../schema/parse.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, type FootprintOptions } from '../similarity/footprint.ts';

export const MODEL_FORMAT = 'ahop-model';
export const MODEL_VERSION = 1;

export interface Model {
  params: AhopParams;
  footprint: FootprintOptions;
}

/** A-Hop's parameters in JSON (snake_case), as in a model file and in conformance cases. */
export const ParamsJsonSchema = z
  .strictObject({
    w_dis: vector().describe('footprint weights of the dis similarity, length d'),
    w_dot: vector().describe('footprint weights of the dot similarity, length d'),
    beta_dis: finite().describe('β_dis'),
    beta_dot: finite().describe('β_dot'),
  })
  .describe('s(ξ, x) = β_dis Σ_j w_dis[j] ftpt_dis[j] + β_dot Σ_j w_dot[j] ftpt_dot[j]');

/** The model file, as written by `ahop train` and read by `ahop retrieve`. */
export const ModelJsonSchema = z
  .strictObject({
    format: z.literal(MODEL_FORMAT),
    version: z.literal(MODEL_VERSION).describe('format version; this reader knows version 1'),
    d: z.number().int().positive().describe('pattern dimension: the length of w_dis and w_dot'),
    footprint: z
      .strictObject({
        sort: z.boolean().describe('sort the base similarities descending (false: ablation)'),
        cumulative: z.boolean().describe('cumulative sum U (false: ablation)'),
      })
      .describe('how the footprint is formed'),
    params: ParamsJsonSchema,
  })
  .meta({ id: 'ModelJson', title: 'ahop model', description: 'A trained A-Hop model (ahop train --out; ahop retrieve --model).' });

export type ModelJson = z.infer<typeof ModelJsonSchema>;

export function modelToJson(model: Model): ModelJson {
  if (typeof model !== 'object' || model === null) throw new ParseError('model must be an object { params, footprint }');
  const p = checkParams(model.params);
  // Refuse here what loadModel would refuse, so a saved model always loads back.
  const footprint = checkFootprintOptions(model.footprint, 'model.footprint');
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    d: p.wDis.length,
    footprint,
    params: { w_dis: p.wDis, w_dot: p.wDot, beta_dis: p.betaDis, beta_dot: p.betaDot },
  };
}

/**
 * The model file: { format, version, d, footprint, params: { w_dis, w_dot, beta_dis, beta_dot } } with d = |w_dis|.
 * @example
 * ```ts
 * import { FULL_FOOTPRINT, initialParams, saveModel } from 'ahop';
 * const file = JSON.parse(saveModel({ params: initialParams(3), footprint: FULL_FOOTPRINT }));
 * if (file.format !== 'ahop-model' || file.d !== 3 || file.params.beta_dis !== 1) throw new Error('d = 3, β_dis = 1');
 * ```
 */
export function saveModel(model: Model): string {
  return JSON.stringify(modelToJson(model), null, 2) + '\n';
}

/**
 * Parses a model; `expectedD`, when given, must match the model's d.
 * loadModel(saveModel(m)) = m exactly: JSON numbers are printed as the shortest decimal that parses back to the same double.
 * @example
 * ```ts
 * import { FULL_FOOTPRINT, loadModel, saveModel } from 'ahop';
 * const params = { wDis: [0.1, 1 / 3], wDot: [0, 1], betaDis: Math.PI, betaDot: -1e-300 };
 * const back = loadModel(saveModel({ params, footprint: FULL_FOOTPRINT }));
 * if (back.params.wDis[1] !== 1 / 3 || back.params.betaDis !== Math.PI || back.params.betaDot !== -1e-300) throw new Error('bit-exact');
 * ```
 */
export function loadModel(text: string, expectedD?: number): Model {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ParseError(`model JSON is malformed or truncated: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ParseError('model must be a JSON object');
  const m = parseWith(ModelJsonSchema, raw, 'model');
  const { d, params: p } = m;
  for (const k of ['w_dis', 'w_dot'] as const) {
    if (p[k].length !== d) throw new ShapeError(`model.params.${k} must have length d = ${d}, got ${p[k].length}`);
  }
  if (expectedD !== undefined && d !== expectedD) throw new ShapeError(`model has d = ${d} but the data have d = ${expectedD}`);
  return { params: { wDis: p.w_dis, wDot: p.w_dot, betaDis: p.beta_dis, betaDot: p.beta_dot }, footprint: m.footprint };
}
