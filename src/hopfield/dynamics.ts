/**
 * Iterated retrieval dynamics x_{t+1} = T(x_t) = Ξ softmax(s(Ξ, x_t)), with the energy trace
 * E(x_t) = −lse(s(Ξ, x_t)) for t = 0 … steps.
 */
import { DomainError } from '../errors.ts';
import { logSumExp, softmax } from '../numeric/logsumexp.ts';
import type { AhopParams } from '../similarity/adaptive.ts';
import { checkFootprintOptions, FULL_FOOTPRINT, type FootprintOptions } from '../similarity/footprint.ts';
import { checkProblem, checkScores, readout, scores } from './ahop.ts';

export interface Trajectory {
  /** x_0 … x_steps. */
  states: number[][];
  /** E(x_0) … E(x_steps). */
  energies: number[];
}

/**
 * The retrieval dynamics x_{t+1} = T(x_t) = Σ_k softmax(s(Ξ, x_t))_k ξ_k, with energies E(x_t) = −lse(s(Ξ, x_t)) for t = 0 … steps.
 * @example
 * ```ts
 * import { initialParams, iterate } from 'ahop';
 * const t = iterate([[0, 0], [4, 4]], [1, 1], { ...initialParams(2), betaDis: 5 }, 3);
 * // The energy falls along the trajectory, which settles on the nearer memory (0, 0).
 * if (t.states.length !== 4 || !(t.energies[3]! < t.energies[0]!)) throw new Error('E(x_3) < E(x_0)');
 * if (Math.hypot(...t.states[3]!) > 1e-6) throw new Error('x_3 ≈ ξ_0');
 * ```
 */
export function iterate(
  memories: readonly (readonly number[])[],
  query: readonly number[],
  params: AhopParams,
  steps: number,
  options: FootprintOptions = FULL_FOOTPRINT,
): Trajectory {
  if (!Number.isInteger(steps) || steps < 0) throw new DomainError(`steps must be an integer >= 0, got ${steps}`);
  const c = checkProblem(memories, query, params);
  const o = checkFootprintOptions(options);
  const states = [c.query];
  const energies: number[] = [];
  for (let t = 0; ; t++) {
    const s = checkScores(scores(c.memories, states[t], c.params, o));
    energies.push(-logSumExp(s));
    if (t === steps) break;
    states.push(readout(c.memories, softmax(s)));
  }
  return { states, energies };
}
