/**
 * The float64 hot loop behind `scoreBatch`: S[q·n + k] = Σ_i cDis_i · dis↑_i + Σ_i cDot_i · dot↑_i,
 * where dis↑ is (ξ_k − x_q)² and dot↑ is ξ_k ⊙ x_q, each sorted ascending (or left in dimension
 * order when sorting is ablated), and the coefficients already hold β, the suffix sums of w and the
 * order/sign conventions (see `coefficientsFor` in batch.ts).
 *
 * Why it is not `Float64Array.prototype.sort` (the readable reference's way): profiling showed two
 * native sorts of d doubles per pair taking ~85% of the time, so each pair's values are sorted by
 *
 *   1. a monotone integer key: the high 32 bits of the IEEE-754 pattern (sign, 11-bit exponent,
 *      20 mantissa bits) are order-preserving for non-negative doubles, and become so for signed
 *      ones after flipping the magnitude bits of negatives. The key is taken relative to a per-pair
 *      upper bound on |value| (from the row maxima, O(1) per pair) and clamped to a window of
 *      32 binades below it, then quantised to 2·D bits;
 *   2. a two-pass LSD radix sort on that key (digits of D bits; D from d, so 2^D counters are
 *      few compared with d), both passes for dis and dot interleaved in the same loops so the two
 *      independent counter chains overlap;
 *   3. an insertion pass that restores the exact float order: the key is monotone but not
 *      injective (values in the same quantisation cell, or below the window, share a key), so only
 *      neighbours with equal keys can be out of order, and the pass costs O(d + inversions). A move
 *      budget caps pathological inputs (everything in one cell): past it the native sort finishes.
 *
 * Correctness does not depend on the bound or the window: clamping keeps the key monotone, so the
 * radix pass always leaves an array whose only inversions the insertion pass removes. The bound
 * only decides how many such inversions there are (speed).
 *
 * This TypeScript version is the readable statement of the algorithm and the fallback; by default
 * scoreBatch runs the same kernel written in asm.js (batch-asm.ts), which V8 compiles to
 * WebAssembly without the per-access checks these typed-array loops pay. Both give bit-for-bit the
 * same scores (properties/batch-matches-reference.test.ts).
 *
 * The functions in this file are self-contained (they reference only their arguments, locals,
 * globals such as Math and each other), because batch-pool.ts ships their source text to worker
 * threads. Keep it that way: no imports, no module-level constants, no closures.
 */

/**
 * Per-thread buffers, sized for d and reused for every pair: nothing is allocated per pair.
 * Everything lives in one ArrayBuffer seen through two views, `f` (Float64) and `i32` (Int32),
 * because TurboFan re-checks the map and reloads the length of every typed array inside these
 * loops (measured in the generated code): a loop that touches two arrays pays for two checks per
 * iteration, not seven. Layout, in Float64 slots of `f`:
 *   [0, d) dis values · [d, 2d) dot values · [2d, 3d) dis after pass 1 · [3d, 4d) dot after pass 1
 * and in Int32 slots of `i32`, from `ints = 8d` on (the high word of f[j] is i32[2j + 1]):
 *   dis keys · dot keys · dis keys after pass 1 · dot keys after pass 1 (d each) ·
 *   counts (4 histograms of 2^D: dis low, dis high, dot low, dot high) · offsets (same shape).
 */
export interface KernelScratch {
  d: number;
  /** Bits per radix digit; the key has 2·D bits. */
  digitBits: number;
  /** The key window spans 2^R binades below the per-pair bound. */
  windowBits: number;
  f: Float64Array;
  i32: Int32Array;
}

/**
 * Digit width for dimension d. The prefix sum over 2^D counters is paid per pair, so small d wants
 * small digits, large d wants resolution (fewer equal keys for the insertion pass to sort out).
 * Measured (CPU time per pair, D ∈ 4…8, window 16 or 32 binades): d = 64 → D = 5, d = 784 → D = 7.
 * The window holds 2^R binades of 2^20 high-word units, so 2·D must stay ≤ 20 + R.
 */
