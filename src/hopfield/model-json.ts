/**
 * Model parameters as JSON, with a format version and d, so a saved model round-trips exactly
 * (JSON numbers printed by JavaScript are the shortest decimal that parses back to the same double).
 */
import { ParseError, ShapeError } from '../errors.ts';
import { checkParams, type AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, type FootprintOptions } from '../similarity/footprint.ts';

export const MODEL_FORMAT = 'ahop-model';
export const MODEL_VERSION = 1;

export interface Model {
  params: AhopParams;
  footprint: FootprintOptions;
}

export interface ModelJson {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  d: number;
  footprint: FootprintOptions;
  params: { w_dis: number[]; w_dot: number[]; beta_dis: number; beta_dot: number };
}

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
  if (typeof raw !== 'object' || raw === null) throw new ParseError('model must be a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== MODEL_FORMAT) throw new ParseError(`model.format must be "${MODEL_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== MODEL_VERSION) throw new ParseError(`model.version ${JSON.stringify(m.version)} is not supported (this reader knows version ${MODEL_VERSION})`);
  if (!Number.isInteger(m.d) || (m.d as number) <= 0) throw new ParseError(`model.d must be a positive integer, got ${JSON.stringify(m.d)}`);
  const d = m.d as number;
  if (expectedD !== undefined && d !== expectedD) throw new ShapeError(`model has d = ${d} but the data have d = ${expectedD}`);
  const f = m.footprint as Record<string, unknown> | undefined;
  if (typeof f !== 'object' || f === null || typeof f.sort !== 'boolean' || typeof f.cumulative !== 'boolean') {
    throw new ParseError('model.footprint must be { "sort": boolean, "cumulative": boolean }');
  }
  const p = m.params as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null) throw new ParseError('model.params must be an object');
  const params = checkParams({ wDis: p.w_dis, wDot: p.w_dot, betaDis: p.beta_dis, betaDot: p.beta_dot }, d, 'model.params');
  return { params, footprint: { sort: f.sort, cumulative: f.cumulative } };
}
