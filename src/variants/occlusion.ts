/**
 * One dimension of an occluding variant: with probability ρ the value is replaced by an
 * occluder u ~ U[low, high], otherwise it is v ~ N(mean, σ²).
 * log p(v) = log((1 − ρ) N(v; mean, σ²) + ρ 1[low ≤ v ≤ high] / (high − low)).
 */
import type { Rng } from '../random/rng.ts';
import { checkFinite } from '../validate.ts';
import { DomainError } from '../errors.ts';
import { logAddExp } from '../numeric/logsumexp.ts';
import { logNormal, logUniform } from './gaussian.ts';

export interface Occluder {
  rho: number;
  low: number;
  high: number;
}

export function checkOccluder(rho: unknown, low: unknown, high: unknown): Occluder {
  const r = checkFinite('rho', rho);
  if (!(r >= 0 && r < 1)) throw new DomainError(`rho must lie in [0, 1), got ${r}`);
  const lo = checkFinite('low', low);
  const hi = checkFinite('high', high);
  if (!(lo < hi)) throw new DomainError(`low must be < high, got low = ${lo}, high = ${hi}`);
  if (!Number.isFinite(hi - lo)) throw new DomainError(`high - low must be finite, got ${hi - lo}`);
  return { rho: r, low: lo, high: hi };
}

export function sampleOccluded(o: Occluder, mean: number, sigma: number, rng: Rng): number {
  if (rng.uniform() < o.rho) return o.low + (o.high - o.low) * rng.uniform();
  return mean + sigma * rng.normal();
}

export function logOccluded(o: Occluder, v: number, mean: number, sigma: number): number {
  const kept = Math.log1p(-o.rho) + logNormal(v, mean, sigma);
  if (o.rho === 0) return kept;
  return logAddExp(kept, Math.log(o.rho) + logUniform(v, o.low, o.high));
}
