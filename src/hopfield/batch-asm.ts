/**
 * The sort kernel of batch-kernel.ts written in asm.js — the same keys, two stable radix passes,
 * insertion fix (native sort past its budget) and weighted sums, in the same order, but as one
 * function with the per-pair helpers inlined, and the radix passes skipped only when both digits are
 * constant (the TypeScript kernel skips each pass on its own). asm.js is the typed subset of
 * JavaScript ("use asm") that V8 validates and compiles ahead of time to WebAssembly. It is still
 * plain JavaScript source (an engine without asm.js support runs it as ordinary JS, with the same
 * results), but in V8 it runs without the per-access checks that cap the TypeScript kernel: in the
 * TS kernel every typed-array access inside the inner loops re-checked the array's map and bounds
 * (visible in the generated code), here the heap is one linear memory with guard pages. Measured
 * 1.6–2× faster per pair at d = 64 and d = 784 (docs/bench.md), with bit-for-bit the same scores
 * (spec/batch.test.ts checks it): same operations, same order.
 *
 * Why a string: asm.js types are spelt in the syntax (`x | 0` is an int, `+x` a double, `0.0` a
 * double literal), and the TypeScript transpiler rewrites exactly those (it prints `0.0` as `0` and
 * drops the "use asm" directive), so the module must reach V8 as written. It is compiled once per
 * thread with `new Function`. If V8 ever rejected it, it would print an "Invalid asm.js" warning
 * and run it as JS (slower, still correct); spec/batch.test.ts fails on that warning.
 *
 * Memory: one ArrayBuffer heap per thread holds the scratch of the sort and a copy of the job's
 * inputs (all offsets in bytes):
 *   scratch: dis (8d) · dot (8d) · dis after pass 1 (8d) · dot after pass 1 (8d) ·
 *            keys dis, dot (4d each) · keys after pass 1 (4d each) · counts (4·2^D ints) · offsets (4·2^D ints)
 *   then memories (8Nd) · queries (8Bd) · maxM (8N) · maxQ (8B) · cDis (8d) · cDot (8d) · out (8BN).
 *
 * Like batch-kernel.ts, the functions below the source are self-contained (no imports, no
 * module-level references) because batch-pool.ts ships their text to worker threads.
 */

