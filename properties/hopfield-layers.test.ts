/**
 * The hopfield-layers-style modules (src/layers/): `Hopfield`, `HopfieldPooling`, `HopfieldLayer`.
 *
 * 1. Each one's backward pass is the derivative of its forward pass: for every learned parameter
 *    and every input entry, central finite differences of L = Σ ȳ · z + Σ Ē E agree with it, for the
 *    A-Hop similarity and for the M-Hop switch. The tolerance is the one of layer-vjp.test.ts:
 *    (h²/6)·4·|L'''| (third difference at H) + δ/h, where δ bounds the rounding of one evaluation
 *    of L: the projections and scores sum at most (d_R + d_k) products of magnitude ≤ M² (M the
 *    largest |score| or projected entry, ≥ 1), so δ = 64 ε (d_R + d_k) M² Σ(|ȳ| + |Ē|).
 *    Instances with a near-tie in a projected q (gap < GAP) are discarded, so the sort order is
 *    the same at every point evaluated.
 * 2. The M-Hop switch is M-Hop: with W_V = W_K (values = keys) a `Hopfield` in 'mhop' mode
 *    retrieves exactly what src/baselines/mhop.ts retrieves from the projected patterns.
 * Each is shown to catch a broken version.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { mhopRetrieve } from '../src/baselines/mhop.ts';
import { layerForward, type LayerCotangent, type LayerOutputs } from '../src/hopfield/layer.ts';
import { ahopParamsOf, matmul, type SimilarityKind } from '../src/layers/association.ts';
import { Hopfield } from '../src/layers/hopfield.ts';
import { HopfieldLayer } from '../src/layers/hopfield-layer.ts';
import { HopfieldPooling } from '../src/layers/hopfield-pooling.ts';
import { finite, params as ahopParams } from './support/arbitraries.ts';
import { minGap } from './support/layer-instances.ts';
import { expectCounterexample, expectHolds } from './support/mutation.ts';

const EPS = Number.EPSILON;
const h = 1e-5;
const H = 2e-3;
const GAP = 0.05;

type Tree = number | string | Tree[] | { [k: string]: Tree };

/** Paths to every number in a tree of matrices, vectors and numbers (strings, e.g. `kind`, skipped). */
function leaves(t: Tree, path: (string | number)[] = []): (string | number)[][] {
  if (typeof t === 'number') return [path];
  if (typeof t === 'string') return [];
  if (Array.isArray(t)) return t.flatMap((c, i) => leaves(c, [...path, i]));
  return Object.keys(t).flatMap((k) => leaves(t[k], [...path, k]));
}

function at(t: Tree, path: (string | number)[]): number {
  return path.reduce<Tree>((node, k) => (node as Record<string | number, Tree>)[k], t) as number;
}

function setAt(t: Tree, path: (string | number)[], v: number): void {
  const parent = path.slice(0, -1).reduce<Tree>((node, k) => (node as Record<string | number, Tree>)[k], t) as Record<string | number, Tree>;
  parent[path[path.length - 1]] = v;
}

const clone = <T>(t: T): T => JSON.parse(JSON.stringify(t)) as T;

function objective(out: LayerOutputs, ct: LayerCotangent): number {
  return out.retrieved.reduce((a, y, b) => a + y.reduce((s, v, j) => s + ct.retrieved[b][j] * v, 0) + ct.energy[b] * out.energy[b], 0);
}

/** A module under test: its parameters and inputs as one tree, L of that tree, and the gradient tree. */
interface Subject {
  state: { weights: Tree; inputs: Tree };
  loss(state: { weights: Tree; inputs: Tree }): number;
  gradient(state: { weights: Tree; inputs: Tree }): { weights: Tree; inputs: Tree };
  /** The layer inputs it forms (for the near-tie filter) and δ's scale. */
  layer(state: { weights: Tree; inputs: Tree }): { queries: number[][]; keys: number[][]; dR: number; dK: number; ct: LayerCotangent };
}

