/**
 * Sources of the gpu.js kernels for the batched A-Hop hot loop, generated as JavaScript strings
 * (gpu.js translates them per backend). Every loop in a generated kernel has a literal bound of at
 * most MAX_LOOP iterations: the software GL driver silently stops long loops, and gpu.js caps
 * argument-bounded loops at `loopMaxIterations`; literal bounds keep the iteration count exact
 * everywhere, and MAX_LOOP keeps every thread short.
 *
 * Layouts (gpu.js arrays are indexed [z][y][x], x fastest):
 * - memories: [d, N] (mem[k][i]), queries: [d, B] (qry[b][i]);
 * - coefficient table cc: [w, 2], cc[0][r] = β_dis c_dis,r and cc[1][r] = β_dot c_dot,r, where r
 *   is the position in descending order (or the dimension itself when sorting is ablated) and
 *   c is the suffix sum of w (or w itself when U is ablated); zero past d;
 * - sort intermediates: [dpad, 2·Nc, Bc]: x = position in the row, y = 2·(memory) + (0 dis | 1 dot),
 *   z = query.
 */
import {
  SENTINEL_SRC,
  Unroller,
  bitonicSteps,
  log2,
  maxOf,
  minOf,
  pairwiseSum,
  selectSlot,
  type Direction,
  type NetworkStyle,
  type Step,
} from './network.ts';

/** Longest loop any generated kernel thread runs. */
export const MAX_LOOP = 1024;

/** Up to this padded width the whole row is sorted in one thread's registers (one kernel per pair). */
export const FUSED_MAX_DPAD = 64;
/** First pass of the multi-pass sort: register sort of aligned blocks of this many elements. */
export const BLOCK = 16;
/** Most partner distances (network steps) one merge pass covers. */
export const MERGE_BITS = 3;
/** Tile of the dot-product kernel; the final stage's steps below it run in its registers. */
export const TAIL = 64;

function body(args: readonly string[], lines: readonly string[]): string {
  return `function (${args.join(', ')}) {\n  ${lines.join('\n  ')}\n}`;
}

/** q_i for base 'dis' or 'dot' from the loaded values m (memory) and x (query). */
function baseExpr(base: 0 | 1, m: string, x: string): string {
  return base === 0 ? `-((${m} - ${x}) * (${m} - ${x}))` : `${m} * ${x}`;
}

/**
 * Fused kernel (d ≤ FUSED_MAX_DPAD): one thread per (memory, query) pair loads ξ and x once, forms q
 * for both bases, sorts each in registers and returns Σ_r ca_r q̃dis_r + Σ_r cb_r q̃dot_r: the score.
 *
 * The coefficients come in as 2d scalar arguments `ca0…`, `cb0…` (β c for dis and dot) rather
 * than an array: on llvmpipe a storage-buffer read is a per-lane gather costing nanoseconds, and
 * these values are the same for every thread, while scalar arguments live in a uniform buffer.
 * With `perQuery` the query's d values come in the same way (`x0…`): one call per query, output
 * [Nc]; otherwise they are read from qry [d, Bc], output [Nc, Bc].
 */
export function fusedScoreSource(d: number, sort: boolean, style: NetworkStyle, perQuery: boolean): string {
  const u = new Unroller('t', style);
  const lines = ['const k = this.thread.x;'];
  if (!perQuery) lines.push('const b = this.thread.y;');
  const q: [string[], string[]] = [[], []];
  for (let i = 0; i < d; i++) {
    lines.push(`const m${i} = mem[k][${i}];`);
    if (!perQuery) lines.push(`const x${i} = qry[b][${i}];`);
    for (const base of [0, 1] as const) q[base].push(u.let(baseExpr(base, `m${i}`, `x${i}`)));
  }
  const sums = ([0, 1] as const).map((base) => {
    const slots = sortSlots(u, q[base], sort);
    return u.let(pairwiseSum(slots.map((v, r) => `${base === 0 ? 'ca' : 'cb'}${r} * ${v}`)));
  });
  const args = ['mem', ...(perQuery ? scalarNames('x', d) : ['qry']), ...scalarNames('ca', d), ...scalarNames('cb', d)];
  return body(args, [...lines, ...u.lines, `return ${sums[0]} + ${sums[1]};`]);
}

/** name0, name1, …, name(d−1). */
export function scalarNames(name: string, d: number): string[] {
  return Array.from({ length: d }, (_, i) => `${name}${i}`);
}

/** Copies an array to the device (a pipeline kernel's output stays there): [x, y] → [x, y]. */
export function copySource(): string {
  return body(['a'], ['return a[this.thread.y][this.thread.x];']);
}

