/**
 * Check another backend against the reference with a conformance file (docs/conformance.md).
 *
 * A backend — here a toy float32 one, standing in for a GPU, WebGPU, Rust or PyTorch port — reads
 * the inputs of every case, writes its own outputs and its own tolerance, and the reference
 * recomputes every case and compares. Two backends are checked: a correct float32 one (every case
 * matches at rel 1e-4) and one with a classic bug (it forgets to sort q before the cumulative sum),
 * which the check pins to the failing cases and fields. On the command line the same check is
 *
 *   npx ahop conformance --check their-vectors.json --tolerance float32   # exit 0 all match, 1 a value differs, 2 malformed
 *
 *   node bin/run-ts.js examples/check-backend.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConformance } from '../src/conformance/check.ts';
import { exportConformance, type ExportBackend } from '../src/conformance/export.ts';
import { TOLERANCE_PRESETS } from '../src/conformance/format.ts';
import type { AhopParams } from '../src/similarity/adaptive.ts';

const f = Math.fround;

/** ftpt = cumulative sums of q sorted descending, in float32 (or, with the bug, of q unsorted). */
function footprint32(base: string, xi: number[], x: number[], sort: boolean): number[] {
  const q = xi.map((m, i) => (base === 'dis' ? -f(f(f(m) - f(x[i])) ** 2) : f(f(m) * f(x[i]))));
  if (sort) q.sort((a, b) => b - a);
  let acc = 0;
  return q.map((v) => (acc = f(acc + v)));
}

function similarity32(memories: number[][], query: number[], p: AhopParams, sort: boolean) {
  const dot = (w: number[], v: number[]) => v.reduce((a, x, j) => f(a + f(f(w[j]) * x)), 0);
  const scores = memories.map((m) =>
    f(f(f(p.betaDis) * dot(p.wDis, footprint32('dis', m, query, sort))) + f(f(p.betaDot) * dot(p.wDot, footprint32('dot', m, query, sort)))),
  );
  const top = Math.max(...scores);
  const e = scores.map((s) => f(Math.exp(f(s - top))));
  const z = e.reduce((a, b) => f(a + b), 0);
  const probs = e.map((v) => f(v / z));
  const retrieved = query.map((_, i) => memories.reduce((a, m, k) => f(a + f(probs[k] * f(m[i]))), 0));
  return { scores, probs, retrieved, energy: f(-f(top + f(Math.log(z)))) };
}

const backend = (name: string, sort: boolean): ExportBackend => ({
  name,
  tolerance: { rel: 1e-4, abs: 1e-5 },
  compute: {
    footprint: (i) => {
      const c = i as { base: string; xi: number[]; x: number[] };
      return footprint32(c.base, c.xi, c.x, sort);
    },
    similarity: (i) => {
      const c = i as { memories: number[][]; query: number[]; params: AhopParams };
      return similarity32(c.memories, c.query, c.params, sort);
    },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'ahop-example-'));
let failed = false;
for (const [name, sort] of [
  ['float32 toy backend', true],
  ['float32 toy backend that forgets to sort', false],
] as const) {
  // The backend writes its file: the reference's inputs (seeded), its own outputs and tolerance.
  const file = exportConformance({ seed: 3, cases: 40, backend: backend(name, sort) });
  const path = join(dir, `${sort ? 'good' : 'buggy'}.json`);
  writeFileSync(path, JSON.stringify(file));
  // The reference checks it, at the float32 tolerance asked for here (a file cannot loosen the check itself).
  const report = checkConformance(JSON.stringify(file), { tolerance: TOLERANCE_PRESETS.float32 });
  console.log(`${name} (${path}): ${report.cases - report.failedCases} of ${report.cases} cases match at rel ${report.tolerance.rel}, abs ${report.tolerance.abs}`);
  for (const fail of report.failures.slice(0, 4)) {
    console.log(`  case ${fail.index} ${fail.kind} ${fail.field}: expected ${fail.expected}, got ${fail.got}`);
  }
  if (report.failures.length > 4) console.log(`  … ${report.failures.length - 4} more values`);
  // The example is a check too: the good backend passes, the buggy one is caught.
  if ((report.failedCases === 0) !== sort) failed = true;
}
if (failed) process.exitCode = 1;
