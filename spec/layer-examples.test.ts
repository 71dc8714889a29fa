/**
 * Every `@example` in the layer modules runs and does not throw: each example is a program that
 * checks its own claim (`if (…) throw`), evaluated with its module's exports in scope.
 */
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';

const MODULES = ['src/hopfield/layer.ts', 'src/layers/association.ts', 'src/layers/hopfield.ts', 'src/layers/hopfield-pooling.ts', 'src/layers/hopfield-layer.ts', 'src/conformance/kinds-layer.ts'];

/** The ```ts blocks of every @example, with the comment's leading ` * ` removed. */
function examples(source: string): string[] {
  const blocks: string[] = [];
  for (const m of source.matchAll(/@example\s*\n((?:\s*\*.*\n)+?)\s*\*\s*```\s*\n/g)) {
    const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const start = body.findIndex((l) => l.startsWith('```'));
    blocks.push(body.slice(start + 1).join('\n'));
  }
  return blocks;
}

describe('the @example of every exported function of the layer modules runs', () => {
  for (const path of MODULES) {
    it(`${path}: every example runs without throwing`, async () => {
      const source = readFileSync(path, 'utf8');
      const blocks = examples(source);
      const exported = [...source.matchAll(/^export (?:function|class) (\w+)/gm)].length;
      // One example per exported function and per public class method (and constructor).
      expect(blocks.length).toBeGreaterThanOrEqual(exported);
      const mod = (await import(`../${path}`)) as Record<string, unknown>;
      const names = Object.keys(mod);
      for (const code of blocks) {
        const js = transformSync(code, { loader: 'ts' }).code;
        expect(() => new Function(...names, js)(...names.map((n) => mod[n])), code).not.toThrow();
      }
    });
  }
});