/** Sorts the named values descending in registers (when `sort`): the names of the sorted slots. */
function sortSlots(u: Unroller, values: readonly string[], sort: boolean): string[] {
  const d = values.length;
  let width = 1;
  while (width < d) width *= 2;
  const slots: (string | null)[] = Array.from({ length: width }, (_, i) => (i < d ? values[i] : null));
  if (sort) u.network(slots, bitonicSteps(width), (s, k) => ((s & k) === 0 ? 'desc' : 'asc'));
  return slots.slice(0, d).map((s) => {
    if (s === null) throw new Error('internal: a padding slot sorted ahead of a real value');
    return s;
  });
}

/** q for d elements in registers, sorted descending when `sort`: the names of the d slots. */
function sortedSlots(u: Unroller, d: number, sort: boolean, q: (i: number) => string): string[] {
  return sortSlots(
    u,
    Array.from({ length: d }, (_, i) => u.let(q(i))),
    sort,
  );
}

/**
 * Fused footprint kernel (d ≤ FUSED_MAX_DPAD): thread (j, row) returns ftpt_j of its row, i.e. the
 * j-th running sum of q sorted descending (or q̃_j itself without U). Output [d, R].
 * Inputs xi, x: [d, R]; `base` 0 dis, 1 dot.
 */
export function fusedFootprintSource(d: number, base: 0 | 1, sort: boolean, cumulative: boolean, style: NetworkStyle): string {
  const u = new Unroller('t', style);
  const lines = ['const j = this.thread.x;', 'const row = this.thread.y;'];
  for (let i = 0; i < d; i++) lines.push(`const m${i} = xi[row][${i}];`, `const x${i} = x[row][${i}];`);
  const slots = sortedSlots(u, d, sort, (i) => baseExpr(base, `m${i}`, `x${i}`));
  let out = slots;
  if (cumulative) {
    out = [slots[0]];
    for (let r = 1; r < d; r++) out.push(u.let(`${out[r - 1]} + ${slots[r]}`));
  }
  lines.push(...u.lines, ...selectSlot('r', 'j', out), 'return r;');
  return body(['xi', 'x'], lines);
}

/**
 * Pass 1 of the multi-pass sort: thread (i, y, z) forms q for the aligned block of BLOCK elements
 * holding i (−∞ past d), sorts the block in registers through stages 2..BLOCK, and returns the
 * value at its own slot. With `source: 'pairs'` q comes from mem/qry (y = 2·memory + base);
 * with `source: 'rows'` from xi/x row y (one base for all rows, the footprint).
 */
export function blockSortSource(
  d: number,
  dpad: number,
  source: { pairs: true } | { rows: true; base: 0 | 1 },
  style: NetworkStyle,
): string {
  const block = Math.min(BLOCK, dpad);
  const u = new Unroller('t', style);
  const decl = style === 'swap' ? 'let' : 'const';
  const lines = ['const i = this.thread.x;', 'const y = this.thread.y;', 'const z = this.thread.z;'];
  lines.push(`const g0 = i - (i & ${block - 1});`);
  if ('pairs' in source) lines.push('const row = y >> 1;', 'const isDot = y & 1;');
  const slots: (string | null)[] = [];
  for (let s = 0; s < block; s++) {
    lines.push(`const e${s} = g0 + ${s};`, `const c${s} = e${s} < ${d} ? e${s} : ${d - 1};`);
    if ('pairs' in source) {
      lines.push(`const m${s} = mem[row][c${s}];`, `const x${s} = qry[z][c${s}];`);
      lines.push(`const q${s} = isDot > 0 ? ${baseExpr(1, `m${s}`, `x${s}`)} : ${baseExpr(0, `m${s}`, `x${s}`)};`);
    } else {
      lines.push(`const m${s} = xi[y][c${s}];`, `const x${s} = x[y][c${s}];`);
      lines.push(`const q${s} = ${baseExpr(source.base, `m${s}`, `x${s}`)};`);
    }
    lines.push(`${decl} v${s} = e${s} < ${d} ? q${s} : ${SENTINEL_SRC};`);
    slots.push(`v${s}`);
  }
  // Stage `block` merges into blocks of 2·block whose direction alternates with bit `block` of i
  // (the last stage, k = dpad, is always descending).
  if (block < dpad) lines.push(`const dr = 1 - ((i >> ${log2(block)}) & 1);`);
  const dirOf = (s: number, k: number): Direction =>
    k < block ? ((s & k) === 0 ? 'desc' : 'asc') : block < dpad ? { runtime: 'dr' } : 'desc';
  u.network(slots, bitonicSteps(block), dirOf);
  lines.push(...u.lines, ...selectSlot('r', `(i & ${block - 1})`, slots), 'return r;');
  return body('pairs' in source ? ['mem', 'qry'] : ['xi', 'x'], lines);
}

