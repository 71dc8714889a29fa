/**
 * The backend suite: the same cases on every registered backend (backends/index.ts) — the float64
 * reference included — against the readable forms of the reference (`scores()` and `retrieve()` of
 * src/hopfield/ahop.ts, `footprintLiteral` of src/similarity/footprint.ts; never the batched
 * kernels a backend might share), each backend with the tolerance of its registry entry
 * (tfjs-style: one suite, one tolerance table). A backend registered with `footprintOptions: 'full'`
 * (the tfjs op computes the full A-Hop footprint only) is held to refusing each ablation with a
 * DomainError that names the options, where the others are held to its values.
 *
 * `defineBackendSuites(group)` registers the suite for every backend of one process group: Dawn's
 * EGL and headless-gl's GLX cannot share a process, so each group runs from a test file of its own.
 * A backend that cannot run here registers a check that it was refused with a message naming it
 * and what is missing — except that in CI (CI=true) a backend marked requiredInCi (the reference,
 * cpu, webasm, webgpu) must run: there an unavailable one fails. Every case also checks which
 * backend really executed (after the run), so a silent fallback to another backend fails rather
 * than passing under the requested name.
 *
 * Tolerances are relative to the size of what is being summed, not to the result (a score can be
 * near 0 after cancellation): for a pair, scale = Σ_base |β| ‖c‖₁ max_i (|ξ_i| + |x_i|)², which
 * bounds every term, and a backend must land within rel·scale. Probabilities, readout and energy
 * get the tolerances that the score tolerance implies (see `retrievalTolerances`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { checkConformance } from '../src/conformance/check.ts';
import { DomainError, ShapeError } from '../src/errors.ts';
import { retrieve, scores } from '../src/hopfield/ahop.ts';
import { createRng, type Rng } from '../src/random/rng.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';
import { baseSimilarities, type Base } from '../src/similarity/base.ts';
import { footprintLiteral, suffixSums, type FootprintOptions } from '../src/similarity/footprint.ts';
import { expectWithin } from '../properties/support/expect-within.ts';
import { BACKENDS, BackendUnavailableError, type BackendSpec, type Scorer } from './index.ts';

const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

const ALL_OPTIONS: FootprintOptions[] = [
  { sort: true, cumulative: true },
  { sort: false, cumulative: true },
  { sort: true, cumulative: false },
  { sort: false, cumulative: false },
];

// ---------- data ----------

interface Problem {
  n: number;
  b: number;
  d: number;
  memories: Float64Array;
  queries: Float64Array;
  params: AhopParams;
}

export function problem(rng: Rng, n: number, b: number, d: number, value: () => number = () => 2 * rng.uniform() - 1): Problem {
  // Weights of both signs, mostly positive, scaled so scores stay O(1) whatever d is.
  const w = () => Array.from({ length: d }, () => (rng.uniform() - 0.25) * (4 / d));
  return {
    n,
    b,
    d,
    memories: Float64Array.from({ length: n * d }, value),
    queries: Float64Array.from({ length: b * d }, value),
    params: { wDis: w(), wDot: w(), betaDis: 0.5 + rng.uniform(), betaDot: 0.5 + rng.uniform() },
  };
}

const TIES = [-1, -0.5, 0, 0.5, 1];
function tied(rng: Rng): () => number {
  return () => TIES[rng.int(TIES.length)];
}

// ---------- tolerances ----------

/** scale[b·N + k] = Σ_base |β| ‖c‖₁ max_i (|ξ_ki| + |x_bi|)². */
export function scales(p: Problem, options: FootprintOptions): Float64Array {
  const norm = (w: number[]) => (options.cumulative ? suffixSums(w) : w).reduce((a, c) => a + Math.abs(c), 0);
  const weight = Math.abs(p.params.betaDis) * norm(p.params.wDis) + Math.abs(p.params.betaDot) * norm(p.params.wDot);
  const out = new Float64Array(p.b * p.n);
  for (let q = 0; q < p.b; q++) {
    for (let k = 0; k < p.n; k++) {
      let m = 0;
      for (let i = 0; i < p.d; i++) m = Math.max(m, (Math.abs(p.memories[k * p.d + i]) + Math.abs(p.queries[q * p.d + i])) ** 2);
      out[q * p.n + k] = weight * m;
    }
  }
  return out;
}

