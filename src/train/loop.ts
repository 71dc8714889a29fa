/**
 * The one training loop of the project: shuffle → mini-batch → Adam, with a safeguard that the
 * returned parameters are never worse than the start (docs/protocol.md, "Training safeguard").
 *
 *   θ₀ given; for epoch e = 1…E: shuffle the example indices (Fisher–Yates, seeded stream);
 *   for each batch B of `batchSize` indices: θ ← Adam(θ, ∇_θ (1/|B|) Σ_{i∈B} L_i(θ));
 *   after the epoch: C_e = C(θ) (the criterion, default the full-batch training loss).
 *   Returned: θ* = argmin_{e ∈ {0…E}} C_e (best-iterate restore; ties keep the earlier iterate),
 *   so C(θ*) ≤ C(θ₀) whatever Adam does.
 *
 * Every trained method calls it with its own flat parameter vector and its own batch loss; only
 * ∂L/∂θ differs between methods (train/cross-entropy.ts gives ∂L/∂s for all of them).
 */
import { DomainError } from '../errors.ts';
import { createRng } from '../random/rng.ts';
import { createAdam } from './adam.ts';

/** What minimise() needs from a model: its start, its examples, and its mean batch loss. */
export interface MinimiseProblem {
  /** Starting parameters θ₀ (copied, never modified). */
  theta0: Float64Array;
  /** Number of training examples; batches are lists of indices in [0, count). */
  count: number;
  /**
   * Mean loss (1/|B|) Σ_{i∈B} L_i(θ) over the examples `indices` and its gradient ∂/∂θ
   * (length θ.length). θ must not be modified; the returned grad may be a reused buffer.
   */
  batchLossGrad(theta: Float64Array, indices: readonly number[]): { loss: number; grad: ArrayLike<number> };
  /**
   * Mean loss over `indices` without the gradient (cheaper); default batchLossGrad(…).loss.
   * The safeguard calls it over all examples once per epoch.
   */
  batchLoss?(theta: Float64Array, indices: readonly number[]): number;
  /**
   * The safeguard's selection criterion C(θ); default the full-batch training loss. A model with a
   * held-out validation split passes its validation loss here (then C(θ*) ≤ C(θ₀) holds for that).
   */
  criterion?(theta: Float64Array): number;
}

export interface MinimiseOptions {
  epochs: number;
  /** Adam step size (the paper: 0.1); β1, β2, ε are Adam's defaults. */
  lr: number;
  batchSize: number;
  /** Seeds the shuffles. */
  seed: number;
  /** Parameter indices held fixed (their gradient is zeroed), e.g. the β of a left-out base. */
  frozen?: readonly number[];
  /**
   * 'best-iterate' (default): return the iterate with the lowest criterion among θ₀ and every
   * epoch's end. 'none': return the last iterate (plain Adam; kept for diagnostics and to show
   * the safeguard matters).
   */
  safeguard?: 'best-iterate' | 'none';
  /** Called after each epoch with its mean batch loss (each batch's loss taken before its step). */
  onEpoch?: (epoch: number, loss: number) => void;
}

export interface MinimiseResult {
  /** The returned parameters θ*. */
  theta: Float64Array;
  /** losses[0]: full-batch loss at θ₀; losses[e]: mean of epoch e's batch losses, each before its step. */
  losses: number[];
  /** Full-batch training loss at θ*. */
  finalLoss: number;
  /** The epoch whose end state was returned (0 = θ₀). */
  bestEpoch: number;
}

function positiveInteger(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new DomainError(`${name} must be a positive integer, got ${v}`);
}

/**
 * Minimises a mean per-example loss L(θ) = (1/n) Σ_i L_i(θ) with seeded mini-batch Adam and
 * best-iterate restore: θ* = argmin_{e ∈ {0…E}} C(θ_e), so C(θ*) ≤ C(θ₀).
 * Throws DomainError when the parameters become non-finite (lr far too large).
 * @example
 * ```ts
 * import { minimise } from 'ahop';
 * // least squares on one parameter: L_i(θ) = (θ − y_i)², y = (1, 3), minimised at θ = 2
 * const y = [1, 3];
 * const { theta, finalLoss, losses } = minimise(
 *   {
 *     theta0: new Float64Array([0]),
 *     count: 2,
 *     batchLossGrad: (t, idx) => ({
 *       loss: idx.reduce((a, i) => a + (t[0]! - y[i]!) ** 2, 0) / idx.length,
 *       grad: [idx.reduce((a, i) => a + 2 * (t[0]! - y[i]!), 0) / idx.length],
 *     }),
 *   },
 *   { epochs: 200, lr: 0.1, batchSize: 2, seed: 0 },
 * );
 * if (Math.abs(theta[0]! - 2) > 1e-3) throw new Error('θ* = mean(y) = 2');
 * if (!(finalLoss <= losses[0]!)) throw new Error('the safeguard: C(θ*) ≤ C(θ₀)');
 * ```
 */
export function minimise(problem: MinimiseProblem, options: MinimiseOptions): MinimiseResult {
  positiveInteger('epochs', options.epochs);
  positiveInteger('batchSize', options.batchSize);
  positiveInteger('count', problem.count);
  if (!(options.lr > 0 && Number.isFinite(options.lr))) throw new DomainError(`lr must be a finite number > 0, got ${options.lr}`);
  const safeguard = options.safeguard ?? 'best-iterate';
  if (safeguard !== 'best-iterate' && safeguard !== 'none') throw new DomainError(`safeguard must be 'best-iterate' or 'none', got ${String(safeguard)}`);
  const theta = Float64Array.from(problem.theta0);
  const frozen = options.frozen ?? [];
  const all = Array.from({ length: problem.count }, (_, i) => i);
  const fullLoss = (t: Float64Array): number => problem.batchLoss?.(t, all) ?? problem.batchLossGrad(t, all).loss;
  const criterion = problem.criterion ?? fullLoss;
  const adam = createAdam(theta.length, { lr: options.lr });
  const rng = createRng(options.seed);
  const order = all.slice();
  const grad = new Float64Array(theta.length);

  const losses = [fullLoss(theta)];
  let best = Float64Array.from(theta);
  let bestEpoch = 0;
  let bestValue = problem.criterion === undefined ? losses[0] : criterion(theta);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let epochLoss = 0;
    for (let s = 0; s < order.length; s += options.batchSize) {
      const batch = order.slice(s, s + options.batchSize);
      const r = problem.batchLossGrad(theta, batch);
      epochLoss += r.loss * batch.length;
      grad.set(r.grad);
      for (const j of frozen) grad[j] = 0;
      adam.step(theta, grad);
    }
    if (!theta.every(Number.isFinite)) throw new DomainError(`training diverged at epoch ${epoch} (non-finite parameters); lower lr`);
    losses.push(epochLoss / order.length);
    options.onEpoch?.(epoch, losses[epoch]);
    if (safeguard === 'best-iterate') {
      const value = criterion(theta);
      if (value < bestValue) {
        bestValue = value;
        bestEpoch = epoch;
        best = Float64Array.from(theta);
      }
    }
  }
  const returned = safeguard === 'best-iterate' ? best : theta;
  return { theta: returned, losses, finalLoss: fullLoss(returned), bestEpoch: safeguard === 'best-iterate' ? bestEpoch : options.epochs };
}