/** Body of the asm.js module function (stdlib, foreign, heap). */
export const ASM_SOURCE = String.raw`"use asm";
var F = new stdlib.Float64Array(heap);
var I = new stdlib.Int32Array(heap);
var imul = stdlib.Math.imul;
var nativeSort = foreign.nativeSort;

// Ascending insertion pass over the d doubles at byte offset base; 0 once more than budget moves.
function insertionFix(base, d, budget) {
  base = base | 0;
  d = d | 0;
  budget = budget | 0;
  var i = 0, j = 0, end = 0, x = 0.0, prev = 0.0;
  end = (base + (d << 3)) | 0;
  prev = +F[base >> 3];
  for (i = (base + 8) | 0; (i | 0) < (end | 0); i = (i + 8) | 0) {
    x = +F[i >> 3];
    if (x < prev) {
      j = (i - 8) | 0;
      do {
        F[(j + 8) >> 3] = +F[j >> 3];
        j = (j - 8) | 0;
        budget = (budget - 1) | 0;
      } while (((j | 0) >= (base | 0)) & (+F[j >> 3] > x));
      F[(j + 8) >> 3] = x;
      if ((budget | 0) < 0) return 0;
    } else prev = x;
  }
  return 1;
}

// Σ_i c_i v_i over d doubles at byte offsets c and v, four accumulators.
function weightedSum(c, v, d) {
  c = c | 0;
  v = v | 0;
  d = d | 0;
  var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0, d8 = 0, n4 = 0;
  d8 = d << 3;
  n4 = (d8 - 24) | 0;
  for (i = 0; (i | 0) < (n4 | 0); i = (i + 32) | 0) {
    s0 = s0 + +F[(c + i) >> 3] * +F[(v + i) >> 3];
    s1 = s1 + +F[(c + i + 8) >> 3] * +F[(v + i + 8) >> 3];
    s2 = s2 + +F[(c + i + 16) >> 3] * +F[(v + i + 16) >> 3];
    s3 = s3 + +F[(c + i + 24) >> 3] * +F[(v + i + 24) >> 3];
  }
  for (; (i | 0) < (d8 | 0); i = (i + 8) | 0) s0 = s0 + +F[(c + i) >> 3] * +F[(v + i) >> 3];
  return +(s0 + s1 + (s2 + s3));
}

// Scores pairs (q, k), q in [q0, q1), k in [k0, k1), into out[q·n + k]. See batch-kernel.ts.
function scoreBlock(mem, qs, d, n, maxM, maxQ, cDis, cDot, sorted, out, q0, q1, k0, k1, sc, D, R) {
  mem = mem | 0;
  qs = qs | 0;
  d = d | 0;
  n = n | 0;
  maxM = maxM | 0;
  maxQ = maxQ | 0;
  cDis = cDis | 0;
  cDot = cDot | 0;
  sorted = sorted | 0;
  out = out | 0;
  q0 = q0 | 0;
  q1 = q1 | 0;
  k0 = k0 | 0;
  k1 = k1 | 0;
  sc = sc | 0;
  D = D | 0;
  R = R | 0;
  var q = 0, k = 0, i = 0, j = 0, d8 = 0, mo = 0, xo = 0;
  var fd = 0, fp = 0, td = 0, tp = 0, kd = 0, kp = 0, tkd = 0, tkp = 0, cnt = 0, off = 0;
  var NB = 0, MASK = 0, TOP = 0, shiftDis = 0, shiftDot = 0, budget = 0;
  var floorDis = 0, floorDot = 0, a = 0, u = 0, h = 0, s = 0, pa = 0, pu = 0;
  var o0 = 0, o1 = 0, o2 = 0, o3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, a0 = 0, u0 = 0, same = 0;
  var mq = 0.0, mm = 0.0, sum = 0.0, m = 0.0, x = 0.0, df = 0.0, sd = 0.0, sp = 0.0;
  d8 = d << 3;
  if (!sorted) {
    // The no-sort ablation: weights in dimension order, one fused loop.
    for (q = q0; (q | 0) < (q1 | 0); q = (q + 1) | 0) {
      xo = (qs + imul(q, d8)) | 0;
      for (k = k0; (k | 0) < (k1 | 0); k = (k + 1) | 0) {
        mo = (mem + imul(k, d8)) | 0;
        sd = 0.0;
        sp = 0.0;
        for (i = 0; (i | 0) < (d8 | 0); i = (i + 8) | 0) {
          m = +F[(mo + i) >> 3];
          x = +F[(xo + i) >> 3];
          df = m - x;
          sd = sd + +F[(cDis + i) >> 3] * (df * df);
          sp = sp + +F[(cDot + i) >> 3] * (m * x);
        }
        F[(out + (imul((imul(q, n) + k) | 0, 8) | 0)) >> 3] = sd + sp;
      }
    }
    return;
  }
  fd = sc;
  fp = (sc + d8) | 0;
  td = (fp + d8) | 0;
  tp = (td + d8) | 0;
  kd = (tp + d8) | 0;
  kp = (kd + (d << 2)) | 0;
  tkd = (kp + (d << 2)) | 0;
  tkp = (tkd + (d << 2)) | 0;
  cnt = (tkp + (d << 2)) | 0;
  NB = 1 << D;
  off = (cnt + (NB << 4)) | 0;
  MASK = (NB - 1) | 0;
  TOP = ((1 << ((20 + R) | 0)) - 1) | 0;
  shiftDis = (20 + R - (D << 1)) | 0;
  shiftDot = (21 + R - (D << 1)) | 0;
  budget = ((d << 3) + 64) | 0;
  for (q = q0; (q | 0) < (q1 | 0); q = (q + 1) | 0) {
    xo = (qs + imul(q, d8)) | 0;
    mq = +F[(maxQ + (q << 3)) >> 3];
    for (k = k0; (k | 0) < (k1 | 0); k = (k + 1) | 0) {
      mo = (mem + imul(k, d8)) | 0;
      mm = +F[(maxM + (k << 3)) >> 3];
      // Window anchors: high words of the per-pair bounds (read through the spare slot td).
      sum = mm + mq;
      F[td >> 3] = sum * sum;
      floorDis = ((I[(td + 4) >> 2] | 0) - TOP) | 0;
      F[td >> 3] = mm * mq;
      floorDot = ((I[(td + 4) >> 2] | 0) - TOP) | 0;
      // Values.
      for (i = 0; (i | 0) < (d8 | 0); i = (i + 8) | 0) {
        m = +F[(mo + i) >> 3];
        x = +F[(xo + i) >> 3];
        df = m - x;
        F[(fd + i) >> 3] = df * df;
        F[(fp + i) >> 3] = m * x;
      }
      // Keys and the four histograms.
      for (i = 0; (i | 0) < (d | 0); i = (i + 1) | 0) {
        a = ((I[(fd + (i << 3) + 4) >> 2] | 0) - floorDis) | 0;
        a = a & ~(a >> 31);
        if ((a | 0) > (TOP | 0)) a = TOP;
        a = a >> shiftDis;
        h = I[(fp + (i << 3) + 4) >> 2] | 0;
        s = h >> 31;
        u = ((h & 0x7fffffff) - floorDot) | 0;
        u = u & ~(u >> 31);
        if ((u | 0) > (TOP | 0)) u = TOP;
        u = ((TOP + (((u ^ s) - s) | 0)) | 0) >> shiftDot;
        I[(kd + (i << 2)) >> 2] = a;
        I[(kp + (i << 2)) >> 2] = u;
        // Histogram increments written out: a helper function call here is not inlined (2x slower).
        j = (cnt + ((a & MASK) << 2)) | 0;
        I[j >> 2] = ((I[j >> 2] | 0) + 1) | 0;
        j = (cnt + ((NB + (a >> D)) << 2)) | 0;
        I[j >> 2] = ((I[j >> 2] | 0) + 1) | 0;
        j = (cnt + ((((NB << 1) + (u & MASK)) | 0) << 2)) | 0;
        I[j >> 2] = ((I[j >> 2] | 0) + 1) | 0;
        j = (cnt + ((((NB << 1) + NB + (u >> D)) | 0) << 2)) | 0;
        I[j >> 2] = ((I[j >> 2] | 0) + 1) | 0;
      }
      // Both digits constant for both arrays: already in key order.
      a0 = I[kd >> 2] | 0;
      u0 = I[kp >> 2] | 0;
      same = ((I[(cnt + ((a0 & MASK) << 2)) >> 2] | 0) == (d | 0)) &
        ((I[(cnt + ((NB + (a0 >> D)) << 2)) >> 2] | 0) == (d | 0)) &
        ((I[(cnt + ((((NB << 1) + (u0 & MASK)) | 0) << 2)) >> 2] | 0) == (d | 0)) &
        ((I[(cnt + ((((NB << 1) + NB + (u0 >> D)) | 0) << 2)) >> 2] | 0) == (d | 0));
      // Exclusive prefix sums into offsets, zeroing counts.
      o0 = 0;
      o1 = 0;
      o2 = 0;
      o3 = 0;
      for (j = 0; (j | 0) < (NB | 0); j = (j + 1) | 0) {
        c0 = I[(cnt + (j << 2)) >> 2] | 0;
        c1 = I[(cnt + ((NB + j) << 2)) >> 2] | 0;
        c2 = I[(cnt + ((((NB << 1) + j) | 0) << 2)) >> 2] | 0;
        c3 = I[(cnt + ((((NB << 1) + NB + j) | 0) << 2)) >> 2] | 0;
        I[(cnt + (j << 2)) >> 2] = 0;
        I[(cnt + ((NB + j) << 2)) >> 2] = 0;
        I[(cnt + ((((NB << 1) + j) | 0) << 2)) >> 2] = 0;
        I[(cnt + ((((NB << 1) + NB + j) | 0) << 2)) >> 2] = 0;
        I[(off + (j << 2)) >> 2] = o0;
        I[(off + ((NB + j) << 2)) >> 2] = o1;
        I[(off + ((((NB << 1) + j) | 0) << 2)) >> 2] = o2;
        I[(off + ((((NB << 1) + NB + j) | 0) << 2)) >> 2] = o3;
        o0 = (o0 + c0) | 0;
        o1 = (o1 + c1) | 0;
        o2 = (o2 + c2) | 0;
        o3 = (o3 + c3) | 0;
      }
      if (!same) {
        // Pass 1, low digit, stable, carrying keys.
        for (i = 0; (i | 0) < (d | 0); i = (i + 1) | 0) {
          a = I[(kd + (i << 2)) >> 2] | 0;
          u = I[(kp + (i << 2)) >> 2] | 0;
          j = (off + ((a & MASK) << 2)) | 0;
          pa = I[j >> 2] | 0;
          I[j >> 2] = (pa + 1) | 0;
          j = (off + ((((NB << 1) + (u & MASK)) | 0) << 2)) | 0;
          pu = I[j >> 2] | 0;
          I[j >> 2] = (pu + 1) | 0;
          F[(td + (pa << 3)) >> 3] = +F[(fd + (i << 3)) >> 3];
          I[(tkd + (pa << 2)) >> 2] = a;
          F[(tp + (pu << 3)) >> 3] = +F[(fp + (i << 3)) >> 3];
          I[(tkp + (pu << 2)) >> 2] = u;
        }
        // Pass 2, high digit, stable, back into dis/dot.
        for (i = 0; (i | 0) < (d | 0); i = (i + 1) | 0) {
          a = I[(tkd + (i << 2)) >> 2] | 0;
          u = I[(tkp + (i << 2)) >> 2] | 0;
          j = (off + ((NB + (a >> D)) << 2)) | 0;
          pa = I[j >> 2] | 0;
          I[j >> 2] = (pa + 1) | 0;
          j = (off + ((((NB << 1) + NB + (u >> D)) | 0) << 2)) | 0;
          pu = I[j >> 2] | 0;
          I[j >> 2] = (pu + 1) | 0;
          F[(fd + (pa << 3)) >> 3] = +F[(td + (i << 3)) >> 3];
          F[(fp + (pu << 3)) >> 3] = +F[(tp + (i << 3)) >> 3];
        }
      }
      if (!(insertionFix(fd, d, budget) | 0)) nativeSort(fd | 0, d | 0);
      if (!(insertionFix(fp, d, budget) | 0)) nativeSort(fp | 0, d | 0);
      F[(out + (imul((imul(q, n) + k) | 0, 8) | 0)) >> 3] = +weightedSum(cDis, fd, d) + +weightedSum(cDot, fp, d);
    }
  }
}

return { scoreBlock: scoreBlock };
`;