/** The tolerances that a score error of at most `eps` per pair implies downstream. */
function retrievalTolerances(p: Problem, probs: ArrayLike<number>, energy: ArrayLike<number>, eps: Float64Array, rel: number) {
  const epsQ = Array.from({ length: p.b }, (_, q) => Math.max(...eps.subarray(q * p.n, (q + 1) * p.n)));
  // softmax: |Δp_k| ≤ p_k (e^{2ε} − 1) ≤ p_k (2ε + 4ε²); plus float32 rounding of exp.
  const probTol = (i: number) => {
    const e = epsQ[Math.floor(i / p.n)];
    return probs[i] * (2 * e + 4 * e * e + rel) + 1e-30;
  };
  const retrievedTol = (i: number) => {
    const q = Math.floor(i / p.d);
    const j = i % p.d;
    let t = 1e-30;
    for (let k = 0; k < p.n; k++) {
      const x = Math.abs(p.memories[k * p.d + j]);
      t += probTol(q * p.n + k) * x + rel * probs[q * p.n + k] * x;
    }
    return t;
  };
  const energyTol = (q: number) => epsQ[q] + rel * Math.abs(energy[q]);
  return { probTol, retrievedTol, energyTol };
}

// ---------- the readable reference ----------

/** Rows r of a flat row-major array as plain arrays. */
function rows(a: Float64Array, count: number, d: number): number[][] {
  return Array.from({ length: count }, (_, r) => [...a.subarray(r * d, (r + 1) * d)]);
}

/** S[b·N + k] = s(ξ_k, x_b) by `scores()`, query by query. */
export function readableScores(p: Problem, options: FootprintOptions): Float64Array {
  const memories = rows(p.memories, p.n, p.d);
  const out = new Float64Array(p.b * p.n);
  rows(p.queries, p.b, p.d).forEach((x, q) => out.set(scores(memories, x, p.params, options), q * p.n));
  return out;
}

/** Scores, probabilities, readouts and energies by `retrieve()`, query by query, flattened. */
function readableRetrieval(p: Problem, options: FootprintOptions) {
  const memories = rows(p.memories, p.n, p.d);
  const rs = rows(p.queries, p.b, p.d).map((x) => retrieve(memories, x, p.params, options));
  return {
    scores: Float64Array.from(rs.flatMap((r) => r.scores)),
    probs: Float64Array.from(rs.flatMap((r) => r.probs)),
    retrieved: Float64Array.from(rs.flatMap((r) => r.retrieved)),
    energy: Float64Array.from(rs.map((r) => r.energy)),
  };
}

// ---------- the suite ----------

type Loaded = { scorer: Scorer } | { refused: string };

async function tryLoad(spec: BackendSpec): Promise<Loaded> {
  try {
    return { scorer: await spec.load() };
  } catch (e) {
    if (e instanceof BackendUnavailableError) return { refused: e.message };
    throw e;
  }
}

/** Registers the suite for every backend of a process group (call at the top level of a test file). */
export async function defineBackendSuites(group: string): Promise<void> {
  const specs = BACKENDS.filter((b) => b.process === group);
  if (specs.length === 0) throw new Error(`no registered backend runs in process group "${group}"`);
  for (const spec of specs) await defineBackendSuite(spec);
}

