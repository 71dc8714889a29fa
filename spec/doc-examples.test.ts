/**
 * The one runner of TSDoc examples: the API reference's examples are claims too.
 *
 * Convention. Every `@example` in src/**\/*.ts and tfjs/*.ts is one ```ts fenced block: a complete
 * program with its own imports that throws if its claim is wrong (`if (…) throw new Error(…)`, not a
 * comment or a console.log). It imports
 * - from the package entry a user imports it from when it documents what an entry exports ('ahop'
 *   = src/index.ts, 'ahop/tfjs', 'ahop/gpu', 'ahop/experiments'): a user's code, importing from
 *   package entries (and installed packages) only;
 * - otherwise (a module-level export) from the module's path relative to the file it is written in
 *   (`from './layer.ts'`), and from installed packages (`@tensorflow/tfjs-core`; tfjs examples
 *   select the cpu backend, which needs nothing native).
 * Each exported function of src/index.ts carries exactly one example and an equation line; every
 * other exported function carries at most one.
 *
 * The declarations are read with the TypeScript compiler; each import is bound to the module it
 * names (loaded here, so 'ahop' is src/index.ts), the types are stripped by ts.transpileModule, and
 * the example runs as an async function. The examples are also type-checked: those of entry exports
 * as a strict consumer's code (`noUncheckedIndexedAccess`, `exactOptionalPropertyTypes`), the
 * module-level ones under the repository's own compiler settings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX = join(ROOT, 'src/index.ts');
/** The package entries (package.json `exports`) and their sources. */
const ENTRIES: Record<string, string> = {
  ahop: INDEX,
  'ahop/tfjs': join(ROOT, 'tfjs/index.ts'),
  'ahop/gpu': join(ROOT, 'gpu/index.ts'),
  'ahop/experiments': join(ROOT, 'src/experiments/index.ts'),
};

interface Example {
  /** Where it is written, relative to the repository root. */
  file: string;
  /** The declaration it documents (`Class.method` for a member). */
  owner: string;
  /** The ```ts block's code, or the whole text when it has no fence. */
  code: string;
  fenced: boolean;
}

/** The TypeScript files whose examples run: src/**, tfjs/*, without tests and test suites. */
function sourceFiles(): string[] {
  const src = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) => `src/${f}`);
  const tfjs = readdirSync(join(ROOT, 'tfjs')).map((f) => `tfjs/${f}`);
  return [...src, ...tfjs].filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'tfjs/suite.ts').sort();
}

function nameOf(node: ts.Node): string | undefined {
  const named = node as ts.Node & { name?: ts.Node };
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (named.name !== undefined && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(',');
  return undefined;
}

function fence(text: string): { code: string; fenced: boolean } {
  const m = /^\s*```ts\n([\s\S]*?)```\s*$/.exec(text);
  return m === null ? { code: text, fenced: false } : { code: m[1], fenced: true };
}

/** Every example of a file, with the exported functions and how many examples each has. */
function examplesOf(file: string): { examples: Example[]; exportedFunctions: Map<string, number> } {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
  const examples: Example[] = [];
  const exportedFunctions = new Map<string, number>();
  const visit = (node: ts.Node, scope: string) => {
    const name = nameOf(node);
    const owner = scope === '' ? (name ?? '?') : `${scope}.${name ?? '?'}`;
    const tags = ts.getJSDocTags(node).filter((t) => t.tagName.text === 'example' && t.parent.parent === node);
    for (const t of tags) examples.push({ file, owner, ...fence(ts.getTextOfJSDocComment(t.comment) ?? '') });
    if (ts.isFunctionDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && name !== undefined) {
      exportedFunctions.set(name, tags.length);
    }
    if (ts.isClassDeclaration(node)) node.members.forEach((m) => visit(m, name ?? '?'));
  };
  source.statements.forEach((s) => visit(s, ''));
  return { examples, exportedFunctions };
}

interface EntryExport {
  name: string;
  /** `file:name` of the declaration, file relative to the repository root. */
  declaration: string;
  isFunction: boolean;
  examples: number;
  prose: string;
}

/** What each package entry exports, each followed to its declaration. */
function entryExports(): Record<string, EntryExport[]> {
  const program = ts.createProgram(Object.values(ENTRIES), {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const of = (entry: string): EntryExport[] => {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    return checker.getExportsOfModule(moduleSymbol).map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decl = symbol.declarations?.[0];
      const tags = decl === undefined ? [] : ts.getJSDocTags(decl).filter((t) => t.tagName.text === 'example');
      const text = decl === undefined ? '' : ts.getJSDocCommentsAndTags(decl).map((d) => d.getText()).join('\n');
      return {
        name: exported.name,
        declaration: decl === undefined ? '' : `${relative(ROOT, decl.getSourceFile().fileName)}:${symbol.name}`,
        isFunction: decl !== undefined && ts.isFunctionDeclaration(decl),
        examples: tags.length,
        prose: text.split('@example')[0],
      };
    });
  };
  return Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, of(file)]));
}