export function digitBitsFor(d: number): number {
  if (d <= 24) return 4;
  if (d <= 96) return 5;
  if (d <= 320) return 6;
  if (d <= 2048) return 7;
  return 8;
}

export function createScratch(d: number, digitBits?: number, windowBits?: number): KernelScratch {
  const D = digitBits === undefined ? digitBitsFor(d) : digitBits;
  const R = windowBits === undefined ? 5 : windowBits;
  const ints = 12 * d + (8 << D);
  const buffer = new ArrayBuffer(4 * ints);
  return { d, digitBits: D, windowBits: R, f: new Float64Array(buffer, 0, 4 * d), i32: new Int32Array(buffer) };
}

/** max_i |a[r·d + i]| for each of the `rows` rows: the per-row factor of the per-pair bound. */
export function rowMaxAbs(a: Float64Array, rows: number, d: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let m = 0;
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const v = a[o + i];
      const x = v < 0 ? -v : v;
      if (x > m) m = x;
    }
    out[r] = m;
  }
}

/**
 * Restores ascending order of f[base, base + d) in place, assuming it is nearly sorted, and
 * returns false (leaving a permutation of the input) once more than `budget` element moves would
 * be needed, so the caller can fall back to the native sort.
 */
export function insertionFix(f: Float64Array, base: number, d: number, budget: number): boolean {
  let prev = f[base];
  const end = base + d;
  for (let i = base + 1; i < end; i++) {
    const x = f[i];
    if (x < prev) {
      let j = i - 1;
      do {
        f[j + 1] = f[j];
        j--;
      } while (j >= base && f[j] > x);
      f[j + 1] = x;
      budget -= i - 1 - j;
      if (budget < 0) return false;
    } else prev = x;
  }
  return true;
}

/**
 * cᵀ q̃ = Σ_i c_i f[base + i]: the weighted footprint in suffix-sum form over one sorted row of the
 * scratch (not the baselines' dotProduct ξᵀx: a strided typed-array kernel step, self-contained so
 * that batch-pool.ts can ship its text). Four accumulators: a single one makes the loop wait on the
 * add latency.
 */
export function weightedSum(c: Float64Array, f: Float64Array, base: number, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < d; i += 4) {
    s0 += c[i] * f[base + i];
    s1 += c[i + 1] * f[base + i + 1];
    s2 += c[i + 2] * f[base + i + 2];
    s3 += c[i + 3] * f[base + i + 3];
  }
  for (; i < d; i++) s0 += c[i] * f[base + i];
  return s0 + s1 + (s2 + s3);
}

/** f[i] = (ξ_i − x_i)², f[d + i] = ξ_i x_i for memory row `mo` and query row `xo`. */
export function pairValues(mem: Float64Array, mo: number, qs: Float64Array, xo: number, f: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    const m = mem[mo + i];
    const x = qs[xo + i];
    const df = m - x;
    f[i] = df * df;
    f[d + i] = m * x;
  }
}

/** Keys of dis and dot (see the file comment) and their four digit histograms. */
export function pairKeys(i32: Int32Array, d: number, D: number, R: number, floorDis: number, floorDot: number): void {
  const MASK = (1 << D) - 1;
  const kd = 8 * d;
  const kp = 9 * d;
  const c0 = 12 * d;
  const c1 = c0 + (1 << D);
  const c2 = c0 + (2 << D);
  const c3 = c0 + (3 << D);
  const dotHi = 2 * d + 1;
  const TOP = (1 << (20 + R)) - 1;
  const shiftDis = 20 + R - 2 * D;
  const shiftDot = 21 + R - 2 * D;
  for (let i = 0; i < d; i++) {
    let a = i32[2 * i + 1] - floorDis;
    a &= ~(a >> 31); // below the window → 0
    if (a > TOP) a = TOP; // never taken when the bound holds; keeps indices in range regardless
    a >>= shiftDis;
    const h = i32[dotHi + 2 * i];
    const s = h >> 31; // −1 for negative (and −0), else 0
    let u = (h & 0x7fffffff) - floorDot;
    u &= ~(u >> 31);
    if (u > TOP) u = TOP;
    u = (TOP + ((u ^ s) - s)) >> shiftDot; // negatives below TOP, larger magnitude lower
    i32[kd + i] = a;
    i32[kp + i] = u;
    i32[c0 + (a & MASK)]++;
    i32[c1 + (a >> D)]++;
    i32[c2 + (u & MASK)]++;
    i32[c3 + (u >> D)]++;
  }
}