/**
 * One merge pass: the given consecutive steps of stage k (partner distances j_1 > … > j_m) applied
 * to element i, computed from the 2^m elements i ^ (subsets of {j_t}) as a tree of 2^m − 1
 * max/min selections. Input and output [dpad, rows, Bc].
 */
export function mergePassSource(dpad: number, steps: readonly Step[], style: NetworkStyle): string {
  const k = steps[0].k;
  const js = steps.map((s) => s.j);
  const lines = ['const i = this.thread.x;', 'const y = this.thread.y;', 'const z = this.thread.z;'];
  // Element e's new value after step (k, j) is the max of (e, e ^ j) when e is the lower of the two
  // and the block is descending, or the upper and ascending: bit j of e equals bit k of e.
  lines.push(k < dpad ? `const kb = (i >> ${log2(k)}) & 1;` : 'const kb = 0;');
  js.forEach((j, t) => lines.push(`const s${t} = ((i >> ${log2(j)}) & 1) == kb ? 1 : 0;`));
  const u = new Unroller('n');
  // level[mask] = value of element i ^ mask after the steps applied so far (mask over later bits).
  let level = new Map<number, string>();
  const all = js.reduce((a, j) => a | j, 0);
  for (let mask = all; ; mask = (mask - 1) & all) {
    level.set(mask, u.let(mask === 0 ? 'a[z][y][i]' : `a[z][y][i ^ ${mask}]`));
    if (mask === 0) break;
  }
  js.forEach((j, t) => {
    const next = new Map<number, string>();
    for (const [mask, name] of level) {
      if ((mask & j) !== 0) continue;
      const other = level.get(mask | j)!;
      next.set(mask, u.let(`s${t} > 0 ? ${maxOf(style, name, other)} : ${minOf(style, name, other)}`));
    }
    level = next;
  });
  lines.push(...u.lines, `return ${level.get(0)};`);
  return body(['a'], lines);
}

/**
 * Dot-product kernel: thread (t, y, z) takes the tile of `tile` elements starting at tb = t·tile of row
 * y, runs the given trailing steps of the final (descending) stage in registers, and returns
 * Σ_s cc[base][tb + s] v_s with base = y & 1. With `fromPairs` the values are q computed
 * on the fly from mem/qry (no sorting: the ablation), zero past d. Output [dpad / tile, rows, Bc].
 */
export function tileDotSource(d: number, tile: number, trailing: readonly Step[], fromPairs: boolean, style: NetworkStyle): string {
  const u = new Unroller('t', style);
  const decl = style === 'swap' ? 'let' : 'const';
  const lines = ['const t = this.thread.x;', 'const y = this.thread.y;', 'const z = this.thread.z;', 'const base = y & 1;'];
  lines.push(`const tb = t * ${tile};`);
  if (fromPairs) lines.push('const row = y >> 1;', 'const isDot = base;');
  const slots: (string | null)[] = [];
  for (let s = 0; s < tile; s++) {
    if (fromPairs) {
      lines.push(`const e${s} = tb + ${s};`, `const c${s} = e${s} < ${d} ? e${s} : ${d - 1};`);
      lines.push(`const m${s} = mem[row][c${s}];`, `const x${s} = qry[z][c${s}];`);
      lines.push(`const q${s} = isDot > 0 ? ${baseExpr(1, `m${s}`, `x${s}`)} : ${baseExpr(0, `m${s}`, `x${s}`)};`);
      lines.push(`${decl} v${s} = e${s} < ${d} ? q${s} : 0.0;`);
    } else {
      lines.push(`${decl} v${s} = a[z][y][tb + ${s}];`);
    }
    slots.push(`v${s}`);
  }
  u.network(slots, trailing, () => 'desc');
  const terms = slots.map((v, s) => `cc[base][tb + ${s}] * ${v}`);
  lines.push(...u.lines, `return ${pairwiseSum(terms)};`);
  return body(fromPairs ? ['mem', 'qry', 'cc'] : ['a', 'cc'], lines);
}

/** Sums the T tile partials of both bases of pair (x = memory, y = query): the score. Output [Nc, Bc]. */
export function partialSumSource(tiles: number): string {
  const lines = ['const k = this.thread.x;', 'const b = this.thread.y;'];
  if (tiles <= 32) {
    const terms: string[] = [];
    for (let t = 0; t < tiles; t++) terms.push(`part[b][2 * k][${t}]`, `part[b][2 * k + 1][${t}]`);
    lines.push(`return ${pairwiseSum(terms)};`);
  } else {
    lines.push('let s = 0.0;', `for (let t = 0; t < ${tiles}; t++) {`, '  s += part[b][2 * k][t] + part[b][2 * k + 1][t];', '}', 'return s;');
  }
  return body(['part'], lines);
}