async function defineBackendSuite(spec: BackendSpec): Promise<void> {
  const name = spec.name;
  const l = await tryLoad(spec);
  if ('refused' in l) {
    if (IN_CI && spec.requiredInCi) {
      describe(`backend ${name}`, () => {
        it('is available (required in CI)', () => {
          throw new Error(`CI requires the ${name} backend: ${l.refused}`);
        });
      });
    } else {
      // The suite does not run here; say so, and check the loader refused with a message naming
      // the backend and what is missing rather than falling back to another backend.
      console.warn(`[backend suite] SKIPPED backend ${name}: ${l.refused}`);
      describe(`backend ${name} (not run here: ${l.refused})`, () => {
        it('is refused with a message naming the backend and what is missing', () => {
          expect(l.refused).toMatch(new RegExp(`^backend "${name}" is unavailable: \\S`));
        });
      });
    }
    return;
  }
  const { scorer } = l;
  afterAll(() => scorer.dispose());
  const rel = spec.tolerance.scores;

  /** Only the requested backend may have executed anything. */
  const expectExecutedOn = () => expect(scorer.executedModes(), `the ${name} scorer ran in these modes`).toEqual([name]);

  /** A backend with `footprintOptions: 'full'` must refuse an ablation (typed, naming the options), not approximate it. */
  const fullOnly = spec.footprintOptions === 'full';
  const isFull = (o: FootprintOptions) => o.sort && o.cumulative;
  async function expectAblationRefused(run: () => Promise<unknown>): Promise<void> {
    await expect(run()).rejects.toThrow(DomainError);
    await expect(run()).rejects.toThrow(/options/);
  }

  async function checkScores(p: Problem, options: FootprintOptions, label: string): Promise<void> {
    if (fullOnly && !isFull(options)) return expectAblationRefused(() => scorer.scoreBatch(p.memories, p.n, p.d, p.queries, p.b, p.params, options));
    const expected = readableScores(p, options);
    const got = await scorer.scoreBatch(p.memories, p.n, p.d, p.queries, p.b, p.params, options);
    const scale = scales(p, options);
    expectWithin(`${label} scores`, got, expected, (i) => rel * scale[i] + 1e-30);
    expectExecutedOn();
  }

  async function checkRetrieval(p: Problem, label: string): Promise<void> {
    const options: FootprintOptions = { sort: true, cumulative: true };
    const ref = readableRetrieval(p, options);
    const got = await scorer.retrieveBatch(p.memories, p.n, p.d, p.queries, p.b, p.params, options);
    const eps = scales(p, options).map((s) => rel * s);
    const t = retrievalTolerances(p, ref.probs, ref.energy, eps, rel);
    expectWithin(`${label} scores`, got.scores, ref.scores, (i) => eps[i] + 1e-30);
    expectWithin(`${label} probs`, got.probs, ref.probs, t.probTol);
    expectWithin(`${label} retrieved`, got.retrieved, ref.retrieved, t.retrievedTol);
    expectWithin(`${label} energy`, got.energy, ref.energy, t.energyTol);
    expectExecutedOn();
  }

  async function checkFootprint(base: Base, count: number, d: number, options: FootprintOptions, rng: Rng): Promise<void> {
    const xi = Float64Array.from({ length: count * d }, () => 2 * rng.uniform() - 1);
    const x = Float64Array.from({ length: count * d }, () => 2 * rng.uniform() - 1);
    if (fullOnly && !isFull(options)) return expectAblationRefused(() => scorer.footprintBatch(base, xi, x, count, d, options));
    const got = await scorer.footprintBatch(base, xi, x, count, d, options);
    const expected: number[] = [];
    const tol: number[] = [];
    const xs = rows(x, count, d);
    rows(xi, count, d).forEach((a, r) => {
      const b = xs[r];
      expected.push(...footprintLiteral(baseSimilarities(base, a, b), options));
      const m = Math.max(...a.map((v, i) => (Math.abs(v) + Math.abs(b[i])) ** 2));
      for (let j = 0; j < d; j++) tol.push(rel * m * (options.cumulative ? j + 1 : 1));
    });
    expectWithin(`footprint ${base} d=${d} ${JSON.stringify(options)}`, got, expected, (i) => tol[i]);
    expectExecutedOn();
  }

  describe(`backend ${name}`, () => {
    it(`executes on ${name} (reports the mode that ran)`, async () => {
      const rng = createRng(1);
      await checkScores(problem(rng, 3, 2, 5), ALL_OPTIONS[0], 'probe');
      console.info(`[backend suite] backend ${name}: executed in mode(s) ${scorer.executedModes().join(', ')} on ${scorer.device}`);
    });

    it('scores match the reference for small shapes, with and without sort and U', async () => {
      const rng = createRng(2);
      for (const [n, b, d] of [
        [1, 1, 1],
        [3, 2, 2],
        [5, 3, 7],
        [6, 2, 16],
        [4, 3, 33],
        [3, 2, 64],
        [4, 2, 100],
      ]) {
        for (const options of ALL_OPTIONS) await checkScores(problem(rng, n, b, d), options, `N=${n} B=${b} d=${d} ${JSON.stringify(options)}`);
      }
    });

    it('scores match with tied and zero per-dimension similarities', async () => {
      const rng = createRng(3);
      for (const d of [12, 200]) await checkScores(problem(rng, 5, 2, d, tied(rng)), ALL_OPTIONS[0], `ties d=${d}`);
    });

    it('scores match at d = 784 (multi-pass sort, loops far below the GL cap)', async () => {
      const rng = createRng(4);
      const p = problem(rng, 12, 2, 784);
      for (const options of ALL_OPTIONS.slice(0, 3)) await checkScores(p, options, `d=784 ${JSON.stringify(options)}`);
    });

    it('scores, probabilities, readout and energy match at N = 10000', async () => {
      const rng = createRng(5);
      const p = problem(rng, 10000, 2, 6);
      await checkScores(p, ALL_OPTIONS[0], 'N=10000');
      await checkScores(p, ALL_OPTIONS[1], 'N=10000 no sort');
      await checkRetrieval(p, 'N=10000');
      await checkScores(problem(rng, 10000, 1, 64), ALL_OPTIONS[0], 'N=10000 d=64');
      await checkScores(problem(rng, 10000, 1, 100), ALL_OPTIONS[0], 'N=10000 d=100');
    });

    it('probabilities, readout and energy match the reference', async () => {
      const rng = createRng(6);
      await checkRetrieval(problem(rng, 40, 3, 10), 'N=40 d=10');
      await checkRetrieval(problem(rng, 9, 2, 784), 'N=9 d=784');
    });

    it('footprints match ftpt = U q̃ for both bases and the ablations', async () => {
      const rng = createRng(7);
      for (const d of [1, 5, 100]) for (const options of ALL_OPTIONS) await checkFootprint('dis', 3, d, options, rng);
      for (const d of [16, 784]) for (const base of ['dis', 'dot'] as const) await checkFootprint(base, 2, d, ALL_OPTIONS[0], rng);
    });

    it('writes a conformance file that the reference check accepts', async () => {
      const file = await scorer.exportConformance({ seed: 7, cases: 24 });
      expect(file.cases.length).toBe(24);
      expect(file.tolerance).toEqual(spec.tolerance.conformance);
      // Checked at the backend's own tolerance, asked for explicitly (a file's tolerance can only tighten a check).
      const report = checkConformance(JSON.stringify(file), { tolerance: spec.tolerance.conformance });
      expect(report.failures, 'values beyond the backend\'s tolerance').toEqual([]);
      expectExecutedOn();
    });

    it('concurrent calls on one scorer do not mix their intermediates', async () => {
      const rng = createRng(9);
      const a = problem(rng, 7, 2, 100);
      const b = problem(rng, 5, 3, 100);
      const [sa, sb] = await Promise.all([
        scorer.scoreBatch(a.memories, a.n, a.d, a.queries, a.b, a.params),
        scorer.scoreBatch(b.memories, b.n, b.d, b.queries, b.b, b.params),
      ]);
      expect(sa).toEqual(await scorer.scoreBatch(a.memories, a.n, a.d, a.queries, a.b, a.params));
      expect(sb).toEqual(await scorer.scoreBatch(b.memories, b.n, b.d, b.queries, b.b, b.params));
      expectExecutedOn();
    });

    it('rejects bad input with typed errors before running anything', async () => {
      const rng = createRng(8);
      const p = problem(rng, 2, 1, 3);
      await expect(scorer.scoreBatch(p.memories, 3, 3, p.queries, 1, p.params)).rejects.toThrow(ShapeError);
      const bad = Float64Array.from(p.memories);
      bad[1] = Number.NaN;
      await expect(scorer.scoreBatch(bad, 2, 3, p.queries, 1, p.params)).rejects.toThrow(DomainError);
      await expect(scorer.scoreBatch(p.memories, 2, 3, p.queries, 1, { ...p.params, wDis: [1] })).rejects.toThrow(ShapeError);
    });
  });
}