const IMPORT = /import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+[\w$]+|[\w$]+)\s+from\s+['"]([^'"]+)['"];?/g;

/** The module an example's import specifier names: 'ahop' is src/index.ts, './x.ts' is beside the example's file. */
function target(file: string, specifier: string): string {
  if (specifier in ENTRIES) return ENTRIES[specifier];
  if (specifier.startsWith('.')) return resolve(ROOT, dirname(file), specifier);
  return specifier;
}

function specifiers(code: string): string[] {
  return [...code.matchAll(IMPORT)].filter((m) => m[1] === undefined).map((m) => m[3]);
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (modules: unknown) => Promise<void>;

/** Runs an example with each import bound to the module it names; rejects when it throws. */
async function run(example: Pick<Example, 'file' | 'code'>): Promise<void> {
  const modules: Record<string, unknown> = {};
  for (const s of specifiers(example.code)) modules[s] = await import(/* @vite-ignore */ target(example.file, s));
  const js = ts.transpileModule(example.code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const body = js.replace(IMPORT, (_, _type, what: string, s: string) => {
    const m = `modules[${JSON.stringify(s)}]`;
    if (what.startsWith('{')) return `const ${what.replace(/\bas\b/g, ':')} = ${m};`;
    if (what.startsWith('*')) return `const ${what.replace(/^\*\s+as\s+/, '')} = ${m};`;
    return `const ${what} = ${m}.default;`;
  });
  if (/\bimport\b[^(]/.test(body)) throw new Error(`an example's imports must be single-line named, namespace or default imports:\n${body}`);
  await new AsyncFunction('modules', body)(modules);
}

const STRICT_CONSUMER: ts.CompilerOptions = {
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

/** The repository's own settings (tsconfig.json), for the module-level examples. */
const REPOSITORY: ts.CompilerOptions = (() => {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config as { compilerOptions: unknown };
  return ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT).options;
})();

/** Type-checks examples as files beside the ones they are written in; returns the diagnostics. */
function typeErrors(examples: readonly Pick<Example, 'file' | 'owner' | 'code'>[], options: ts.CompilerOptions): string[] {
  const files = new Map(
    examples.map((x, i) => [
      join(ROOT, dirname(x.file), `__example_${i}_${x.owner.replace(/\W/g, '_')}.ts`),
      `${x.code.replace(IMPORT, (all: string, _type, _what, s: string) => all.replace(/(['"])[^'"]+\1/, JSON.stringify(target(x.file, s))))}\nexport {};\n`,
    ]),
  );
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, v, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, v, true) : getSourceFile.call(host, f, v, ...rest));
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file !== undefined && files.has(d.file.fileName))
    .map((d) => `${relative(ROOT, d.file!.fileName).replace(/__example_\d+_/, '@example of ')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

const read = sourceFiles().map(examplesOf);
const all = read.flatMap((r) => r.examples);
/** A user's code: imports from package entries (and installed packages), none from a relative path. */
const isPackageExample = (x: Pick<Example, 'code'>) => specifiers(x.code).some((s) => s in ENTRIES) && !specifiers(x.code).some((s) => s.startsWith('.'));
const entries = entryExports();
const exported = entries.ahop;
const packageFunctions = exported.filter((e) => e.isFunction);

describe('the TSDoc examples of the ahop entry point', () => {
  it('finds the exported functions (the reader of src/index.ts works)', () => {
    expect(packageFunctions.map((f) => f.name)).toEqual(expect.arrayContaining(['retrieve', 'posterior', 'train', 'layerVjp', 'minimise']));
  });

  it.each(packageFunctions.map((f) => [f.name, f] as const))('%s carries exactly one @example and an equation line', (_, f) => {
    expect(f.examples).toBe(1);
    // An equation: a formula relating two sides with =, ~ or ≤ in the prose (not only in the example's code).
    expect(f.prose).toMatch(/\S\s*[=~≤]\s*\S/);
  });

  it('the example of an export of a package entry (ahop, ahop/tfjs, …) imports from no relative path', () => {
    const declarations = new Set(Object.values(entries).flatMap((e) => e.map((x) => x.declaration)));
    const documented = all.filter((x) => declarations.has(`${x.file}:${x.owner.split('.')[0]}`));
    expect(documented.length).toBeGreaterThan(packageFunctions.length);
    const wrong = documented.filter((x) => !isPackageExample(x)).map((x) => `${x.file}: ${x.owner}`);
    expect(wrong).toEqual([]);
  });
});

describe('every TSDoc example in src/ and tfjs/', () => {
  it('finds the examples (the reader works): more than one per file on average in src/hopfield', () => {
    expect(all.filter((x) => x.file.startsWith('src/hopfield/')).length).toBeGreaterThan(10);
    expect(all.some((x) => x.file.startsWith('tfjs/'))).toBe(true);
  });

  it('each is one ```ts block with its imports', () => {
    const wrong = all.filter((x) => !x.fenced || specifiers(x.code).length === 0).map((x) => `${x.file}: ${x.owner}`);
    expect(wrong).toEqual([]);
  });

  it('an exported function carries at most one example', () => {
    const many = read.flatMap((r, i) => [...r.exportedFunctions].filter(([, n]) => n > 1).map(([f]) => `${sourceFiles()[i]}: ${f}`));
    expect(many).toEqual([]);
  });

  it.each(all.map((x) => [`${x.file}: ${x.owner}`, x] as const))('the example of %s runs without throwing', async (_, x) => {
    await run(x);
  }, 60_000);

  it('the examples of entry exports type-check as a strict consumer’s code', () => {
    expect(typeErrors(all.filter(isPackageExample), STRICT_CONSUMER)).toEqual([]);
  }, 120_000);

  it('the module-level examples type-check under the repository’s settings', () => {
    expect(typeErrors(all.filter((x) => !isPackageExample(x)), REPOSITORY)).toEqual([]);
  }, 120_000);
});

describe('the runner is not vacuous', () => {
  it('a mistyped example is caught by the type check', () => {
    const bad = { file: 'src/index.ts', owner: 'bad', code: "import { retrieve } from 'ahop';\nretrieve([[0]], [0], { wDis: [1] });" };
    expect(typeErrors([bad], STRICT_CONSUMER)).toHaveLength(1);
  }, 120_000);

  it('a failing example is caught: one that throws rejects, with ahop and a relative import bound', async () => {
    await expect(run({ file: 'src/index.ts', code: "import { softmax } from 'ahop';\nif (softmax([0, 0])[0] !== 0.25) throw new Error('p_1 = 1/2');" })).rejects.toThrow('p_1 = 1/2');
    await expect(
      run({ file: 'src/hopfield/layer.ts', code: "import { descendingOrder } from './layer.ts';\nif (descendingOrder([0, 1])[0] !== 0) throw new Error('descending');" }),
    ).rejects.toThrow('descending');
  });

  it('a sketch without a fence or imports is reported by the shape check', () => {
    expect(fence("layerForward(inputs); // y").fenced).toBe(false);
    expect(specifiers("const y = layerForward(inputs);")).toEqual([]);
  });
});
