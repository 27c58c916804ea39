/**
 * What runs in the cluster, read with the operator's helm client and kube context:
 * `helm list --all-namespaces --deployed --failed --pending -o json`, one call, every namespace. preflight and adopt
 * find Wire's releases by their CHART, not by the config's release name or namespace, so a typo
 * in either cannot hide a running backend.
 *
 * Supported helm: {@link SUPPORTED_HELM}. The list's JSON is the same in all of them (helm 3
 * `cmd/helm/list.go`, helm 4 `pkg/cmd/list.go`, type releaseElement): `name`, `namespace`,
 * `revision` (a string), `updated`, `status`, `chart` (`<chart>-<version>`), `app_version`.
 * That is where the chart version and the revision come from: `helm get metadata` exists only
 * from helm 3.13, `-A` is not in every helm 3 (`--all-namespaces` is), and helm 4 has no `--all`
 * (the state flags `--deployed --failed --pending` are in both).
 */
import { HelmCluster, HelmError, kubeArgs, runHelm } from '../adopt/helm-reader';

/** The helm versions preflight and adopt support (tested against the list format of the oldest). */
export const SUPPORTED_HELM = 'helm 3.8 or later (helm 3 and helm 4)';

/** The cluster preflight and adopt list with helm. */
export interface HelmListTarget extends HelmCluster {
  /** The helm binary. */
  readonly helm: string;
}

import type { ListedRelease } from '../config/adoption/support-releases';

/** A release that runs (any status helm lists); the type lives with the adoption record, which matches releases too. */
export type { ListedRelease };

/** The charts of Wire releases that preflight and adopt look for across the cluster. */
export const WIRE_CHARTS = ['wire-server', 'nginx-ingress-services', 'wire-ingress'] as const;

/** The command line that lists every release, for messages. */
export function listArgs(t: HelmCluster): string[] {
  return ['list', '--all-namespaces', '--deployed', '--failed', '--pending', '-o', 'json', ...kubeArgs(t)];
}

/** `<chart>-<version>` as helm list prints it, split. */
export function splitChart(chart: string): { readonly chart: string; readonly version?: string } {
  const m = /^(.+)-(v?\d+\.\d+\.\d+(?:[-+].*)?)$/.exec(chart);
  return m ? { chart: m[1], version: m[2] } : { chart };
}

/** The releases of `chart` among `releases`. */
export function releasesOfChart(releases: readonly ListedRelease[], chart: string): ListedRelease[] {
  return releases.filter((r) => r.chart === chart);
}

/** `namespace/name (chart x.y.z, revision n, status)`, for messages. */
export function describeRelease(r: ListedRelease): string {
  return `${r.namespace}/${r.name} (chart ${r.chart}${r.chartVersion ? ` ${r.chartVersion}` : ''}${r.revision !== undefined ? `, revision ${r.revision}` : ''}, ${r.status})`;
}

/**
 * Every release of the cluster (every namespace helm may read).
 * @throws HelmError when helm fails (no cluster, no permission, not helm)
 */
export async function listReleases(target: HelmListTarget): Promise<ListedRelease[]> {
  const listed = await runHelm(target.helm, listArgs(target));
  if (!listed.ok) throw new HelmError(`helm ${listArgs(target).join(' ')} failed: ${listed.stderr}`);
  let rows: unknown;
  try {
    rows = JSON.parse(listed.stdout.trim() === '' ? '[]' : listed.stdout);
  } catch (e) {
    throw new HelmError(`helm list printed no JSON (${(e as Error).message}): is this ${SUPPORTED_HELM}?`);
  }
  if (!Array.isArray(rows)) throw new HelmError('helm list printed no list of releases');
  return (rows as Array<Record<string, unknown>>).map((row) => {
    const split = splitChart(String(row.chart ?? ''));
    const revision = Number(row.revision);
    return {
      name: String(row.name ?? ''),
      namespace: String(row.namespace ?? ''),
      chart: split.chart,
      chartVersion: split.version,
      revision: Number.isInteger(revision) && revision > 0 ? revision : undefined,
      status: String(row.status ?? 'unknown'),
    };
  });
}

/** @deprecated the list covers every namespace: use {@link HelmListTarget}. */
export type HelmNamespace = HelmListTarget & { readonly namespace?: string };
