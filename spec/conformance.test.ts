import { describe, expect, it } from 'vitest';
import { checkConformance } from '../src/conformance/check.ts';
import { compareOut } from '../src/conformance/compare.ts';
import { exportConformance } from '../src/conformance/export.ts';
import type { Out } from '../src/conformance/format.ts';
import { KINDS } from '../src/conformance/kinds.ts';
import { ParseError } from '../src/errors.ts';

const file = exportConformance({ seed: 7, cases: 120 });
const text = JSON.stringify(file);

/** Every numeric leaf of an output with its path. */
function leaves(out: Out, path = 'out'): [string, number][] {
  if (typeof out === 'number') return [[path, out]];
  if (Array.isArray(out)) return out.flatMap((o: Out, i: number) => leaves(o, `${path}[${i}]`));
  return Object.entries(out).flatMap(([k, v]) => leaves(v as Out, `${path}.${k}`));
}

function setLeaf(out: Out, path: string, value: number): Out {
  const copy = JSON.parse(JSON.stringify(out));
  const keys = path.replace(/^out\.?/, '').match(/[^.[\]]+/g) ?? [];
  if (keys.length === 0) return value;
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k];
  node[keys[keys.length - 1]] = value;
  return copy;
}

describe('conformance export', () => {
  it('the reference accepts its own export', () => {
    const r = checkConformance(text);
    expect(r.failures).toEqual([]);
    expect(r.cases).toBe(120);
  });
  it('covers every case kind and the edge flavours d = 1, N = 1 and magnitudes near 1e3', () => {
    expect(new Set(file.cases.map((c) => c.kind))).toEqual(new Set(KINDS.keys()));
    expect(file.cases.some((c) => Array.isArray(c.xi) && c.xi.length === 1)).toBe(true);
    expect(file.cases.some((c) => Array.isArray(c.memories) && c.memories.length === 1)).toBe(true);
    expect(file.cases.some((c) => Array.isArray(c.query) && c.query.some((v) => Math.abs(v as number) > 100))).toBe(true);
  });
  it('is byte-identical for the same seed and differs for another', () => {
    expect(JSON.stringify(exportConformance({ seed: 7, cases: 30 }))).toBe(JSON.stringify(exportConformance({ seed: 7, cases: 30 })));
    expect(JSON.stringify(exportConformance({ seed: 8, cases: 30 }))).not.toBe(JSON.stringify(exportConformance({ seed: 7, cases: 30 })));
  });
  it('changing any output number above the abs-tolerance floor (|v| > 1e-9) by 1e-3 relative is caught', () => {
    let checked = 0;
    for (const c of file.cases) {
      const kind = KINDS.get(c.kind)!;
      for (const [path, v] of leaves(c.out)) {
        if (Math.abs(v) <= 1e-9) continue;
        const expected = kind.compute(kind.parse(c));
        const found = compareOut(expected, setLeaf(c.out, path, v * (1 + 1e-3)), file.tolerance, kind.integerFields);
        expect(found.map((m) => m.field), `${c.kind} ${path}`).toEqual([path]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

describe('conformance check of malformed files', () => {
  const mutate = (f: (j: Record<string, any>) => void) => {
    const j = JSON.parse(text);
    f(j);
    return JSON.stringify(j);
  };
  it('a truncated file is a ParseError', () => expect(() => checkConformance(text.slice(0, text.length / 2))).toThrow(/not valid JSON/));
  it('an unknown kind is a ParseError', () => expect(() => checkConformance(mutate((j) => (j.cases[0].kind = 'magic')))).toThrow(/unknown kind/));
  it('an output of the wrong shape is a ParseError', () =>
    expect(() => checkConformance(mutate((j) => j.cases[0].out.pop()))).toThrow(/must be an array of length/));
  it('a non-finite number (1e999 parses to Infinity) is a ParseError', () =>
    expect(() => checkConformance(text.replace(/"out":\[([-0-9.e]+)/, '"out":[1e999'))).toThrow(ParseError));
  it('inputs of mismatched d are a ParseError naming the case', () =>
    expect(() => checkConformance(mutate((j) => j.cases[1].query.push(0)))).toThrow(/cases\[1\] \(similarity\)/));
  it('a wrong format tag or version is a ParseError', () => {
    expect(() => checkConformance(mutate((j) => (j.format = 'other')))).toThrow(/format/);
    expect(() => checkConformance(mutate((j) => (j.version = 9)))).toThrow(/version/);
  });
  it('a negative tolerance is a ParseError', () => expect(() => checkConformance(mutate((j) => (j.tolerance.rel = -1)))).toThrow(/tolerance.rel/));
});
