// Enforces the dependency rules of ARCHITECTURE.md by reading every file under src/ and checking its
// import specifiers with regular expressions: no dependencies, one `it` per guarantee, and every failure
// names the file, the line and the import. A new folder in src/ fails until it is added to FOLDERS and ALLOWED.

import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

type Layer = 'main' | 'config' | 'deps' | 'ports' | 'errors' | 'cli' | 'http' | 'runtime' | 'dispatch' | 'actions' | 'store' | 'whatsapp' | 'simulator' | 'domain' | 'reference-data' | 'lib';

const TOP_LEVEL_FILES: Readonly<Record<string, Layer>> = { 'main.ts': 'main', 'config.ts': 'config', 'deps.ts': 'deps', 'ports.ts': 'ports', 'errors.ts': 'errors' };
const FOLDERS: readonly Layer[] = ['cli', 'http', 'runtime', 'dispatch', 'actions', 'store', 'whatsapp', 'simulator', 'domain', 'reference-data', 'lib'];

/** `to` is a layer or one file (src-relative). `typeOnly`: `import type` only. `readsOnly`: only find*, get*, list*, count* values. */
type Allowance = { to: string; typeOnly?: true; readsOnly?: true };
const types = (...to: string[]): Allowance[] => to.map((target) => ({ to: target, typeOnly: true }));

// The table of ARCHITECTURE.md, "Dependency rules". main.ts may import everything and is absent on purpose.
const ALLOWED: Readonly<Record<Exclude<Layer, 'main'>, readonly Allowance[]>> = {
  cli: [{ to: 'cli' }, { to: 'actions' }, { to: 'store', readsOnly: true }, { to: 'domain' }, { to: 'deps' }, ...types('config'), { to: 'errors' }, { to: 'lib' }],
  http: [{ to: 'http' }, { to: 'actions' }, { to: 'store', readsOnly: true }, { to: 'domain' }, { to: 'deps' }, ...types('config'), { to: 'errors' }, { to: 'lib' }, { to: 'whatsapp/signature.ts' }, { to: 'whatsapp/webhook.ts' }],
  // Long-running services: an HTTP server with background loops. Built by main.ts, never by cli/.
  runtime: [{ to: 'runtime' }, { to: 'http' }, { to: 'actions' }, { to: 'dispatch' }, { to: 'store', readsOnly: true }, { to: 'deps' }, { to: 'ports' }, ...types('config'), { to: 'errors' }, { to: 'lib' }],
  dispatch: [{ to: 'dispatch' }, { to: 'domain' }, { to: 'store' }, { to: 'ports' }, { to: 'deps' }, { to: 'errors' }, { to: 'lib' }],
  // The estimate reads a campaign and its contacts as the dispatcher does (one loader each, so both decide from the same facts).
  actions: [{ to: 'actions' }, { to: 'domain' }, { to: 'store' }, { to: 'dispatch/campaign-context.ts' }, { to: 'dispatch/decision-inputs.ts' }, { to: 'ports' }, { to: 'deps' }, { to: 'errors' }, { to: 'lib' }],
  store: [{ to: 'store' }, { to: 'domain' }, { to: 'errors' }, { to: 'lib' }],
  // Three pure domain modules read Meta's values (language tags, messaging limits, the template JSON that is
  // both the file format and the create body) for both the client and the parser; importing them keeps one
  // rule instead of a copy that could drift.
  whatsapp: [{ to: 'whatsapp' }, { to: 'domain/language.ts' }, { to: 'domain/messaging-limit.ts' }, { to: 'domain/template-json.ts' }, ...types('domain'), { to: 'ports' }, { to: 'errors' }, { to: 'lib' }],
  // Meta's wire format is shared with the client so a wrong schema fools both only if it contradicts the fixtures (test/contract).
  simulator: [{ to: 'simulator' }, { to: 'whatsapp/graph-wire.ts' }, { to: 'whatsapp/webhook-wire.ts' }, { to: 'whatsapp/signature.ts' }, { to: 'lib' }],
  domain: [{ to: 'domain' }, { to: 'reference-data' }, { to: 'lib' }],
  'reference-data': [{ to: 'reference-data' }, { to: 'lib' }],
  lib: [{ to: 'lib' }],
  errors: [{ to: 'lib' }],
  // config itself only so config.test.ts can import the module it tests.
  config: [{ to: 'config' }, { to: 'errors' }, { to: 'lib' }],
  deps: types('domain', 'store/db.ts', 'config', 'lib', 'ports'),
  ports: types('domain', 'store/db.ts', 'config', 'lib'),
};