/** A compiled asm.js module: call it with (stdlib, foreign, heap) to link it to a heap. */
export type AsmModule = (stdlib: typeof globalThis, foreign: { nativeSort: (offset: number, length: number) => void }, heap: ArrayBuffer) => {
  scoreBlock: (...args: number[]) => void;
};

/** One thread's linked module, its heap and the layout of the job loaded into it (byte offsets). */
export interface AsmRunner {
  heap: ArrayBuffer;
  f: Float64Array;
  scoreBlock: (...args: number[]) => void;
  n: number;
  d: number;
  b: number;
  digitBits: number;
  sc: number;
  mem: number;
  qs: number;
  maxM: number;
  maxQ: number;
  cDis: number;
  cDot: number;
  out: number;
}

/**
 * Links `module` to a heap big enough for the job (reusing `previous` when it is) and copies the
 * inputs in. Returns null when the job needs more than 1 GiB of heap (the caller then uses the
 * TypeScript kernel). asm.js heaps must be a power of two ≥ 4 KiB up to 16 MiB, then a multiple
 * of 16 MiB.
 */
export function asmLoad(
  module: AsmModule,
  previous: AsmRunner | null,
  mem: Float64Array,
  qs: Float64Array,
  maxM: Float64Array,
  maxQ: Float64Array,
  cDis: Float64Array,
  cDot: Float64Array,
  n: number,
  d: number,
  b: number,
  digitBits: number,
): AsmRunner | null {
  const scratchBytes = 48 * d + (32 << digitBits);
  let o = scratchBytes + (scratchBytes % 8);
  const place = (count: number) => {
    const at = o;
    o += 8 * count;
    return at;
  };
  const layout = {
    n,
    d,
    b,
    digitBits,
    sc: 0,
    mem: place(n * d),
    qs: place(b * d),
    maxM: place(n),
    maxQ: place(b),
    cDis: place(d),
    cDot: place(d),
    out: place(b * n),
  };
  if (o > 1 << 30) return null;
  let r = previous;
  if (r === null || r.heap.byteLength < o) {
    let size = 1 << 16;
    while (size < o && size < 1 << 24) size *= 2;
    if (size < o) size = Math.ceil(o / (1 << 24)) * (1 << 24);
    const heap = new ArrayBuffer(size);
    const f = new Float64Array(heap);
    const foreign = {
      nativeSort: (offset: number, length: number) => {
        f.subarray(offset >> 3, (offset >> 3) + length).sort();
      },
    };
    r = { ...layout, heap, f, scoreBlock: module(globalThis, foreign, heap).scoreBlock };
  } else {
    r = { ...r, ...layout };
    // The kernel expects zero counters (it re-zeroes them after every pair); the previous job may
    // have left anything where this layout puts them.
    r.f.fill(0, 0, scratchBytes >> 3);
  }
  const f = r.f;
  f.set(mem, r.mem >> 3);
  f.set(qs, r.qs >> 3);
  f.set(maxM, r.maxM >> 3);
  f.set(maxQ, r.maxQ >> 3);
  f.set(cDis, r.cDis >> 3);
  f.set(cDot, r.cDot >> 3);
  return r;
}

/** Scores pairs (q, k), q in [q0, q1), k in [k0, k1), with the loaded job, into out[q·n + k]. */
export function asmScore(r: AsmRunner, sorted: boolean, out: Float64Array, q0: number, q1: number, k0: number, k1: number): void {
  const R = 5;
  r.scoreBlock(r.mem, r.qs, r.d, r.n, r.maxM, r.maxQ, r.cDis, r.cDot, sorted ? 1 : 0, r.out, q0, q1, k0, k1, r.sc, r.digitBits, R);
  const base = r.out >> 3;
  for (let q = q0; q < q1; q++) {
    const from = base + q * r.n;
    out.set(r.f.subarray(from + k0, from + k1), q * r.n + k0);
  }
}

/** Compiles the module (once per thread). */
export function compileAsm(source: string): AsmModule {
  return new Function('stdlib', 'foreign', 'heap', source) as AsmModule;
}
