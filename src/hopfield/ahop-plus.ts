/**
 * A-Hop+ retrieval: p = softmax(s⁺(Ξ, x)), y = Σ_k p_k ξ_k, E = −lse(s⁺(Ξ, x)), with the A-Hop+
 * similarity s⁺ (similarity/adaptive-plus.ts) in place of A-Hop's; softmax, readout and energy are
 * A-Hop's own (hopfield/ahop.ts, numeric/logsumexp.ts).
 */
import { argmax, logSumExp, softmax } from '../numeric/logsumexp.ts';
import { ahopPlusScores, type AhopPlusParams } from '../similarity/adaptive-plus.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkMatrix } from '../validate.ts';
import { readout, type AhopRetrieval } from './ahop.ts';

/**
 * One A-Hop+ retrieval step: scores s⁺(ξ_k, x), p = softmax(s⁺), y = Ξᵀp, E = −lse(s⁺), source = argmax p.
 * @example
 * ```ts
 * import { retrievePlus } from 'ahop';
 * const id = { offset: [0], logScale: [0], linkWeight: [0], gateLow: -1, gateHigh: 1, gateWidth: 0, wDis: [1], wDot: [1], betaDis: 2, betaDot: 0 };
 * const r = retrievePlus([[0], [3]], [0.5], id); // scores −0.25, −6.25
 * if (r.source !== 0 || Math.abs(r.probs[0]! - 1 / (1 + Math.exp(-6))) > 1e-15) throw new Error('retrievePlus');
 * ```
 */
export function retrievePlus(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  params: AhopPlusParams,
  options: FootprintOptions = FULL_FOOTPRINT,
): AhopRetrieval {
  const xi = checkMatrix('memories', memories);
  const s = ahopPlusScores(xi, query, params, checkFootprintOptions(options));
  const probs = softmax(s);
  return { scores: s, probs, retrieved: readout(xi, probs), energy: -logSumExp(s), source: argmax(probs) };
}
