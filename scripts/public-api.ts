/**
 * The public API of the package: every name each entry point of package.json's `exports` offers
 * (`wire-federation-cdktf`, `/verify`, `/cli`, `/dns/*`), with its kind, one per line.
 * api/public-api.txt holds it; __tests__/package/public-api.test.ts fails when the two differ, so
 * the API changes only on purpose:
 *
 *   npm run api:update   # rewrites api/public-api.txt; review and commit the diff
 *
 * The names are read from the TypeScript sources the build compiles (dist/<x>.d.ts is built from
 * <x>.ts by tsconfig.build.json), with the compiler's own resolution of `export *` and re-exports.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..');
export const PUBLIC_API_FILE = join(ROOT, 'api', 'public-api.txt');

/** An entry point: its import specifier and the source file the build compiles it from. */
export interface EntryPoint {
  readonly specifier: string;
  readonly source: string;
}

/** The entry points of package.json's `exports` (those with types), in its order. */
export function entryPoints(root = ROOT): EntryPoint[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { types?: string }> };
  const entries: EntryPoint[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string' || target.types === undefined) continue;
    const source = target.types.replace(/^\.\/dist\//, '').replace(/\.d\.ts$/, '.ts');
    entries.push({ specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`, source });
  }
  return entries;
}

const KINDS: ReadonlyArray<readonly [ts.SymbolFlags, string]> = [
  [ts.SymbolFlags.Class, 'class'],
  [ts.SymbolFlags.Function, 'function'],
  [ts.SymbolFlags.Variable, 'const'],
  [ts.SymbolFlags.Enum, 'enum'],
  [ts.SymbolFlags.Interface, 'interface'],
  [ts.SymbolFlags.TypeAlias, 'type'],
  [ts.SymbolFlags.Module, 'namespace'],
];

function kindOf(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const kinds = KINDS.filter(([flag]) => target.flags & flag).map(([, name]) => name);
  return kinds.length === 0 ? 'unknown' : kinds.join('+');
}

/** Each entry point's exported names as `<kind> <name>` lines, sorted by name. */
export function exportedNames(root = ROOT): Map<string, string[]> {
  const entries = entryPoints(root);
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (config === undefined) throw new Error('tsconfig.build.json: cannot read it');
  const files = entries.map((e) => join(root, e.source));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const result = new Map<string, string[]>();
  for (const entry of entries) {
    const file = program.getSourceFile(join(root, entry.source));
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (module === undefined) throw new Error(`${entry.source} (entry point ${entry.specifier}): not a module of the build`);
    const lines = checker
      .getExportsOfModule(module)
      .map((s) => `${kindOf(checker, s)} ${s.name}`)
      .sort((a, b) => {
        const [na, nb] = [a.split(' ')[1], b.split(' ')[1]];
        return na < nb ? -1 : na > nb ? 1 : 0;
      });
    result.set(entry.specifier, lines);
  }
  return result;
}

/** The text of api/public-api.txt. */
export function publicApiText(root = ROOT): string {
  const out = [
    '# The public API of wire-federation-cdktf: each entry point of package.json `exports` and the',
    '# names it exports (kind, name). Written by `npm run api:update`; __tests__/package/public-api.test.ts',
    '# fails when the sources differ from it. A change here is a change of the public API: review it',
    '# (and CHANGELOG.md, docs/api.md).',
  ];
  for (const [specifier, lines] of exportedNames(root)) {
    out.push('', `## ${specifier} (${lines.length} names)`, ...lines);
  }
  return `${out.join('\n')}\n`;
}

if (require.main === module) {
  writeFileSync(PUBLIC_API_FILE, publicApiText());
  process.stdout.write(`wrote ${PUBLIC_API_FILE}\n`);
}
