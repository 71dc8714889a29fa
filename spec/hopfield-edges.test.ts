/**
 * Edges of the A-Hop layer, the model file and streaming retrieval: bad input is a typed error
 * naming the field; a gradient that overflows float64 names which gradient; the model file is
 * two-space JSON with a final newline; streaming skips empty blocks, reports each block, keeps
 * non-library errors as they are, and reads out what the readable `retrieve` reads out.
 */
import { describe, expect, it } from 'vitest';
import { DomainError, ParseError, ShapeError } from '../src/errors.ts';
import { retrieve } from '../src/hopfield/ahop.ts';
import { checkLayerCotangent, checkLayerInputs, layerForward, layerVjp, type LayerInputs } from '../src/hopfield/layer.ts';
import { loadModel, saveModel } from '../src/hopfield/model-json.ts';
import { rowBlocks, seededMemoryBlocks, streamRetrieve, type BlockInfo } from '../src/hopfield/stream.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { initialParams } from '../src/train/init.ts';

/** Runs f and returns what it threw (fails the test if it returned). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw, but the call returned');
}

function expectTyped(f: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(type);
  expect((e as Error).message).toMatch(message);
}

// d = 1, only the dot similarity: s = β_dot w_dot ξ x, so ∂s/∂x = β_dot w_dot ξ and ∂s/∂ξ = β_dot w_dot x.
const dotOnly = (wDot: number, betaDot: number): AhopParams => ({ wDis: [0], wDot: [wDot], betaDis: 0, betaDot });

describe('the layer refuses inputs and cotangents that are not objects', () => {
  const good: LayerInputs = { queries: [[0, 1]], keys: [[1, 0], [0, 1]], values: [[1], [2]], params: initialParams(2) };
  const notObjects: [string, unknown][] = [['a number', 5], ['a string', 'x'], ['null', null], ['undefined', undefined], ['an array', [good]]];

  it.each(notObjects)('inputs that are %s are a ParseError naming inputs', (_, v) => {
    expectTyped(() => checkLayerInputs(v), ParseError, /^inputs must be an object$/);
    expectTyped(() => layerForward(v as LayerInputs), ParseError, /^inputs must be an object$/);
  });

  it.each(notObjects)('a cotangent that is %s is a ParseError naming cotangent', (_, v) => {
    expectTyped(() => checkLayerCotangent(v, 1, 1), ParseError, /^cotangent must be an object$/);
    expectTyped(() => layerVjp(good, v as never), ParseError, /^cotangent must be an object$/);
  });

  it('the layer refuses a cotangent whose retrieved rows do not match the batch, naming cotangent.retrieved', () => {
    // B = 1 query, but ȳ has two rows (each of the right width dv = 1).
    expectTyped(() => layerVjp(good, { retrieved: [[1], [0]], energy: [0] }), ShapeError, /^cotangent\.retrieved has 2 rows but there are B = 1 queries/);
    expectTyped(() => checkLayerCotangent({ retrieved: [[1]], energy: [0, 0] }, 2, 1), ShapeError, /^cotangent\.retrieved has 1 rows but there are B = 2/);
  });
});

describe('a gradient that overflows float64 is a DomainError naming which gradient', () => {
  // One key, so p = [1] and ∂L/∂s = p(a − pᵀa) − Ē p = −Ē: every gradient is a product with −Ē.
  it('∂L/∂queries: Ē = 1e308 and ∂s/∂x = ξ = 4 give −4e308', () => {
    const inputs = { queries: [[1]], keys: [[4]], values: [[0]], params: dotOnly(1, 1) };
    expectTyped(() => layerVjp(inputs, { retrieved: [[0]], energy: [1e308] }), DomainError, /^∂L\/∂queries\[0\]\[0\] = -Infinity: /);
  });

  it('∂L/∂keys: two queries each add Ē x = 1e308 to the one key (each ∂L/∂x_b stays −1e308)', () => {
    const inputs = { queries: [[1], [1]], keys: [[1]], values: [[0]], params: dotOnly(1, 1) };
    expectTyped(() => layerVjp(inputs, { retrieved: [[0], [0]], energy: [1e308, 1e308] }), DomainError, /^∂L\/∂keys\[0\]\[0\] = -Infinity: /);
  });

  it('∂L/∂values: ∂L/∂v = Σ_b p_b ȳ_b = 1e308 + 1e308 (values 0, so ∂L/∂s = 0 and nothing else moves)', () => {
    const inputs = { queries: [[1], [1]], keys: [[1]], values: [[0]], params: dotOnly(1, 1) };
    expectTyped(() => layerVjp(inputs, { retrieved: [[1e308], [1e308]], energy: [0, 0] }), DomainError, /^∂L\/∂values\[0\]\[0\] = Infinity: /);
  });

  it('∂L/∂params: ∂L/∂β_dot = −Ē s_dot = −1e300 · w_dot ξ x = −1e310, while ∂L/∂x and ∂L/∂ξ carry β_dot = 1e-10 and stay finite', () => {
    // s = β_dot w_dot ξ x = 1e-10 · 1e10 · 1 = 1; ∂L/∂x = −Ē β_dot w_dot ξ = −1e300.
    const inputs = { queries: [[1]], keys: [[1]], values: [[0]], params: dotOnly(1e10, 1e-10) };
    expectTyped(() => layerVjp(inputs, { retrieved: [[0]], energy: [1e300] }), DomainError, /^∂L\/∂params\[2\]\[1\] = -Infinity: /);
  });

  it('one key and Ē = 0 give zero gradients but ∂L/∂v = ȳ, even where the footprint’s running sums pass 1.8e308', () => {
    // With one key p = [1] whatever s is, so L = ȳ·v_0: only the values matter. Here dot q = ξ_i x_i =
    // (1e308, 1e308), so ftpt_dot = (1e308, Infinity), while s = β_dot Σ_r c_r q̃_r with c = suffixSums((1, 0))
    // = (1, 0) is β_dot · 1e308 = 1e298, finite.
    const inputs = { queries: [[1e154, 1e154]], keys: [[1e154, 1e154]], values: [[2, -3]], params: { wDis: [0, 1], wDot: [1, 0], betaDis: 1, betaDot: 1e-10 } };
    const g = layerVjp(inputs, { retrieved: [[0.5, 4]], energy: [0] });
    expect(g.values).toEqual([[0.5, 4]]);
    for (const v of [...g.queries.flat(), ...g.keys.flat(), ...g.params.wDis, ...g.params.wDot, g.params.betaDis, g.params.betaDot]) expect(Math.abs(v)).toBe(0);
  });

  it('the same problem with Ē = 1e300 gives finite gradients (the refusal is the overflow, not the inputs)', () => {
    const g = layerVjp({ queries: [[1]], keys: [[4]], values: [[0]], params: dotOnly(1, 1) }, { retrieved: [[0]], energy: [1e300] });
    // ∂L/∂x = −Ē ξ = −4e300, ∂L/∂ξ = −Ē x = −1e300, ∂L/∂β_dot = −Ē w_dot ξ x = −4e300.
    expect(g.queries[0]![0]! / -4e300).toBeCloseTo(1, 12);
    expect(g.keys[0]![0]! / -1e300).toBeCloseTo(1, 12);
    expect(g.params.betaDot / -4e300).toBeCloseTo(1, 12);
  });
});

describe('the model file', () => {
  const model = { params: { wDis: [0.5, 1], wDot: [0, 1], betaDis: 2, betaDot: -0.25 }, footprint: { sort: true, cumulative: false } };

  it('is two-space JSON ending in exactly one newline', () => {
    const text = saveModel(model);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(text.split('\n')[1]).toBe('  "format": "ahop-model",');
    expect(JSON.parse(text)).toEqual({
      format: 'ahop-model',
      version: 1,
      d: 2,
      footprint: { sort: true, cumulative: false },
      params: { w_dis: [0.5, 1], w_dot: [0, 1], beta_dis: 2, beta_dot: -0.25 },
    });
  });

  it.each([
    ['a truncated file', '{"format": "ahop-model", "version": '],
    ['an empty file', ''],
    ['not JSON at all', 'model'],
  ])('%s is a ParseError saying the JSON is malformed or truncated', (_, text) =>
    expectTyped(() => loadModel(text), ParseError, /^model JSON is malformed or truncated: /),
  );

  it.each([
    ['a number', '5'],
    ['a string', '"ahop-model"'],
    ['null', 'null'],
    ['an array', '[]'],
    ['an array holding a model', `[${saveModel(model)}]`],
  ])('JSON that is %s is a ParseError saying the model must be a JSON object', (_, text) =>
    expectTyped(() => loadModel(text), ParseError, /^model must be a JSON object$/),
  );
});

describe('streamRetrieve refuses bad arguments with a typed error naming them', () => {
  const block = Float64Array.of(1, 2, 3, 4);
  const p = initialParams(2);

  it.each([0, -1, 1.5, Number.NaN])('b = %s is a ShapeError saying queries need at least one row', (b) =>
    expectTyped(() => streamRetrieve([block], 2, new Float64Array(0), b, p), ShapeError, /^queries must have at least one row \(b must be a positive integer\), got b = /),
  );

  it('queries with another number of entries than b×d are a ShapeError naming queries', () => {
    expectTyped(() => streamRetrieve([block], 2, Float64Array.of(0, 0, 0), 2, p), ShapeError, /^queries must have 2×2 = 4 entries, got 3$/);
    expectTyped(() => streamRetrieve([block], 2, Float64Array.of(0, 0, 0, 0, 0), 2, p), ShapeError, /^queries must have 2×2 = 4 entries, got 5$/);
  });

  it.each([Number.NaN, Infinity, -Infinity])('a query entry %s is a DomainError naming its row and column', (v) =>
    expectTyped(() => streamRetrieve([block], 2, Float64Array.of(0, 0, v, 1), 2, p), DomainError, /^queries\[1\]\[0\] must be finite/),
  );

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 3],
    ['a plain object', { length: 1, 0: block }],
  ])('blocks that are %s (not iterable) are a ShapeError naming blocks', (_, blocks) =>
    expectTyped(() => streamRetrieve(blocks as never, 2, Float64Array.of(0, 0), 1, p), ShapeError, /^blocks must be an iterable of Float64Array memory blocks$/),
  );

  it.each([['a number', 1], ['an object', {}], ['a string', 'log']])('an onBlock that is %s is a DomainError, before any block is read', (_, onBlock) => {
    let read = 0;
    function* blocks(): Generator<Float64Array> {
      read++;
      yield block;
    }
    expectTyped(() => streamRetrieve(blocks(), 2, Float64Array.of(0, 0), 1, p, undefined, onBlock as never), DomainError, /^onBlock must be a function$/);
    expect(read).toBe(0);
  });

  it('an error that is not one of the library’s, raised while a block is read, is passed on as it is', () => {
    // A block whose entries cannot be read (say, a view of a file that failed).
    const failure = new Error('the file behind the block went away');
    const broken = new Proxy(new Float64Array(4), {
      get(t, k) {
        if (typeof k === 'string' && /^\d+$/.test(k)) throw failure;
        const v = Reflect.get(t, k, t) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    expect(thrown(() => streamRetrieve([broken], 2, Float64Array.of(0, 0), 1, p))).toBe(failure);
  });

  it('a typed error from a block is re-raised with the same class and the block named', () =>
    expectTyped(() => streamRetrieve([block, Float64Array.of(0, Number.NaN)], 2, Float64Array.of(0, 0), 1, p), DomainError, /^memory block 1 \(memories 2…\): /),
  );
});

describe('streamRetrieve folds blocks into what one retrieval over all memories gives', () => {
  const d = 3;
  // Memories at several distances from the queries, so some blocks raise the running maximum and some do not.
  const memories = [
    [0.1, -0.4, 0.8],
    [1.5, 0.2, -0.3],
    [-0.7, 0.9, 0.0],
    [0.3, 0.3, 0.3],
    [2.0, -1.0, 0.5],
    [0.1, -0.4, 0.8],
    [-1.2, 0.4, 1.1],
  ];
  const queries = [
    [0.2, 0.1, 0.4],
    [-1.0, 0.5, 1.0],
  ];
  const params: AhopParams = { wDis: [0.2, 0.3, 0.5], wDot: [0.5, 0, 0.5], betaDis: 2, betaDot: 0.7 };
  const flat = Float64Array.from(queries.flat());

  function expectSameAsRetrieve(r: ReturnType<typeof streamRetrieve>, mem: number[][], qs: number[][], ps: AhopParams): void {
    expect(r.n).toBe(mem.length);
    qs.forEach((x, q) => {
      const whole = retrieve(mem, x, ps);
      expect(r.source[q]).toBe(whole.source);
      expect(r.maxScore[q]).toBeCloseTo(Math.max(...whole.scores), 12);
      expect(r.energy[q]).toBeCloseTo(whole.energy, 12);
      whole.retrieved.forEach((y, i) => expect(r.retrieved[q * mem[0]!.length + i]).toBeCloseTo(y, 12));
    });
    expect(r.source).toHaveLength(qs.length);
  }

  it.each([1, 2, 3, 7, 10])('in blocks of %i rows (7 memories): the same source, maximum, energy and readout as retrieve', (rows) =>
    expectSameAsRetrieve(streamRetrieve(rowBlocks(memories, rows), d, flat, 2, params), memories, queries, params),
  );

  it('empty blocks are skipped, and onBlock is told each block’s index, rows and memories seen so far', () => {
    const blocks = [Float64Array.from(memories.slice(0, 2).flat()), new Float64Array(0), Float64Array.from(memories.slice(2).flat()), new Float64Array(0)];
    const infos: BlockInfo[] = [];
    const r = streamRetrieve(blocks, d, flat, 2, params, undefined, (info) => infos.push(info));
    expectSameAsRetrieve(r, memories, queries, params);
    expect(infos).toEqual([
      { block: 0, rows: 2, seen: 2 },
      { block: 1, rows: 0, seen: 2 },
      { block: 2, rows: 5, seen: 7 },
      { block: 3, rows: 0, seen: 7 },
    ]);
  });

  it('a first block whose weights underflow to 0 next to a later maximum is rescaled away exactly (y = the far memory)', () => {
    // s = −(ξ − x)² on the last dimension: memory 0 scores −1600, memory 1 scores 0; e^{−1600} = 0 in float64.
    const mem = [[0, 0], [0, 40]];
    const ps = initialParams(2);
    const r = streamRetrieve(rowBlocks(mem, 1), 2, Float64Array.of(0, 40), 1, ps);
    expect(Array.from(r.retrieved)).toEqual([0, 40]);
    expect(r.source).toEqual([1]);
    expect(r.energy[0]).toBe(-0 - Math.log1p(Math.exp(-1600)));
    expectSameAsRetrieve(r, mem, [[0, 40]], ps);
  });
});

describe('the block generators', () => {
  it.each([0, -2, 1.5, Number.NaN])('rowBlocks with blockRows = %s is a DomainError naming blockRows at the first block', (rows) =>
    expectTyped(() => rowBlocks([[1, 2], [3, 4]], rows).next(), DomainError, /^blockRows must be a positive integer, got /),
  );

  it('seededMemoryBlocks gives ⌈n / blockRows⌉ blocks: 6 rows in blocks of 3 are 2 blocks, 7 rows are 3', () => {
    expect(Array.from(seededMemoryBlocks(1, 6, 2, 3), (b) => b.length)).toEqual([6, 6]);
    expect(Array.from(seededMemoryBlocks(1, 7, 2, 3), (b) => b.length)).toEqual([6, 6, 2]);
    expect(Array.from(seededMemoryBlocks(1, 3, 2, 1), (b) => b.length)).toEqual([2, 2, 2]);
  });

  it('its full blocks are the one reused buffer itself, and a shorter last block is a view of that buffer', () => {
    const blocks = [...seededMemoryBlocks(5, 7, 2, 3)];
    expect(blocks[1]).toBe(blocks[0]);
    expect(blocks[2]).not.toBe(blocks[0]);
    expect(blocks[2]!.buffer).toBe(blocks[0]!.buffer);
    expect(blocks[2]!.byteOffset).toBe(0);
  });
});
