/**
 * Code generation for the bitonic sorting network that the gpu.js kernels run.
 *
 * gpu.js kernels cannot hold arrays in registers, so the network is unrolled into straight-line
 * JavaScript (which gpu.js then translates to WGSL, GLSL, WebAssembly or plain JS): each slot of
 * the network is a named local, each compare-exchange a `Math.max`/`Math.min` pair. The network
 * sorts in DESCENDING order (q̃_1 ≥ q̃_2 ≥ …), as the footprint wants.
 *
 * Slots past d (the padding up to a power of two) hold −∞. In a fully unrolled network the
 * generator knows at code-generation time which slots are padding and resolves every
 * compare-exchange against them by renaming instead of emitting code, so a d = 49 network does
 * not pay for the 15 padding slots of dpad = 64.
 */

/** Stand-in for −∞ in float32 kernels: below every finite q that a backend accepts. */
export const SENTINEL = -3.0e38;
export const SENTINEL_SRC = '-3.0e38';

export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function log2(n: number): number {
  return Math.round(Math.log2(n));
}

/** One step of the bitonic network: stage k (block size being merged), partner distance j. */
export interface Step {
  k: number;
  j: number;
}

/** All steps of a descending bitonic sort of n = 2^m slots, stages from..to (inclusive). */
export function bitonicSteps(n: number, fromStage = 2, toStage = n): Step[] {
  const steps: Step[] = [];
  for (let k = fromStage; k <= toStage; k *= 2) for (let j = k / 2; j >= 1; j /= 2) steps.push({ k, j });
  return steps;
}

/** Direction of a compare-exchange: 'desc' puts the larger value in the lower slot. */
export type Direction = 'desc' | 'asc' | { runtime: string };

/**
 * How compare-exchanges are written. 'minmax': single-assignment `Math.max`/`Math.min` pairs
 * (branch-free: what GPU and SIMD backends want). 'swap': in-place `if (a < b) swap` on `let`
 * slots — V8 does not optimise the minmax form of a large network (gpu.js's cpu backend ran a d = 64
 * network 20× slower than the swap form), so the cpu backend uses this one.
 */
export type NetworkStyle = 'minmax' | 'swap';

/** max/min of two expressions in the given style. */
export function maxOf(style: NetworkStyle, a: string, b: string): string {
  return style === 'minmax' ? `Math.max(${a}, ${b})` : `(${a} > ${b} ? ${a} : ${b})`;
}
export function minOf(style: NetworkStyle, a: string, b: string): string {
  return style === 'minmax' ? `Math.min(${a}, ${b})` : `(${a} < ${b} ? ${a} : ${b})`;
}

/**
 * Straight-line code over named values. A slot's value is an expression name, or null for a
 * padding slot known to hold −∞.
 */
export class Unroller {
  readonly lines: string[] = [];
  private counter = 0;
  constructor(
    private readonly prefix: string,
    readonly style: NetworkStyle = 'minmax',
  ) {
    if (style === 'swap') this.lines.push(`let ${prefix}swp = 0.0;`);
  }

  fresh(): string {
    return `${this.prefix}${this.counter++}`;
  }

  /** Declares a new value (`let` in swap style, where slots are reassigned) and returns its name. */
  let(expr: string): string {
    const name = this.fresh();
    this.lines.push(`${this.style === 'swap' ? 'let' : 'const'} ${name} = ${expr};`);
    return name;
  }