function matchesFiniteDifferences(s: Subject): boolean {
  const g = s.gradient(s.state);
  const l = s.layer(s.state);
  const out = s.loss(s.state);
  const m = Math.max(1, Math.abs(out), ...l.queries.flat().map(Math.abs), ...l.keys.flat().map(Math.abs));
  const ctSize = l.ct.retrieved.flat().reduce((a, v) => a + Math.abs(v), 0) + l.ct.energy.reduce((a, v) => a + Math.abs(v), 0);
  const delta = 64 * EPS * (l.dR + l.dK) * m * m * (1 + ctSize);
  return (['weights', 'inputs'] as const).every((part) =>
    leaves(s.state[part]).every((path) => {
      const f = (step: number) => {
        const shifted = clone(s.state);
        setAt(shifted[part], path, at(s.state[part], path) + step);
        return s.loss(shifted);
      };
      const fd = (f(h) - f(-h)) / (2 * h);
      const third = Math.abs(f(2 * H) - 2 * f(H) + 2 * f(-H) - f(-2 * H)) / (2 * H ** 3) + (6 * delta) / (2 * H ** 3);
      return Math.abs(fd - at(g[part], path)) <= ((h * h) / 6) * 4 * third + delta / h;
    }),
  );
}

const mat = (rows: number, cols: number, max = 1.5) =>
  fc.array(fc.array(finite(max), { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

const cotangent = (b: number, dv: number) => fc.record({ retrieved: mat(b, dv, 2), energy: fc.array(finite(2), { minLength: b, maxLength: b }) });

const similarityOf = (kind: SimilarityKind, dK: number) =>
  kind === 'ahop'
    ? ahopParams(dK, 1).map((p) => ({ kind: 'ahop' as const, params: p }))
    : finite(1.5).map((beta) => ({ kind: 'mhop' as const, beta }));

const dimsArb = fc.record({
  b: fc.integer({ min: 1, max: 2 }),
  n: fc.integer({ min: 1, max: 3 }),
  dR: fc.integer({ min: 1, max: 3 }),
  dK: fc.integer({ min: 1, max: 3 }),
  dV: fc.integer({ min: 1, max: 2 }),
  seed: fc.nat({ max: 1000 }),
});

type Broken = { backward?: 'forget-value-share-of-Y' | 'beta-from-beta-dis' };

/** A `Hopfield` (P = Y) as a Subject; `broken` swaps in a wrong backward. */
function hopfieldSubject(kind: SimilarityKind, broken: Broken = {}) {
  return dimsArb.chain((d) =>
    fc
      .record({ R: mat(d.b, d.dR), Y: mat(d.n, d.dR), ct: cotangent(d.b, d.dV), sim: similarityOf(kind, d.dK) })
      .map(({ R, Y, ct, sim }): Subject => {
        const hop = new Hopfield({ stateDim: d.dR, hiddenDim: d.dK, valueDim: d.dV, similarity: kind, seed: d.seed });
        const weights = { ...hop.weights, similarity: sim } as unknown as Tree;
        const use = (st: { weights: Tree; inputs: Tree }) => {
          hop.weights = clone(st.weights) as unknown as typeof hop.weights;
          const i = st.inputs as { R: number[][]; Y: number[][] };
          return { statePatterns: i.R, storedPatterns: i.Y };
        };
        return {
          state: { weights, inputs: { R, Y } },
          loss: (st) => objective(hop.forward(use(st)), ct),
          gradient(st) {
            const inputs = use(st);
            const g = hop.backward(inputs, ct);
            if (broken.backward === 'forget-value-share-of-Y') {
              g.storedPatterns = hop.backward({ ...inputs, patternProjection: inputs.storedPatterns }, ct).storedPatterns;
            }
            if (broken.backward === 'beta-from-beta-dis' && g.weights.similarity.kind === 'mhop') {
              const layerG = new Hopfield({ stateDim: d.dR, hiddenDim: d.dK, valueDim: d.dV, similarity: 'ahop', seed: d.seed });
              layerG.weights = { ...hop.weights, similarity: { kind: 'ahop', params: ahopParamsOf(hop.weights.similarity, d.dK) } };
              const ga = layerG.backward(inputs, ct).weights.similarity;
              if (ga.kind === 'ahop') g.weights.similarity = { kind: 'mhop', beta: ga.params.betaDis };
            }
            return { weights: g.weights as unknown as Tree, inputs: { R: g.statePatterns, Y: g.storedPatterns } };
          },
          layer(st) {
            use(st);
            const i = st.inputs as { R: number[][]; Y: number[][] };
            return { queries: matmul(i.R, hop.weights.wQ), keys: matmul(i.Y, hop.weights.wK), dR: d.dR, dK: d.dK, ct };
          },
        };
      }),
  );
}

function poolingSubject(kind: SimilarityKind, broken: Broken = {}) {
  return dimsArb.chain((d) =>
    fc.record({ Y: mat(d.n, d.dR), ct: cotangent(d.b, d.dV), sim: similarityOf(kind, d.dK) }).map(({ Y, ct, sim }): Subject => {
      const pool = new HopfieldPooling({ inputDim: d.dR, hiddenDim: d.dK, valueDim: d.dV, quantity: d.b, similarity: kind, seed: d.seed });
      const use = (st: { weights: Tree; inputs: Tree }) => {
        pool.weights = clone(st.weights) as unknown as typeof pool.weights;
        return (st.inputs as { Y: number[][] }).Y;
      };
      return {
        state: { weights: { ...pool.weights, similarity: sim } as unknown as Tree, inputs: { Y } },
        loss: (st) => objective(pool.forward(use(st)), ct),
        gradient(st) {
          const bag = use(st);
          const g = pool.backward(bag, ct);
          if (broken.backward === 'forget-value-share-of-Y') {
            // ∂L/∂Y = Ḡ_K W_Kᵀ only: the value projection's share dropped.
            const keysOnly = new HopfieldPooling({ inputDim: d.dR, hiddenDim: d.dK, valueDim: d.dV, quantity: d.b, similarity: kind });
            keysOnly.weights = { ...pool.weights, wV: pool.weights.wV.map((r) => r.map(() => 0)) };
            g.storedPatterns = keysOnly.backward(bag, ct).storedPatterns;
          }
          return { weights: g.weights as unknown as Tree, inputs: { Y: g.storedPatterns } };
        },
        layer(st) {
          const bag = use(st);
          return { queries: pool.weights.query, keys: matmul(bag, pool.weights.wK), dR: d.dR, dK: d.dK, ct };
        },
      };
    }),
  );
}

function lookupSubject(kind: SimilarityKind) {
  return dimsArb.chain((d) =>
    fc.record({ R: mat(d.b, d.dR), ct: cotangent(d.b, d.dV), sim: similarityOf(kind, d.dK) }).map(({ R, ct, sim }): Subject => {
      const lookup = new HopfieldLayer({ stateDim: d.dR, quantity: d.n, hiddenDim: d.dK, valueDim: d.dV, similarity: kind, seed: d.seed });
      const use = (st: { weights: Tree; inputs: Tree }) => {
        lookup.weights = clone(st.weights) as unknown as typeof lookup.weights;
        return (st.inputs as { R: number[][] }).R;
      };
      return {
        state: { weights: { ...lookup.weights, similarity: sim } as unknown as Tree, inputs: { R } },
        loss: (st) => objective(lookup.forward(use(st)), ct),
        gradient(st) {
          const g = lookup.backward(use(st), ct);
          return { weights: g.weights as unknown as Tree, inputs: { R: g.statePatterns } };
        },
        layer(st) {
          const r = use(st);
          return { queries: matmul(r, lookup.weights.wQ), keys: lookup.weights.storedPatterns, dR: d.dR, dK: d.dK, ct };
        },
      };
    }),
  );
}

const smooth = (s: fc.Arbitrary<Subject>) =>
  s.filter((subject) => {
    const l = subject.layer(subject.state);
    return minGap(l) > GAP;
  });

const fdProperty = (s: fc.Arbitrary<Subject>) => fc.property(smooth(s), matchesFiniteDifferences);

describe('every module’s backward pass equals central finite differences, for every parameter and input', () => {
  for (const kind of ['ahop', 'mhop'] as const) {
    it(`Hopfield (${kind}): W_Q, W_K, W_V, the similarity, R and Y`, () => expectHolds(fdProperty(hopfieldSubject(kind)), { numRuns: 25 }));
    it(`HopfieldPooling (${kind}): Q, W_K, W_V, the similarity and the bag`, () => expectHolds(fdProperty(poolingSubject(kind)), { numRuns: 25 }));
    it(`HopfieldLayer (${kind}): W_Q, Ξ, V, the similarity and R`, () => expectHolds(fdProperty(lookupSubject(kind)), { numRuns: 25 }));
  }

  it('… and a Hopfield whose ∂L/∂Y forgets the pattern projection’s share (P = Y) is caught', () =>
    expectCounterexample(fdProperty(hopfieldSubject('ahop', { backward: 'forget-value-share-of-Y' })), { numRuns: 25 }));

  it('… and a HopfieldPooling whose ∂L/∂bag forgets the value projection’s share is caught', () =>
    expectCounterexample(fdProperty(poolingSubject('ahop', { backward: 'forget-value-share-of-Y' })), { numRuns: 25 }));

  it('… and an M-Hop β gradient read from β_dis instead of β_dot is caught', () =>
    expectCounterexample(fdProperty(hopfieldSubject('mhop', { backward: 'beta-from-beta-dis' })), { numRuns: 25 }));
});

// ---------- the M-Hop switch is M-Hop ----------

type MhopParamsOf = typeof ahopParamsOf;

const mhopSwitchIsMhop = (paramsOf: MhopParamsOf) =>
  fc.property(
    // mhopRetrieve takes β > 0 only (the switch itself takes any β).
    dimsArb.chain((d) => fc.record({ d: fc.constant(d), R: mat(d.b, d.dR), Y: mat(d.n, d.dR), beta: finite(2).map(Math.abs).filter((b) => b > 0) })),
    ({ d, R, Y, beta }) => {
      const hop = new Hopfield({ stateDim: d.dR, hiddenDim: d.dK, valueDim: d.dK, similarity: 'mhop', seed: d.seed });
      hop.weights = { ...hop.weights, wV: hop.weights.wK, similarity: { kind: 'mhop', beta } };
      const keys = matmul(Y, hop.weights.wK);
      const queries = matmul(R, hop.weights.wQ);
      const ours = layerForward({ queries, keys, values: keys, params: paramsOf({ kind: 'mhop', beta }, d.dK) });
      const module = hop.forward({ statePatterns: R, storedPatterns: Y });
      return queries.every((x, b) => {
        const ref = mhopRetrieve(keys, x, beta);
        const close = (a: number[], e: number[]) => a.every((v, i) => Math.abs(v - e[i]) <= 1e-12 * (1 + Math.abs(e[i])));
        return close(ours.probs[b], ref.probs) && close(ours.retrieved[b], ref.retrieved) && close(module.retrieved[b], ref.retrieved);
      });
    },
  );

describe("the M-Hop switch is M-Hop: A-Hop with w_dot = e_d, β_dis = 0, β_dot = β", () => {
  it('a Hopfield in mhop mode with W_V = W_K retrieves what mhopRetrieve retrieves from the projected patterns', () =>
    expectHolds(mhopSwitchIsMhop(ahopParamsOf), { numRuns: 80 }));

  it('… and a switch with w_dot = e_1 (only the most similar dimension) is caught', () =>
    expectCounterexample(
      mhopSwitchIsMhop((sim, d) => {
        const p = ahopParamsOf(sim, d);
        return { ...p, wDot: p.wDot.map((_, j) => (j === 0 ? 1 : 0)) };
      }),
      { numRuns: 80 },
    ));
});