// Modules through which the domain could reach disks, networks, processes or other threads.
const IO_BUILTINS = new Set(['fs', 'fs/promises', 'net', 'http', 'https', 'http2', 'child_process', 'dgram', 'dns', 'dns/promises', 'tls', 'cluster', 'worker_threads', 'readline', 'os', 'process', 'module']);
const DB_DRIVERS = new Set(['pg', '@electric-sql/pglite']);
const TEST_PACKAGES = new Set(['vitest', 'fast-check']);

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };

type Import = { line: number; specifier: string; typeOnly: boolean; runtimeNames: string[]; resolved: string | null };
type Module = { file: string; srcPath: string; layer: Layer | null; isTest: boolean; code: string; bare: string; imports: Import[] };

// ---- Reading sources -------------------------------------------------------------------------------

// Comments, strings, templates and regex literals, leftmost first. A `/` starts a regex only after an
// operator or an opening bracket, so divisions stay code. Strings cannot span lines, so a quote inside an
// unrecognised construct can only confuse the rest of its own line.
const TOKEN = new RegExp(
  [
    String.raw`\/\/[^\n]*`,
    String.raw`\/\*[\s\S]*?\*\/`,
    String.raw`'(?:\\.|[^'\\\n])*'`,
    String.raw`"(?:\\.|[^"\\\n])*"`,
    String.raw`\x60(?:\\[\s\S]|[^\x60\\])*\x60`,
    String.raw`(?<=(?:^|[(,=:[!&|?{};]|\breturn)\s*)\/(?![*/])(?:\\.|\[(?:\\.|[^\]\\\n])*\]|[^/\\\n[])+\/[a-z]*`,
  ].join('|'),
  'gm',
);
const blank = (text: string) => text.replace(/[^\n]/g, ' ');

/** `code`: comments blanked. `bare`: literals blanked too (template `${…}` parts kept). Newlines survive, so lines stay right. */
function scanSource(source: string): { code: string; bare: string } {
  const isComment = (token: string) => token.startsWith('//') || token.startsWith('/*');
  const code = source.replace(TOKEN, (token) => (isComment(token) ? blank(token) : token));
  const bare = source.replace(TOKEN, (token) => (token.startsWith('`') && !isComment(token) ? token.replace(/\$\{[^}]*\}|[^\n]/g, (part) => (part.length > 1 ? part : ' ')) : blank(token)));
  return { code, bare };
}

const STATIC_IMPORT = /^[ \t]*(?:import|export)\s+(type\s+)?((?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?)|[\w$]+)\s*from\s*(['"])([^'"\n]+)\3/gm;
const SIDE_EFFECT_IMPORT = /^[ \t]*import\s*(['"])([^'"\n]+)\1/gm;
const DYNAMIC_IMPORT = /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;

/** Every import and re-export of one file (src-relative `file`, e.g. 'src/domain/phone.ts'). */
function findImports(file: string, code: string): Import[] {
  const lineAt = (index: number) => code.slice(0, index).split('\n').length;
  const make = (index: number, specifier: string, typeOnly: boolean, runtimeNames: string[]): Import => ({
    line: lineAt(index),
    specifier,
    typeOnly,
    runtimeNames,
    resolved: specifier.startsWith('.') ? path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) : null,
  });
  const imports: Import[] = [];
  for (const match of code.matchAll(STATIC_IMPORT)) {
    const typeOnly = match[1] !== undefined;
    imports.push(make(match.index + match[0].search(/\S/), match[4] ?? '', typeOnly, typeOnly ? [] : valueNames(match[2] ?? '')));
  }
  for (const match of code.matchAll(SIDE_EFFECT_IMPORT)) imports.push(make(match.index + match[0].search(/\S/), match[2] ?? '', false, ['(side effect)']));
  for (const match of code.matchAll(DYNAMIC_IMPORT)) imports.push(make(match.index, match[2] ?? '', false, ['(dynamic import)']));
  return imports.sort((a, b) => a.line - b.line);
}

/** The value (non-type) bindings of an import clause: `a, { b, type C, d as e }` → ['a (default)', 'b', 'd']. */
function valueNames(clause: string): string[] {
  const names: string[] = [];
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/,/g, ' ').trim();
  if (outside.startsWith('*')) names.push('* (namespace)');
  else if (outside !== '') names.push(`${outside} (default)`);
  for (const part of /\{([^}]*)\}/.exec(clause)?.[1]?.split(',') ?? []) {
    const name = part.trim();
    if (name !== '' && !name.startsWith('type ')) names.push(name.split(/\s+as\s+/)[0] ?? name);
  }
  return names;
}

function layerOf(srcPath: string): Layer | null {
  const [first = '', ...rest] = srcPath.split('/');
  if (rest.length === 0) return TOP_LEVEL_FILES[first.replace(/\.test\.ts$/, '.ts')] ?? null;
  return FOLDERS.find((folder) => folder === first) ?? null;
}

function walk(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const entryPath = `${dir}/${entry.name}`;
    return entry.isDirectory() ? [entryPath, ...walk(entryPath)] : [entryPath];
  });
}