/** Exclusive prefix sums of the four histograms into the offsets, zeroing the counts (no fill()). */
export function prefixSums(i32: Int32Array, d: number, D: number): void {
  const NB = 1 << D;
  const c = 12 * d;
  const o = c + 4 * NB;
  let o0 = 0;
  let o1 = 0;
  let o2 = 0;
  let o3 = 0;
  for (let j = 0; j < NB; j++) {
    const x0 = i32[c + j];
    const x1 = i32[c + NB + j];
    const x2 = i32[c + 2 * NB + j];
    const x3 = i32[c + 3 * NB + j];
    i32[c + j] = 0;
    i32[c + NB + j] = 0;
    i32[c + 2 * NB + j] = 0;
    i32[c + 3 * NB + j] = 0;
    i32[o + j] = o0;
    i32[o + NB + j] = o1;
    i32[o + 2 * NB + j] = o2;
    i32[o + 3 * NB + j] = o3;
    o0 += x0;
    o1 += x1;
    o2 += x2;
    o3 += x3;
  }
}

/** Stable radix pass on the low digit: f[0, 2d) → f[2d, 4d), carrying the keys along. */
export function lowPass(f: Float64Array, i32: Int32Array, d: number, D: number): void {
  const MASK = (1 << D) - 1;
  const kd = 8 * d;
  const kp = 9 * d;
  const td = 10 * d;
  const tp = 11 * d;
  const od = 12 * d + (4 << D);
  const op = od + (2 << D);
  const fd = 2 * d;
  const fp = 3 * d;
  for (let i = 0; i < d; i++) {
    const ka = i32[kd + i];
    const ku = i32[kp + i];
    const pa = i32[od + (ka & MASK)]++;
    const pu = i32[op + (ku & MASK)]++;
    f[fd + pa] = f[i];
    i32[td + pa] = ka;
    f[fp + pu] = f[d + i];
    i32[tp + pu] = ku;
  }
}

/**
 * Stable radix pass on the high digit into f[0, 2d): from f[2d, 4d) with the pass-1 keys
 * (afterLow), or from a copy of the values with the original keys (when pass 1 was skipped).
 */
export function highPass(f: Float64Array, i32: Int32Array, d: number, D: number, afterLow: boolean): void {
  const kd = afterLow ? 10 * d : 8 * d;
  const kp = kd + d;
  const od = 12 * d + (5 << D);
  const op = od + (2 << D);
  const fd = 2 * d;
  const fp = 3 * d;
  for (let i = 0; i < d; i++) {
    f[i32[od + (i32[kd + i] >> D)]++] = f[fd + i];
    f[d + i32[op + (i32[kp + i] >> D)]++] = f[fp + i];
  }
}

/** The no-sort ablation for one pair: values weighted in dimension order, one fused loop. */
export function unsortedPair(mem: Float64Array, mo: number, qs: Float64Array, xo: number, cDis: Float64Array, cDot: Float64Array, d: number): number {
  let sd = 0;
  let sp = 0;
  for (let i = 0; i < d; i++) {
    const m = mem[mo + i];
    const x = qs[xo + i];
    const df = m - x;
    sd += cDis[i] * (df * df);
    sp += cDot[i] * (m * x);
  }
  return sd + sp;
}

