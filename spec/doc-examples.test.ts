/**
 * The API reference's examples are claims too: every `@example` in the TSDoc of what `ahop`
 * exports (src/index.ts) runs here against the sources, and an example that throws fails. Each
 * exported function carries exactly one example and an equation line.
 *
 * The exports are read with the TypeScript compiler (following re-exports to their declarations);
 * an example's `import { … } from 'ahop'` is bound to src/index.ts, its types are stripped by
 * ts.transpileModule, and it runs as an async function. The examples are also type-checked as a
 * strict consumer's code.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as ahop from '../src/index.ts';

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

interface Documented {
  name: string;
  isFunction: boolean;
  examples: string[];
  text: string;
}

function documentedExports(): Documented[] {
  const program = ts.createProgram([INDEX], {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  return checker.getExportsOfModule(moduleSymbol).map((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.[0];
    const tags = decl === undefined ? [] : ts.getJSDocTags(decl);
    const examples = tags.filter((t) => t.tagName.text === 'example').map((t) => ts.getTextOfJSDocComment(t.comment) ?? '');
    const text = decl === undefined ? '' : ts.getJSDocCommentsAndTags(decl).map((d) => d.getText()).join('\n');
    return { name: exported.name, isFunction: decl !== undefined && ts.isFunctionDeclaration(decl), examples, text };
  });
}

/** The code of a fenced block (```ts … ```), or the whole text when it has no fence. */
function code(example: string): string {
  const fenced = /```(?:ts|typescript|js)?\n([\s\S]*?)```/.exec(example);
  return fenced === null ? example : fenced[1];
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (lib: unknown) => Promise<void>;

/** Runs an example with `from 'ahop'` bound to the sources; rejects when it throws. */
async function run(example: string): Promise<void> {
  const js = ts.transpileModule(code(example), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const body = js.replace(/import\s*\{([^}]*)\}\s*from\s*['"]ahop['"];?/g, (_, names: string) => `const {${names.replace(/\bas\b/g, ':')}} = lib;`);
  if (/\bimport\b[^(]/.test(body)) throw new Error(`an example may import from 'ahop' only:\n${body}`);
  await new AsyncFunction('lib', body)(ahop);
}

/**
 * Type-checks every example as a strict consumer would write it (`noUncheckedIndexedAccess`,
 * `exactOptionalPropertyTypes`), with `from 'ahop'` resolved to the sources; returns the diagnostics.
 */
function typeErrors(examples: readonly (readonly [string, string])[]): string[] {
  const files = new Map(
    examples.map(([name, x], i) => [
      join(dirname(INDEX), `__example_${i}_${name.replace(/\W/g, '_')}.ts`),
      `${code(x).replace(/from 'ahop'/g, `from ${JSON.stringify(INDEX)}`)}\nexport {};\n`,
    ]),
  );
  const options: ts.CompilerOptions = {
    allowImportingTsExtensions: true,
    noEmit: true,
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, v, ...rest) =>
    files.has(f) ? ts.createSourceFile(f, files.get(f)!, v, true) : getSourceFile.call(host, f, v, ...rest);
  const program = ts.createProgram([...files.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => `${d.file!.fileName.split('__example_')[1]}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

const exported = documentedExports();
const functions = exported.filter((e) => e.isFunction);

describe('the TSDoc examples of the ahop entry point', () => {
  it('finds the exported functions (the reader of src/index.ts works)', () => {
    expect(functions.map((f) => f.name)).toEqual(expect.arrayContaining(['retrieve', 'posterior', 'train', 'checkConformance']));
  });

  it.each(functions.map((f) => [f.name, f] as const))('%s carries exactly one @example and an equation line', (_, f) => {
    expect(f.examples).toHaveLength(1);
    // An equation: a formula relating two sides with =, ~ or ≤ in the prose (not only in the example's code).
    const prose = f.text.split('@example')[0];
    expect(prose).toMatch(/\S\s*[=~≤]\s*\S/);
  });

  const examples = exported.flatMap((e) => e.examples.map((x, i) => [`${e.name}${e.examples.length > 1 ? ` #${i + 1}` : ''}`, x] as const));
  it.each(examples)('the example of %s runs without throwing', async (_, example) => {
    await run(example);
  });

  it('every example type-checks under strict consumer settings', () => {
    expect(typeErrors(examples)).toEqual([]);
  }, 120_000);

  it('a mistyped example is caught by that check', () => {
    expect(typeErrors([['bad', "import { retrieve } from 'ahop';\nretrieve([[0]], [0], { wDis: [1] });"]])).toHaveLength(1);
  }, 120_000);

  it('a failing example is caught: one that throws rejects', async () => {
    await expect(run("import { softmax } from 'ahop';\nif (softmax([0, 0])[0] !== 0.25) throw new Error('p_1 = 1/2');")).rejects.toThrow('p_1 = 1/2');
  });
});