const entries = walk('src');
const modules: Module[] = entries
  .filter((file) => file.endsWith('.ts'))
  .map((file) => {
    const srcPath = file.slice('src/'.length);
    const scanned = scanSource(readFileSync(path.join(repoRoot, file), 'utf8'));
    return { file, srcPath, layer: layerOf(srcPath), isTest: file.endsWith('.test.ts'), ...scanned, imports: findImports(file, scanned.code) };
  });

const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const builtinName = (specifier: string) => (specifier.startsWith('node:') ? specifier.slice(5) : builtinModules.includes(specifier) ? specifier : null);
const where = (module: Module, imported: Import) => `${module.file}:${imported.line} imports '${imported.specifier}'`;
const srcImports = (module: Module) => module.imports.filter((imported) => imported.resolved?.startsWith('src/'));
const matchingLines = (module: Module, pattern: RegExp) => module.bare.split('\n').flatMap((text, index) => (pattern.test(text) ? [`${module.file}:${index + 1}: ${text.trim()}`] : []));

/** The allowance that covers `target` (src-relative) for a module of `layer`, or null when none does. */
function allowanceFor(layer: Exclude<Layer, 'main'>, target: string): Allowance | null {
  const allowances = ALLOWED[layer];
  return allowances.find((allowance) => allowance.to === target) ?? allowances.find((allowance) => allowance.to === layerOf(target)) ?? null;
}

const describeAllowance = (allowance: Allowance) => `${allowance.to}${allowance.typeOnly ? ' (types)' : ''}${allowance.readsOnly ? ' (reads)' : ''}`;

function layerEdges(): Array<{ module: Module; imported: Import; layer: Exclude<Layer, 'main'>; target: string; allowance: Allowance | null }> {
  return modules.flatMap((module) => {
    const layer = module.layer;
    if (layer === null || layer === 'main') return [];
    return srcImports(module).map((imported) => {
      const target = (imported.resolved ?? '').slice('src/'.length);
      return { module, imported, layer, target, allowance: allowanceFor(layer, target) };
    });
  });
}

// ---- The rules -------------------------------------------------------------------------------------