/**
 * Scores the pairs (q, k) for q in [q0, q1), k in [k0, k1) into out[q·n + k].
 * mem: n×d memories, qs: B×d queries (row-major); maxM, maxQ: their row maxima of |value|.
 * sorted = false is the no-sort ablation: the values are weighted in dimension order.
 * Each loop is a small function of its own: in one large function TurboFan kept more checks and
 * spills inside the inner loops.
 */
export function scoreBlock(
  mem: Float64Array,
  qs: Float64Array,
  d: number,
  n: number,
  maxM: Float64Array,
  maxQ: Float64Array,
  cDis: Float64Array,
  cDot: Float64Array,
  sorted: boolean,
  out: Float64Array,
  q0: number,
  q1: number,
  k0: number,
  k1: number,
  sc: KernelScratch,
): void {
  if (!sorted) {
    for (let q = q0; q < q1; q++) {
      for (let k = k0; k < k1; k++) out[q * n + k] = unsortedPair(mem, k * d, qs, q * d, cDis, cDot, d);
    }
    return;
  }
  const f = sc.f;
  const i32 = sc.i32;
  const D = sc.digitBits;
  const R = sc.windowBits;
  const NB = 1 << D;
  const MASK = NB - 1;
  const cnt = 12 * d;
  const TOP = (1 << (20 + R)) - 1;
  const word = 2 * d; // f[2d] is free until pass 1: a slot for reading the high word of a bound
  // Insertion budget: a few moves per element is the expected case; 8·d + 64 is far above it.
  const budget = 8 * d + 64;
  for (let q = q0; q < q1; q++) {
    const mq = maxQ[q];
    for (let k = k0; k < k1; k++) {
      const mm = maxM[k];
      // Per-pair bounds: (ξ_i − x_i)² ≤ (max|ξ| + max|x|)², |ξ_i x_i| ≤ max|ξ|·max|x| (rounding is
      // monotone, so the computed values obey them too). Their high words anchor the windows of
      // 32 binades (2^20 high-word units each) that the keys are clamped to.
      const sum = mm + mq;
      f[word] = sum * sum;
      const floorDis = i32[2 * word + 1] - TOP;
      f[word] = mm * mq;
      const floorDot = i32[2 * word + 1] - TOP;
      // Values in their own loop: reading the high word back through the Int32 view in the loop
      // that wrote the double measured slower (store-to-load forwarding stalls).
      pairValues(mem, k * d, qs, q * d, f, d);
      pairKeys(i32, d, D, R, floorDis, floorDot);
      // A digit that is the same for every element of both arrays needs no pass.
      const a0 = i32[8 * d];
      const u0 = i32[9 * d];
      const lowConst = i32[cnt + (a0 & MASK)] === d && i32[cnt + 2 * NB + (u0 & MASK)] === d;
      const highConst = i32[cnt + NB + (a0 >> D)] === d && i32[cnt + 3 * NB + (u0 >> D)] === d;
      prefixSums(i32, d, D);
      if (!lowConst) {
        lowPass(f, i32, d, D);
        if (!highConst) highPass(f, i32, d, D, true);
        else f.copyWithin(0, 2 * d, 4 * d);
      } else if (!highConst) {
        f.copyWithin(2 * d, 0, 2 * d);
        highPass(f, i32, d, D, false);
      }
      if (!insertionFix(f, 0, d, budget)) f.subarray(0, d).sort();
      if (!insertionFix(f, d, d, budget)) f.subarray(d, 2 * d).sort();
      out[q * n + k] = weightedSum(cDis, f, 0, d) + weightedSum(cDot, f, d, d);
    }
  }
}

/** The functions above, in an order in which their source texts can be concatenated. */
export const KERNEL_FUNCTIONS = [
  digitBitsFor,
  createScratch,
  rowMaxAbs,
  insertionFix,
  weightedSum,
  pairValues,
  pairKeys,
  prefixSums,
  lowPass,
  highPass,
  unsortedPair,
  scoreBlock,
];
