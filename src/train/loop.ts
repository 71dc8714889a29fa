/**
 * The one training loop of the project: shuffle → mini-batch → Adam, with a safeguard that the
 * returned parameters are never worse than the start (docs/protocol.md, "Training safeguard").
 *
 *   θ₀ given; optionally a held-out validation split V of the examples (`validationShare`), drawn
 *   first from the seeded stream; the fit examples F are the others (all of them without V).
 *   For epoch e = 1…E: shuffle F (Fisher–Yates, the same seeded stream);
 *   for each batch B of `batchSize` indices: θ ← Adam(θ, ∇_θ (1/|B|) Σ_{i∈B} L_i(θ));
 *   after the epoch: C_e = C(θ) (the criterion: with a split, the errors over V then the mean loss
 *   over V, compared in that order (lexicographically); else the full-batch loss over F; unless
 *   the problem gives its own).
 *   Returned: θ* = argmin_{e ∈ {0…E}} C_e (best-iterate restore; ties keep the earlier iterate),
 *   so C(θ*) ≤ C(θ₀) whatever Adam does. With `patience` P, training stops after P epochs in a
 *   row without a lower C (early stopping; the returned iterate is the same argmin over the epochs run).
 *
 * Every trained method calls it with its own flat parameter vector and its own batch loss; only
 * ∂L/∂θ differs between methods (train/cross-entropy.ts gives ∂L/∂s for all of them).
 */
import { DomainError } from '../errors.ts';
import { createRng, type Rng } from '../random/rng.ts';
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
   * How many of the examples `indices` the model gets wrong at θ (its highest score is not the
   * target). With a validation split the safeguard then compares (errors, mean loss) over the
   * held-out examples lexicographically: fewer errors first, the loss breaking ties.
   */
  batchErrors?(theta: Float64Array, indices: readonly number[]): number;
  /**
   * The safeguard's selection criterion C(θ), replacing the default (the validation split's
   * errors and loss, or the full-batch training loss without a split).
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
  /** Called after each epoch with its mean batch loss (each batch's loss taken before its step) and a copy of θ after it. */
  onEpoch?: (epoch: number, loss: number, theta: Float64Array) => void;
  /**
   * Share of the examples held out as a validation split (`holdOut`), never batched; the
   * safeguard's criterion is then their errors (`batchErrors`, when the problem counts them) and
   * mean loss, in that order. Default 0: no split, the criterion is the full-batch training loss.
   */
  validationShare?: number;
  /** Early stopping: stop after this many epochs in a row without a lower criterion. Default: run every epoch. */
  patience?: number;
}

/** The safeguard and stopping options a trainer forwards to minimise() (the ones it was given). */
export function stopping(o: Pick<MinimiseOptions, 'safeguard' | 'validationShare' | 'patience'>): Pick<MinimiseOptions, 'safeguard' | 'validationShare' | 'patience'> {
  return {
    ...(o.safeguard !== undefined ? { safeguard: o.safeguard } : {}),
    ...(o.validationShare !== undefined ? { validationShare: o.validationShare } : {}),
    ...(o.patience !== undefined ? { patience: o.patience } : {}),
  };
}

/** The examples a run fits on and the ones it holds out (both ascending). */
export interface Split {
  fit: number[];
  validation: number[];
}

function checkShare(share: number, count: number): number {
  if (!(share >= 0 && share < 1)) throw new DomainError(`validationShare must lie in [0, 1), got ${share}`);
  const held = share === 0 ? 0 : Math.max(1, Math.round(share * count));
  if (held >= count) throw new DomainError(`validationShare ${share} of ${count} examples leaves none to fit on`);
  return held;
}

function drawSplit(count: number, held: number, rng: Rng): Split {
  if (held === 0) return { fit: Array.from({ length: count }, (_, i) => i), validation: [] };
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const up = (a: number, b: number) => a - b;
  return { fit: order.slice(held).sort(up), validation: order.slice(0, held).sort(up) };
}

/**
 * The validation split minimise() uses for `count` examples, share s and seed: V = the first
 * max(1, round(s · count)) indices of a seeded Fisher–Yates shuffle of 0…count−1 (none when s = 0),
 * F = the rest. Exposed so a model can be initialised from its fit examples alone.
 * @example
 * ```ts
 * import { holdOut } from 'ahop';
 * const { fit, validation } = holdOut(8, 0.25, 3);
 * if (validation.length !== 2 || fit.length !== 6 || new Set([...fit, ...validation]).size !== 8) throw new Error('holdOut');
 * ```
 */
export function holdOut(count: number, share: number, seed: number): Split {
  positiveInteger('count', count);
  return drawSplit(count, checkShare(share, count), createRng(seed));
}

export interface MinimiseResult {
  /** The returned parameters θ*. */
  theta: Float64Array;
  /** losses[0]: full-batch loss (over the fit examples) at θ₀; losses[e]: mean of epoch e's batch losses, each before its step (one entry per epoch run). */
  losses: number[];
  /** Full-batch loss over the fit examples at θ*. */
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
  const patience = options.patience ?? Infinity;
  if (options.patience !== undefined) positiveInteger('patience', options.patience);
  const held = checkShare(options.validationShare ?? 0, problem.count);
  const theta = Float64Array.from(problem.theta0);
  const frozen = options.frozen ?? [];
  const rng = createRng(options.seed);
  // Drawn before the first shuffle (nothing is drawn without a split: the stream is unchanged).
  const { fit, validation } = drawSplit(problem.count, held, rng);
  const lossOver = (t: Float64Array, idx: readonly number[]): number => problem.batchLoss?.(t, idx) ?? problem.batchLossGrad(t, idx).loss;
  const fullLoss = (t: Float64Array): number => lossOver(t, fit);
  // (errors, loss), compared lexicographically; errors count only on a validation split.
  const criterion = (t: Float64Array): [number, number] =>
    problem.criterion !== undefined
      ? [0, problem.criterion(t)]
      : validation.length > 0
        ? [problem.batchErrors?.(t, validation) ?? 0, lossOver(t, validation)]
        : [0, fullLoss(t)];
  const better = (a: [number, number], b: [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const adam = createAdam(theta.length, { lr: options.lr });
  const order = fit.slice();
  const grad = new Float64Array(theta.length);

  const losses = [fullLoss(theta)];
  let best = Float64Array.from(theta);
  let bestEpoch = 0;
  let bestValue: [number, number] = problem.criterion === undefined && validation.length === 0 ? [0, losses[0]] : criterion(theta);
  let epochsRun = 0;
  for (let epoch = 1; epoch <= options.epochs && (safeguard === 'none' || epoch - bestEpoch <= patience); epoch++) {
    epochsRun = epoch;
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
    options.onEpoch?.(epoch, losses[epoch], Float64Array.from(theta));
    if (safeguard === 'best-iterate') {
      const value = criterion(theta);
      if (better(value, bestValue)) {
        bestValue = value;
        bestEpoch = epoch;
        best = Float64Array.from(theta);
      }
    }
  }
  const returned = safeguard === 'best-iterate' ? best : theta;
  return { theta: returned, losses, finalLoss: fullLoss(returned), bestEpoch: safeguard === 'best-iterate' ? bestEpoch : epochsRun };
}