describe('architecture: the dependency rules of ARCHITECTURE.md', () => {
  it('knows every top-level file and folder in src/, so a new layer is added to the table on purpose', () => {
    const unknown = readdirSync(path.join(repoRoot, 'src'), { withFileTypes: true })
      .filter((entry) => (entry.isDirectory() ? !FOLDERS.includes(entry.name as Layer) : layerOf(entry.name) === null))
      .map((entry) => `src/${entry.name}${entry.isDirectory() ? '/' : ''}`);
    expect(unknown, 'add it to FOLDERS/TOP_LEVEL_FILES and ALLOWED in test/architecture.test.ts, and to ARCHITECTURE.md').toEqual([]);
  });

  it('imports across layers only in the directions the table allows', () => {
    const violations = layerEdges()
      .filter((edge) => edge.allowance === null)
      .map((edge) => `${where(edge.module, edge.imported)} (${layerOf(edge.target) ?? 'unknown layer'}): ${edge.layer} may import ${ALLOWED[edge.layer].map(describeAllowance).join(', ')}`);
    expect(violations).toEqual([]);
  });

  it('never imports main.ts: it is the composition root, not a library', () => {
    const violations = modules.flatMap((module) => srcImports(module).filter((imported) => imported.resolved === 'src/main.ts').map((imported) => where(module, imported)));
    expect(violations).toEqual([]);
  });

  it('imports with `import type` only where the table says types: domain/ into whatsapp/, config.ts into cli/ and http/, everything into deps.ts and ports.ts', () => {
    const violations = layerEdges()
      .filter((edge) => edge.allowance?.typeOnly === true && !edge.imported.typeOnly)
      .map((edge) => `${where(edge.module, edge.imported)}: ${edge.layer} may take only types from ${edge.allowance?.to}; write \`import type\``);
    expect(violations).toEqual([]);
  });

  it('lets cli/ and http/ only read from store/ (find*, get*, list*, count*): their writes go through actions/', () => {
    const violations = layerEdges()
      .filter((edge) => edge.allowance?.readsOnly === true)
      .flatMap((edge) => edge.imported.runtimeNames.filter((name) => !/^(find|get|list|count)[A-Z]/.test(name)).map((name) => `${where(edge.module, edge.imported)}: ${name} is not a read; call an action`));
    expect(violations).toEqual([]);
  });

  it('keeps domain/ free of modules that do I/O (files, network, processes, threads)', () => {
    const violations = modules
      .filter((module) => module.layer === 'domain' && !module.isTest)
      .flatMap((module) => module.imports.filter((imported) => IO_BUILTINS.has(builtinName(imported.specifier) ?? '')).map((imported) => where(module, imported)));
    expect(violations).toEqual([]);
  });

  it('keeps domain/ off the clock: `now` is a parameter, never Date.now(), new Date() or performance.now()', () => {
    const violations = modules.filter((module) => module.layer === 'domain' && !module.isTest).flatMap((module) => matchingLines(module, /\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)|\bperformance\.now\s*\(/));
    expect(violations).toEqual([]);
  });

  it('has no import cycles among src files (type-only imports included)', () => {
    const graph = new Map(modules.map((module) => [module.file, srcImports(module).map((imported) => imported.resolved ?? '')] as const));
    const cycles = new Set<string>();
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') {
          const cycle = stack.slice(stack.indexOf(next));
          const start = cycle.indexOf([...cycle].sort()[0] ?? next);
          const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
          cycles.add([...rotated, rotated[0]].join(' → '));
        } else if (!state.has(next) && graph.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect([...cycles]).toEqual([]);
  });

  it('has no barrel index files in src/ (they hide the direction of imports and invite cycles)', () => {
    expect(entries.filter((entry) => /(^|\/)index\.[cm]?[jt]sx?$/.test(entry))).toEqual([]);
  });

  it('reads process.env only in config.ts; main.ts may only hand it whole to loadConfig', () => {
    const readers = modules.filter((module) => module.srcPath !== 'config.ts' && module.srcPath !== 'main.ts').flatMap((module) => matchingLines(module, /\bprocess\.env\b/));
    const mainReads = modules.filter((module) => module.srcPath === 'main.ts').flatMap((module) => matchingLines(module, /\bprocess\.env\s*(\?\.|\.|\[)|=\s*process\.env\b/));
    expect([...readers, ...mainReads]).toEqual([]);
  });

  it('writes to the console only from cli/ (everything else logs through Deps)', () => {
    const violations = modules.filter((module) => module.layer !== 'cli').flatMap((module) => matchingLines(module, /\bconsole\s*\./));
    expect(violations).toEqual([]);
  });

  it('names no file utils, helpers, common, manager or *Service', () => {
    const forbidden = /^(utils|helpers|common|manager)$|service$/i;
    expect(entries.filter((entry) => forbidden.test(path.posix.basename(entry).replace(/(\.test)?\.[^.]+$/, '')))).toEqual([]);
  });

  it('names every file and folder in kebab-case', () => {
    expect(entries.filter((entry) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(path.posix.basename(entry).replace(/(\.test)?\.[^.]+$/, '')))).toEqual([]);
  });

  it('writes every relative import with its .ts extension', () => {
    const violations = modules.flatMap((module) => module.imports.filter((imported) => imported.resolved !== null && !imported.specifier.endsWith('.ts')).map((imported) => where(module, imported)));
    expect(violations).toEqual([]);
  });

  it('keeps shipped code self-contained: only tests beside code import test/helpers/, vitest or fast-check', () => {
    const violations = modules.flatMap((module) =>
      module.imports
        .filter((imported) => (imported.resolved !== null && !imported.resolved.startsWith('src/')) || TEST_PACKAGES.has(packageName(imported.specifier)))
        .filter((imported) => !module.isTest || !(imported.resolved === null || imported.resolved.startsWith('test/helpers/')))
        .map((imported) => where(module, imported)),
    );
    expect(violations).toEqual([]);
  });

  it('imports at runtime only Node built-ins and packages in package.json dependencies, so the published package runs', () => {
    const dependencies = new Set(Object.keys(packageJson.dependencies ?? {}));
    const violations = modules
      .filter((module) => !module.isTest)
      .flatMap((module) => module.imports.filter((imported) => imported.resolved === null && !imported.typeOnly && builtinName(imported.specifier) === null && !dependencies.has(packageName(imported.specifier))).map((imported) => where(module, imported)));
    expect(violations).toEqual([]);
  });

  it('opens database drivers only in store/ (main.ts chooses among its adapters)', () => {
    const violations = modules.filter((module) => module.layer !== 'store').flatMap((module) => module.imports.filter((imported) => DB_DRIVERS.has(packageName(imported.specifier))).map((imported) => where(module, imported)));
    expect(violations).toEqual([]);
  });
});

// ---- The scanner itself: a rule that reads nothing passes for nothing ----------------------------------

describe('architecture: the import scanner', () => {
  it('finds static, type-only, multi-line, re-exported, side-effect and dynamic imports on their lines', () => {
    const source = [
      "import a, { b, type C, d as e } from './a.ts';",
      "import type { F } from '../f.ts';",
      'import {',
      '  g,',
      "} from 'pkg/sub';",
      "export * from './h.ts';",
      "export type { I } from './i.ts';",
      "import './side.ts';",
      "const j = await import('node:fs');",
    ].join('\n');
    const found = findImports('src/x/y.ts', scanSource(source).code).map(({ line, specifier, typeOnly, runtimeNames, resolved }) => [line, specifier, typeOnly, runtimeNames.join(','), resolved]);
    expect(found).toEqual([
      [1, './a.ts', false, 'a (default),b,d', 'src/x/a.ts'],
      [2, '../f.ts', true, '', 'src/f.ts'],
      [3, 'pkg/sub', false, 'g', null],
      [6, './h.ts', false, '* (namespace)', 'src/x/h.ts'],
      [7, './i.ts', true, '', 'src/x/i.ts'],
      [8, './side.ts', false, '(side effect)', 'src/x/side.ts'],
      [9, 'node:fs', false, '(dynamic import)', null],
    ]);
  });

  it('ignores imports, process.env and console in comments and strings, but not in template expressions', () => {
    const source = ["// import x from '../store/db.ts';", "/* console.log('x') */ const url = 'postgres://h/db'; // process.env", 'const re = /^a:\\/\\//; const n = 4 / 2;', 'const t = `${process.env.X}`;'].join('\n');
    const { code, bare } = scanSource(source);
    expect(findImports('src/a.ts', code)).toEqual([]);
    expect(bare).not.toMatch(/console|import/);
    expect(bare.split('\n').map((line) => /process\.env/.test(line))).toEqual([false, false, false, true]);
    expect(bare).toMatch(/4 \/ 2/);
  });

  it('sees the real imports of src/ (main.ts → cli/run-cli.ts), so the rules above are not passing on an empty graph', () => {
    const main = modules.find((module) => module.srcPath === 'main.ts');
    expect(main?.imports.map((imported) => imported.resolved)).toContain('src/cli/run-cli.ts');
    expect(modules.filter((module) => module.imports.length > 0).length).toBeGreaterThan(modules.length / 2);
  });
});
