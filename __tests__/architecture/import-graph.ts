/**
 * The import graph of lib/, bin/ and stacks/, and the layer order it must follow.
 *
 * Imports run DOWNWARD only (a file imports its own layer or a lower one) and never in a circle.
 * The layers, lowest first, are declared once below in {@link LAYERS}; a file in a folder no
 * layer names fails the test until it is declared. Every kind of import counts: `import`,
 * `import type`, `export … from`, `require('…')`, `import('…')`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/** One layer: a name for messages and the folders (ending in `/`) and files it holds. */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
}

/**
 * The layers, LOWEST FIRST (../shared/design/architecture.md, "Where the code is going"). A file
 * may import files of its own layer and of any layer before it, never one after it.
 *
 * - ground floor: pure helpers imported by everyone, importing nothing of ours above it (DNS
 *   names, versions, PEM and X.509, Helm values as data, the chart facts, catalogues, bounded file
 *   reading, the package directory).
 * - config: the schema (a folder by section), its parser by job, the adoption record it reads;
 *   reads files through the ground floor only.
 * - building: constructs and pure value builders, one concern a folder; also the verify check
 *   registry, which the exporter's deployment reads.
 * - rules: the federation rules (checks/) that `WireFederation` itself runs on its resources
 *   (safety lives in the constructs, so the rules sit below the composition).
 * - composition: `WireFederation`, which composes the building blocks and runs the rules.
 * - validation: the one validation pipeline, which builds `WireFederation` for every environment.
 * - after deploy: what runs beside or after a deploy against a cluster or a peer (adopt,
 *   preflight, render, verify).
 * - partners: what two operators exchange (the card, the mesh), built on verify's peer checks.
 * - package root: `lib/index.ts`, the public API: above everything it exports.
 * - commands: the CLI's commands and their shared modules (bin/), thin over lib/.
 * - CLI entry: the commander program and the `wire-federation` executable.
 * - app: this repository's cdktf app and environments (stacks/): only it knows its folders.
 */
export const LAYERS: readonly Layer[] = [
  { name: 'ground floor', paths: ['lib/core/', 'lib/files/', 'lib/order.ts', 'lib/package-dir.ts'] },
  { name: 'config', paths: ['lib/config/'] },
  {
    name: 'building',
    paths: [
      'lib/dns/',
      'lib/pki/',
      'lib/helm/',
      'lib/ingress/',
      'lib/monitoring/',
      'lib/remotes/',
      'lib/guard/',
      'lib/providers/',
      'lib/calling/',
      // The verify check registry (ids, fixes, metrics, alert rules) and its hints: data that the
      // exporter's deployment (lib/monitoring/) reads, so it sits here, below the verifier that runs it.
      'lib/verify/checks/',
      'lib/verify/hints.ts',
    ],
  },
  { name: 'rules', paths: ['lib/checks/'] },
  { name: 'composition', paths: ['lib/federation.ts', 'lib/secret-inputs.ts'] },
  { name: 'validation', paths: ['lib/validation/'] },
  { name: 'after deploy', paths: ['lib/adopt/', 'lib/preflight/', 'lib/render/', 'lib/verify/'] },
  { name: 'partners', paths: ['lib/card/', 'lib/mesh/'] },
  { name: 'package root', paths: ['lib/index.ts'] },
  { name: 'commands', paths: ['bin/commands/', 'bin/options.ts', 'bin/config-source.ts', 'bin/project.ts', 'bin/output.ts', 'bin/exit.ts'] },
  { name: 'CLI entry', paths: ['bin/cli.ts', 'bin/wire-federation.js'] },
  { name: 'app', paths: ['stacks/'] },
];

/**
 * Known exceptions, each removed by work in progress: an import from a file under `from` to a
 * file under `to` (folders end in `/`) that runs upward or closes a circle. The test fails when
 * an entry is no longer needed: delete it then.
 */
export const ALLOWED: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [];

/** The folders whose files are in the graph. */
export const GRAPH_ROOTS = ['lib', 'bin', 'stacks'] as const;

const CODE = /\.(ts|js)$/;

/** The layer index of `file` (relative to the repository, `/`-separated); -1 when undeclared. */
export function layerOf(file: string): number {
  let best = -1;
  let bestLength = -1;
  LAYERS.forEach((layer, i) => {
    for (const p of layer.paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && p.length > bestLength) {
        best = i;
        bestLength = p.length;
      }
    }
  });
  return best;
}

function codeFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    const path = `${dir}/${name}`;
    const st = statSync(join(root, path));
    if (st.isDirectory()) out.push(...codeFiles(root, path));
    else if (CODE.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The code file a relative specifier names, as Node and TypeScript resolve it; undefined for data or missing files. */
function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  const base = resolve(root, dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')];
  const hit = candidates.find((c) => CODE.test(c) && !c.endsWith('.d.ts') && isFile(c));
  return hit === undefined ? undefined : relative(root, hit).split('\\').join('/');
}

/** The relative specifiers `text` imports: import, import type, export … from, require(), import(). */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Every file of {@link GRAPH_ROOTS} with the files of ours it imports (sorted, repository-relative). */
export function importGraph(root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const dir of GRAPH_ROOTS) {
    for (const file of codeFiles(root, dir)) {
      const targets = new Set<string>();
      for (const specifier of importSpecifiers(readFileSync(join(root, file), 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = resolveSpecifier(root, file, specifier);
        if (target !== undefined && target !== file) targets.add(target);
      }
      graph.set(file, [...targets].sort());
    }
  }
  return graph;
}

/** An import that runs from a lower layer up to a higher one. */
export interface UpwardImport {
  readonly from: string;
  readonly to: string;
  readonly fromLayer: string;
  readonly toLayer: string;
}

export function upwardImports(graph: ReadonlyMap<string, readonly string[]>): UpwardImport[] {
  const out: UpwardImport[] = [];
  for (const [from, targets] of graph) {
    const a = layerOf(from);
    for (const to of targets) {
      const b = layerOf(to);
      if (a >= 0 && b >= 0 && b > a) out.push({ from, to, fromLayer: LAYERS[a].name, toLayer: LAYERS[b].name });
    }
  }
  return out;
}

/** Whether an import from `from` to `to` is a known exception of {@link ALLOWED}; returns its index or -1. */
export function allowedIndex(from: string, to: string): number {
  const under = (file: string, p: string): boolean => (p.endsWith('/') ? file.startsWith(p) : file === p);
  return ALLOWED.findIndex((a) => under(from, a.from) && under(to, a.to));
}

/** Files of the graph that no layer declares. */
export function undeclaredFiles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph.keys()].filter((f) => layerOf(f) < 0);
}

/**
 * The circles of the graph: each strongly connected component of more than one file (Tarjan),
 * given as one circle through it (`a → b → … → a`) so the message names the file pairs.
 */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const strongConnect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) strongConnect(v);
  return components.map((component) => circleThrough(graph, component)).sort((a, b) => a[0].localeCompare(b[0]));
}

/** A shortest circle from the first file of `component` back to it, inside the component. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, component: readonly string[]): string[] {
  const inside = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, start];
}
