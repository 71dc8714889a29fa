/**
 * Statistical bounds for the statistical claims (docs/theory.md, claims 1, 3, 4, 5, 6, 9).
 *
 * Every comparison of two retrieval rules A and B is made on the same sampled queries (paired).
 * With n_A = #queries only A gets right and n_B = #queries only B gets right, the discordant
 * count n = n_A + n_B is fixed given the sample, and each discordant query is an independent draw
 * that favours B with probability p_B = P(B only) / (P(A only) + P(B only)). Under
 * H0: acc(A) ≥ acc(B) we have p_B ≤ 1/2, so n_B is stochastically at most Binomial(n, 1/2):
 * the exact one-sided McNemar (binomial sign) test. A comparison "rejects H0" when
 * P(Binomial(n, 1/2) ≥ n_B) < α. That is the tolerance derived from the sample: it is
 * `binomialThreshold(n, α)` discordant wins, i.e. an accuracy gap of (2·k* − n) / M.
 *
 * Hoeffding's bound is also given, for reference and for unpaired bounded means: the mean of M
 * i.i.d. values in an interval of width R deviates below its expectation by more than
 * R·√(ln(1/α) / (2M)) with probability at most α.
 *
 * Fixed seeds make every test deterministic; the level α is what the bound would guarantee on
 * fresh seeds. AHOP_DEEP=1 raises the sample sizes and the number of generated instances.
 */

/** True when the deep mode (more runs, bigger samples) is on. */
export const DEEP = process.env.AHOP_DEEP === '1';

/** `fast` at default settings, `deep` under AHOP_DEEP=1. */
export function depth<T>(fast: T, deep: T): T {
  return DEEP ? deep : fast;
}

/** Per-comparison significance level used throughout (Bonferroni over ≤ 10³ comparisons: 10⁻³ family-wise). */
export const ALPHA = 1e-6;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(z) for z > 0 (Lanczos, g = 7; relative error ~1e-15). */
export function logGamma(z: number): number {
  if (z < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
  const x = z - 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** log C(n, k). */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space relative to the largest term (exact up to rounding). */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const logs: number[] = [];
  let logTerm = logChoose(n, k) + k * lp + (n - k) * lq;
  for (let i = k; i <= n; i++) {
    logs.push(logTerm);
    logTerm += Math.log((n - i) / (i + 1)) + lp - lq;
  }
  let top = -Infinity;
  for (const l of logs) if (l > top) top = l;
  const total = logs.reduce((acc, l) => acc + Math.exp(l - top), 0);
  return Math.min(1, Math.exp(top) * total);
}

/** Smallest k with P(Binomial(n, 1/2) ≥ k) < α: the discordant count that rejects a tie (n + 1 if none). */
export function binomialThreshold(n: number, alpha = ALPHA): number {
  for (let k = Math.ceil(n / 2); k <= n; k++) if (binomialUpperTail(n, k, 0.5) < alpha) return k;
  return n + 1;
}

/** Hoeffding: one-sided deviation radius of a mean of m values in a range of width `range`, at level α. */
export function hoeffdingRadius(m: number, range: number, alpha = ALPHA): number {
  return range * Math.sqrt(Math.log(1 / alpha) / (2 * m));
}

export interface PairedComparison {
  /** Sample size M. */
  m: number;
  accA: number;
  accB: number;
  /** Queries only A got right. */
  aOnly: number;
  /** Queries only B got right. */
  bOnly: number;
  /** One-sided exact McNemar p-value for "B is more accurate than A": P(Bin(aOnly + bOnly, 1/2) ≥ bOnly). */
  pBBetter: number;
  /** The same for "A is more accurate than B". */
  pABetter: number;
  /** The largest accuracy excess of B over A that does not reject H0 acc(A) ≥ acc(B) at α. */
  tolerance: number;
}

/** Paired comparison of two rules' correctness on the same queries. */
export function pairedComparison(correctA: readonly boolean[], correctB: readonly boolean[], alpha = ALPHA): PairedComparison {
  const m = correctA.length;
  let aOnly = 0;
  let bOnly = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < m; i++) {
    if (correctA[i]) a++;
    if (correctB[i]) b++;
    if (correctA[i] && !correctB[i]) aOnly++;
    if (correctB[i] && !correctA[i]) bOnly++;
  }
  const n = aOnly + bOnly;
  const k = binomialThreshold(n, alpha);
  return {
    m,
    accA: a / m,
    accB: b / m,
    aOnly,
    bOnly,
    pBBetter: binomialUpperTail(n, bOnly, 0.5),
    pABetter: binomialUpperTail(n, aOnly, 0.5),
    // bOnly − aOnly at the threshold, as an accuracy gap.
    tolerance: (2 * (k - 1) - n) / m,
  };
}

/** A's accuracy is never below B's beyond the binomial bound: H0 acc(A) ≥ acc(B) is not rejected at α. */
export function notSignificantlyWorse(c: PairedComparison, alpha = ALPHA): boolean {
  return c.pBBetter >= alpha;
}

/** A is significantly more accurate than B: H0 acc(A) ≤ acc(B) is rejected at α. */
export function significantlyBetter(c: PairedComparison, alpha = ALPHA): boolean {
  return c.pABetter < alpha;
}

export function describe(c: PairedComparison): string {
  return `M=${c.m} accA=${c.accA.toFixed(4)} accB=${c.accB.toFixed(4)} onlyA=${c.aOnly} onlyB=${c.bOnly} p(B>A)=${c.pBBetter.toExponential(2)} p(A>B)=${c.pABetter.toExponential(2)}`;
}

/** Sign test on paired real differences: p-value of seeing ≥ `positives` positive signs out of the non-zero ones under symmetry. */
export function signTest(diffs: readonly number[]): { positives: number; negatives: number; pPositive: number; pNegative: number } {
  const positives = diffs.filter((v) => v > 0).length;
  const negatives = diffs.filter((v) => v < 0).length;
  const n = positives + negatives;
  return { positives, negatives, pPositive: binomialUpperTail(n, positives, 0.5), pNegative: binomialUpperTail(n, negatives, 0.5) };
}