/**
 * Running sums along each sorted row (the footprint's U): thread (j, y) returns Σ_{r ≤ j} v_r, as
 * whole tiles of `tile` elements before j plus the partial tile. Input and output [w, R, 1].
 */
export function rowScanSource(tile: number, tiles: number): string {
  const lines = [
    'const j = this.thread.x;',
    'const y = this.thread.y;',
    'const z = this.thread.z;',
    `const t0 = j - (j & ${tile - 1});`,
    'let s = 0.0;',
    `for (let t = 0; t < ${tiles}; t++) {`,
    `  if (t * ${tile} < t0) { s += tsum[z][y][t]; }`,
    '}',
    `for (let u = 0; u < ${tile}; u++) {`,
    '  if (t0 + u <= j) { s += v[z][y][t0 + u]; }',
    '}',
    'return s;',
  ];
  return body(['v', 'tsum'], lines);
}

/** Tile sums of each row: thread (t, y) returns Σ_{u < tile} v[y][t·tile + u]. Output [w / tile, R, 1]. */
export function rowTileSumSource(tile: number): string {
  const terms = Array.from({ length: tile }, (_, u) => `v[z][y][t * ${tile} + ${u}]`);
  return body(['v'], ['const t = this.thread.x;', 'const y = this.thread.y;', 'const z = this.thread.z;', `return ${pairwiseSum(terms)};`]);
}

/** Keeps the first d of each row of w (drops the padding): output [d, R, 1]. */
export function cropSource(): string {
  return body(['v'], ['return v[this.thread.z][this.thread.y][this.thread.x];']);
}

// ---------- softmax, readout, energy over scores S [N, B] (s[b][k]) ----------

/** A loop over the memories k of tile t (those with k < n), running `update` for each. */
function overTile(tile: number, update: string): string[] {
  return [`for (let u = 0; u < ${tile}; u++) {`, `  const k = t * ${tile} + u;`, `  if (k < n) { ${update} }`, '}'];
}

/** Tile maxima: thread (t, b) returns max_{k in tile t, k < n} s[b][k]. Output [T, B]. */
export function tileMaxSource(tile: number): string {
  return body(
    ['s', 'n'],
    [
      'const t = this.thread.x;',
      'const b = this.thread.y;',
      `let m = ${SENTINEL_SRC};`,
      ...overTile(tile, 'm = Math.max(m, s[b][k]);'),
      'return m;',
    ],
  );
}

/** Tile sums Σ_{k in tile t} exp(s[b][k] − tmax[b][t]). Output [T, B]. */
export function tileSumExpSource(tile: number): string {
  return body(
    ['s', 'tmax', 'n'],
    [
      'const t = this.thread.x;',
      'const b = this.thread.y;',
      'const m = tmax[b][t];',
      'let z = 0.0;',
      ...overTile(tile, 'z += Math.exp(s[b][k] - m);'),
      'return z;',
    ],
  );
}

/** lse_b = M + log Σ_t z_t exp(m_t − M), M = max_t m_t, over `tiles` tiles. Output [B]. */
export function logSumExpSource(tiles: number): string {
  return body(
    ['tmax', 'tsum'],
    [
      'const b = this.thread.x;',
      `let m = ${SENTINEL_SRC};`,
      `for (let t = 0; t < ${tiles}; t++) { m = Math.max(m, tmax[b][t]); }`,
      'let z = 0.0;',
      `for (let t = 0; t < ${tiles}; t++) { z += tsum[b][t] * Math.exp(tmax[b][t] - m); }`,
      'return m + Math.log(z);',
    ],
  );
}

/** p[b][k] = exp(s[b][k] − lse_b). Output [N, B]. */
export function probSource(): string {
  return body(['s', 'lse'], ['return Math.exp(s[this.thread.y][this.thread.x] - lse[this.thread.y]);']);
}

/** Tile readouts Σ_{k in tile t} p[b][k] mem[k][j]: thread (j, t, b). Output [d, T, B]. */
export function tileReadoutSource(tile: number): string {
  return body(
    ['p', 'mem', 'n'],
    [
      'const j = this.thread.x;',
      'const t = this.thread.y;',
      'const b = this.thread.z;',
      'let y = 0.0;',
      ...overTile(tile, 'y += p[b][k] * mem[k][j];'),
      'return y;',
    ],
  );
}

/** y[b][j] = Σ_t part[b][t][j] over `tiles` tiles. Output [d, B]. */
export function readoutSumSource(tiles: number): string {
  return body(
    ['part'],
    [
      'let y = 0.0;',
      `for (let t = 0; t < ${tiles}; t++) { y += part[this.thread.y][t][this.thread.x]; }`,
      'return y;',
    ],
  );
}
