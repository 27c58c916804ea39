/**
 * One direction: no import of lib/, bin/ or stacks/ runs upward in the layer order, and there is
 * no circle. The layers are declared once, in ./import-graph.ts (LAYERS, with the known exceptions
 * in ALLOWED); the graph comes from the files' imports (`import`, `import type`, `export … from`,
 * `require`, `import()`).
 */
import { join } from 'node:path';
import { ALLOWED, LAYERS, allowedIndex, cycles, importGraph, importSpecifiers, layerOf, undeclaredFiles, upwardImports } from './import-graph';

const REPO_ROOT = join(__dirname, '..', '..');
const graph = importGraph(REPO_ROOT);

/** The graph without the known exceptions. */
const withoutAllowed = new Map([...graph].map(([from, targets]) => [from, targets.filter((to) => allowedIndex(from, to) < 0)]));

describe('the import graph', () => {
  test('reads every kind of import', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "export * from './d';",
      "const e = require('./e');",
      "const f = () => import('./f');",
      "type G = typeof import('./g');",
    ].join('\n');
    expect(importSpecifiers(text).sort()).toEqual(['../b', './a', './c', './d', './e', './f', './g']);
  });

  test('covers lib/, bin/ and stacks/', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('lib/config/parse.ts')).toContain('lib/config/errors.ts');
    expect(graph.get('lib/index.ts')?.length).toBeGreaterThan(20);
    expect([...graph.keys()].some((f) => f.startsWith('bin/commands/'))).toBe(true);
    expect([...graph.keys()].some((f) => f.startsWith('stacks/'))).toBe(true);
  });

  test('finds an upward import and a circle (the checks can fail)', () => {
    const sample = new Map([
      ['lib/core/names.ts', ['lib/config/parse.ts']],
      ['lib/config/parse.ts', ['lib/core/names.ts']],
    ]);
    expect(upwardImports(sample)).toEqual([{ from: 'lib/core/names.ts', to: 'lib/config/parse.ts', fromLayer: 'ground floor', toLayer: 'config' }]);
    expect(cycles(sample)).toEqual([['lib/config/parse.ts', 'lib/core/names.ts', 'lib/config/parse.ts']]);
  });

  test('every file belongs to a declared layer', () => {
    const undeclared = undeclaredFiles(graph);
    if (undeclared.length > 0) {
      throw new Error(`no layer declares ${undeclared.join(', ')}: add its folder to LAYERS in __tests__/architecture/import-graph.ts (lowest layer first)`);
    }
  });

  test('no import runs upward', () => {
    const upward = upwardImports(withoutAllowed);
    const order = LAYERS.map((l) => l.name).join(' < ');
    const lines = upward.map((u) => `${u.from} (${u.fromLayer}) imports ${u.to} (${u.toLayer})`);
    if (lines.length > 0) {
      throw new Error(
        `${lines.length} import(s) run upward (layers, lowest first: ${order}):\n${lines.join('\n')}\nMove what both need down to a lower layer (lib/core/ is the ground floor), or pass it in as a parameter.`,
      );
    }
  });

  test('no circle', () => {
    const found = cycles(withoutAllowed);
    if (found.length > 0) {
      throw new Error(
        `${found.length} circle(s) in the imports:\n${found.map((c) => c.join(' → ')).join('\n')}\nBreak each: move what both files need into a third, lower file, or pass it in.`,
      );
    }
  });

  test('every known exception is still needed', () => {
    const inCycle = new Set(cycles(graph).flatMap((c) => c.map((file) => `${file}`)));
    const used = new Set<number>();
    for (const [from, targets] of graph) {
      for (const to of targets) {
        const i = allowedIndex(from, to);
        if (i < 0) continue;
        const upward = layerOf(to) > layerOf(from);
        if (upward || (inCycle.has(from) && inCycle.has(to))) used.add(i);
      }
    }
    const stale = ALLOWED.filter((_, i) => !used.has(i));
    if (stale.length > 0) {
      throw new Error(
        `no longer needed (${stale.map((a) => `${a.from} → ${a.to}: ${a.why}`).join('; ')}): delete it from ALLOWED in __tests__/architecture/import-graph.ts`,
      );
    }
  });

  test('the CLI entry loads no app folder', () => {
    const entry = ['bin/wire-federation.js', 'bin/cli.ts'].flatMap((f) => graph.get(f) ?? []);
    expect(entry.filter((f) => f.startsWith('stacks/'))).toEqual([]);
  });
});