  /** Compare-exchange of slots lo < hi in place. */
  compareExchange(slots: (string | null)[], lo: number, hi: number, dir: Direction): void {
    let a = slots[lo];
    let b = slots[hi];
    if (a === null && b === null) return;
    if (typeof dir === 'string') {
      // −∞ is the smallest value: resolve by renaming, no code.
      if (b === null) {
        if (dir === 'asc') [slots[lo], slots[hi]] = [null, a];
        return;
      }
      if (a === null) {
        if (dir === 'desc') [slots[lo], slots[hi]] = [b, null];
        return;
      }
      if (this.style === 'swap') {
        this.swapIf(dir === 'desc' ? `${a} < ${b}` : `${a} > ${b}`, a, b);
        return;
      }
      const big = this.let(`Math.max(${a}, ${b})`);
      const small = this.let(`Math.min(${a}, ${b})`);
      [slots[lo], slots[hi]] = dir === 'desc' ? [big, small] : [small, big];
      return;
    }
    if (a === null) a = slots[lo] = this.let(SENTINEL_SRC);
    if (b === null) b = slots[hi] = this.let(SENTINEL_SRC);
    if (this.style === 'swap') {
      const r = dir.runtime;
      this.swapIf(`(${r} > 0 && ${a} < ${b}) || (${r} <= 0 && ${a} > ${b})`, a, b);
      return;
    }
    const big = this.let(`Math.max(${a}, ${b})`);
    const small = this.let(`Math.min(${a}, ${b})`);
    slots[lo] = this.let(`${dir.runtime} > 0 ? ${big} : ${small}`);
    slots[hi] = this.let(`${dir.runtime} > 0 ? ${small} : ${big}`);
  }

  private swapIf(condition: string, a: string, b: string): void {
    const t = `${this.prefix}swp`;
    this.lines.push(`if (${condition}) { ${t} = ${a}; ${a} = ${b}; ${b} = ${t}; }`);
  }

  /**
   * Runs the given steps over the slots (slot s stands for element base + s of the row, so the
   * slot count is a power of two and every partner s ^ j stays inside). `dirOf(s, k)` gives the
   * direction of the exchange whose lower slot is s in stage k.
   */
  network(slots: (string | null)[], steps: readonly Step[], dirOf: (s: number, k: number) => Direction): void {
    for (const { k, j } of steps) {
      for (let s = 0; s < slots.length; s++) {
        if ((s & j) !== 0) continue;
        this.compareExchange(slots, s, s | j, dirOf(s, k));
      }
    }
  }
}

/** Pairwise (tree) sum of expressions: float32 error grows with log2 of the count, not the count. */
export function pairwiseSum(terms: readonly string[]): string {
  if (terms.length === 0) return '0.0';
  if (terms.length === 1) return terms[0];
  const mid = terms.length >> 1;
  return `(${pairwiseSum(terms.slice(0, mid))} + ${pairwiseSum(terms.slice(mid))})`;
}

/** `if`-chain that picks slots[index] for a runtime index (the caller's `let` target). */
export function selectSlot(target: string, index: string, slots: readonly (string | null)[]): string[] {
  const lines = [`let ${target} = ${slots[0] ?? SENTINEL_SRC};`];
  for (let s = 1; s < slots.length; s++) lines.push(`if (${index} == ${s}) { ${target} = ${slots[s] ?? SENTINEL_SRC}; }`);
  return lines;
}

/**
 * Splits the steps of the multi-pass sort into passes. Stages up to `blockStage` run in the first
 * pass (a register sort of each aligned block); each later stage's steps are cut into runs of at
 * most `maxBits` consecutive partner distances, and the last stage's steps with j < `tailBelow`
 * are left out (the caller runs them elsewhere, e.g. in the dot-product kernel's registers).
 */
export function planPasses(dpad: number, blockStage: number, maxBits: number, tailBelow: number): Step[][] {
  const passes: Step[][] = [];
  for (let k = blockStage * 2; k <= dpad; k *= 2) {
    const js: number[] = [];
    for (let j = k / 2; j >= 1; j /= 2) if (k !== dpad || j >= tailBelow) js.push(j);
    if (js.length === 0) continue;
    // As few passes as maxBits allows, as even as possible (7 steps at 3 bits: 3 + 2 + 2).
    const count = Math.ceil(js.length / maxBits);
    for (let p = 0, i = 0; p < count; p++) {
      const size = Math.floor(js.length / count) + (p < js.length % count ? 1 : 0);
      passes.push(js.slice(i, i + size).map((j) => ({ k, j })));
      i += size;
    }
  }
  return passes;
}
