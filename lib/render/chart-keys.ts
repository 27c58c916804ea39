/**
 * Which value paths a chart reads. A path counts as read when it appears in the chart's default
 * values or its templates name its key (`.key`, `"key"`), and everything below a key that a
 * template passes on whole (`toYaml .key`, `range … := .key`) counts as read. Subcharts read the
 * values under their name; `global` and the dependencies' tags and conditions are read by Helm.
 * A heuristic, but one that catches the usual dead keys: a typo, a key the chart removed (the
 * federation docs still show some), or a key of another chart version.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Values } from '../helm/values/types';

/** What render needs to know of a chart (and its subcharts). */
export interface ChartKeys {
  readonly name: string;
  /** Default values (values.yaml). */
  readonly defaults: Values;
  /** Text of the templates and other files the templates may read. */
  readonly text: string;
  /** Subcharts by the key their values live under (alias or name). */
  readonly subcharts: ReadonlyMap<string, ChartKeys>;
  /** Tags and condition paths of the dependencies. */
  readonly tags: ReadonlySet<string>;
  readonly conditions: ReadonlySet<string>;
}

const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);
const SKIP = /^(values.*\.ya?ml|values\.schema\.json|Chart\.(yaml|lock)|requirements\.(yaml|lock)|README.*|LICENSE.*|\.helmignore|.*\.tgz)$/i;

function textFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...textFiles(path));
    else out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

function readYaml(path: string): any {
  return existsSync(path) ? parse(readFileSync(path, 'utf8')) : undefined;
}

/** Reads an unpacked chart folder (subcharts in `charts/`, folders or archives). */
export function readChartKeys(dir: string): ChartKeys {
  const chart = readYaml(join(dir, 'Chart.yaml')) ?? {};
  const deps: any[] = [...(chart.dependencies ?? []), ...(readYaml(join(dir, 'requirements.yaml'))?.dependencies ?? [])];
  const texts: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'charts' || SKIP.test(entry)) continue;
    const path = join(dir, entry);
    texts.push(...(statSync(path).isDirectory() ? textFiles(path) : [readFileSync(path, 'utf8')]));
  }
  const subcharts = new Map<string, ChartKeys>();
  const chartsDir = join(dir, 'charts');
  if (existsSync(chartsDir)) {
    for (const entry of readdirSync(chartsDir)) {
      const path = join(chartsDir, entry);
      const sub = statSync(path).isDirectory() ? readChartKeys(path) : entry.endsWith('.tgz') ? withUnpacked(path, readChartKeys) : undefined;
      if (sub === undefined) continue;
      const aliases = deps.filter((d) => d.name === sub.name).map((d) => d.alias ?? d.name);
      for (const key of aliases.length > 0 ? aliases : [sub.name]) subcharts.set(key, sub);
    }
  }
  return {
    name: String(chart.name ?? ''),
    defaults: isMap(readYaml(join(dir, 'values.yaml'))) ? readYaml(join(dir, 'values.yaml')) : {},
    text: texts.join('\n'),
    subcharts,
    tags: new Set(deps.flatMap((d) => d.tags ?? [])),
    conditions: new Set(
      deps.flatMap((d) =>
        String(d.condition ?? '')
          .split(',')
          .filter(Boolean),
      ),
    ),
  };
}

/** Unpacks a chart archive into a temporary folder, runs `read` on the chart in it, removes it. */
export function withUnpacked<T>(archive: string, read: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'wire-federation-chart-'));
  try {
    execFileSync('tar', ['xzf', archive, '-C', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [top] = readdirSync(dir).filter((e) => existsSync(join(dir, e, 'Chart.yaml')));
    if (top === undefined) throw new Error(`${archive} holds no chart (no */Chart.yaml)`);
    return read(join(dir, top));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a template names `key` (`.key`, `"key"`). */
function mentioned(texts: readonly string[], key: string): boolean {
  const re = new RegExp(`(?:\\.|")${escape(key)}(?![A-Za-z0-9_-])`);
  return texts.some((t) => re.test(t));
}

/** Whether a template passes everything below `key` on whole (toYaml/toJson, range, tpl). */
function passedWhole(texts: readonly string[], key: string): boolean {
  const k = escape(key);
  const res = [
    new RegExp(`(?:toYaml|toJson|toPrettyJson|toRawJson|tpl|keys|range[^}]*:=)\\s*\\(?\\s*[$\\w.]*\\.${k}(?![A-Za-z0-9_.-])`),
    new RegExp(`\\.${k}(?![A-Za-z0-9_.-])\\s*\\)?\\s*\\|\\s*(?:toYaml|toJson|toPrettyJson|toRawJson)`),
    new RegExp(`with\\s+[$\\w.]*\\.${k}\\s*-?}}[^{]{0,80}{{-?\\s*(?:toYaml|toJson)\\s+\\.\\s`),
  ];
  return texts.some((t) => res.some((re) => re.test(t)));
}

/**
 * The value paths of `values` that `chart` never reads (the shortest unread prefix of each).
 * Lists are leaves.
 */
export function unreadPaths(chart: ChartKeys, values: Values): string[] {
  const out: string[] = [];
  const walk = (tree: ChartKeys, texts: readonly string[], vals: Values, defaults: unknown, prefix: string[], top: boolean): void => {
    for (const [key, value] of Object.entries(vals)) {
      const path = [...prefix, key];
      if (top) {
        if (key === 'global') continue;
        if (key === 'tags' && isMap(value)) {
          for (const tag of Object.keys(value)) if (!tree.tags.has(tag)) out.push(`tags.${tag}`);
          continue;
        }
        const sub = tree.subcharts.get(key);
        if (sub !== undefined) {
          if (isMap(value)) {
            const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !tree.conditions.has(`${key}.${k}`)));
            walk(sub, [sub.text, ...texts], rest, sub.defaults, path, true);
          }
          continue;
        }
      }
      const inDefaults = isMap(defaults) && key in defaults;
      if (!inDefaults && !mentioned(texts, key) && !tree.conditions.has(path.join('.'))) {
        out.push(path.join('.'));
        continue;
      }
      if (passedWhole(texts, key)) continue;
      if (isMap(value)) walk(tree, texts, value, isMap(defaults) ? defaults[key] : undefined, path, false);
    }
  };
  walk(chart, [chart.text], values, chart.defaults, [], true);
  return out;
}
