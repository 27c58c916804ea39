/**
 * Running `helm template`: finding helm, finding the chart (a local archive or folder, or the
 * chart repository), and reading the manifests it prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { ReleaseToRender } from './releases';
import { isOciRepository, ociChartReference } from '../core/chart-facts';

/** How to get helm, printed when it is missing. */
export const HELM_INSTALL_HINT =
  'install helm 3.8 or later (https://helm.sh/docs/intro/install/, e.g. `brew install helm` or the release binary), put it on PATH or set HELM=/path/to/helm';

/**
 * The helm binary: `HELM` when set, else `helm` on PATH.
 * @returns the path, or undefined when there is none
 */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HELM) return existsSync(env.HELM) ? env.HELM : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, 'helm');
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A Kubernetes object as `helm template` prints it. */
export interface Manifest {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly annotations?: { readonly [k: string]: string };
    readonly [k: string]: unknown;
  };
  readonly [key: string]: any;
}

/** Where a chart comes from. */
export type ChartLocation =
  | { readonly kind: 'local'; readonly path: string; /** the version in the file name, when it is not the pinned one */ readonly otherVersion?: string }
  | { readonly kind: 'repository'; readonly repository: string; readonly chart: string; readonly version?: string };

/**
 * The chart of a release: in `chartDir` (a `<chart>-<version>.tgz` archive, a `<chart>/` folder,
 * or the only `<chart>-*.tgz` archive there), else the release's chart repository.
 * @returns undefined when `chartDir` is given but holds no such chart and the release has no repository
 */
export function locateChart(release: Pick<ReleaseToRender, 'chart' | 'version' | 'repository'>, chartDir?: string): ChartLocation | undefined {
  if (chartDir !== undefined && existsSync(chartDir)) {
    const exact = join(chartDir, `${release.chart}-${release.version}.tgz`);
    if (release.version !== undefined && existsSync(exact)) return { kind: 'local', path: exact };
    const folder = join(chartDir, release.chart);
    if (existsSync(join(folder, 'Chart.yaml'))) return { kind: 'local', path: folder };
    const archives = readdirSync(chartDir)
      .filter((f) => f.startsWith(`${release.chart}-`) && /^\d/.test(f.slice(release.chart.length + 1)) && f.endsWith('.tgz'))
      .sort();
    if (archives.length > 0) {
      const file = archives[archives.length - 1];
      return { kind: 'local', path: join(chartDir, file), otherVersion: file.slice(release.chart.length + 1, -'.tgz'.length) };
    }
    return undefined;
  }
  if (release.repository === undefined || release.repository === '') return undefined;
  return { kind: 'repository', repository: release.repository, chart: release.chart, version: release.version };
}

/** The result of one `helm template`. */
export interface HelmTemplateResult {
  /** The manifests, in helm's order. */
  readonly manifests: readonly Manifest[];
  /** helm's error output when it failed (e.g. a chart's `required`/`fail` message). */
  readonly error?: string;
}

/**
 * Runs `helm template` for `release` from `chart`: the values documents are written to a private
 * temporary folder (removed afterwards; their secrets are placeholders anyway), test hooks are
 * left out.
 */
export function helmTemplate(helm: string, release: ReleaseToRender, chart: ChartLocation): HelmTemplateResult {
  const dir = mkdtempSync(join(tmpdir(), 'wire-federation-render-'));
  try {
    const oci = chart.kind === 'repository' && isOciRepository(chart.repository);
    const reference = chart.kind === 'local' ? chart.path : oci ? ociChartReference(chart.repository, chart.chart) : chart.chart;
    const args = ['template', release.name, reference, '--namespace', release.namespace, '--skip-tests'];
    if (chart.kind === 'repository') {
      // An OCI registry takes the chart as a reference (oci://host/path/chart); Helm refuses --repo with it.
      if (!oci) args.push('--repo', chart.repository);
      if (chart.version !== undefined) args.push('--version', chart.version);
    }
    release.documents.forEach((doc, i) => {
      const file = join(dir, `values-${i}.yaml`);
      writeFileSync(file, stringify(doc.values, { lineWidth: 0, aliasDuplicateObjects: false }), { mode: 0o600 });
      args.push('-f', file);
    });
    const run = spawnSync(helm, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.error) return { manifests: [], error: run.error.message };
    if (run.status !== 0) return { manifests: [], error: (run.stderr || run.stdout).trim() };
    return { manifests: parseManifests(run.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Kubernetes objects in a multi-document YAML text. */
export function parseManifests(text: string): Manifest[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null && typeof m === 'object' && typeof m.kind === 'string' && typeof m.metadata?.name === 'string');
}

/** `helm version --short`, for messages; undefined when it does not run. */
export function helmVersion(helm: string): string | undefined {
  try {
    return execFileSync(helm, ['version', '--short'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}
