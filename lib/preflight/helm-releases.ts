/**
 * What runs in a namespace, read with the operator's helm client and kube context:
 * `helm list -n <namespace> --all -o json` and, for each Wire release, `helm status <name> -n
 * <namespace> -o json`. helm's `-o json` formats (helm `pkg/cmd/list.go` releaseElement:
 * `name`, `namespace`, `revision` (a string), `updated`, `status`, `chart` (`<chart>-<version>`),
 * `app_version`; `helm status` prints the release: `name`, `namespace`, `version` (the
 * revision), `info.status`, `chart.metadata.name` / `.version`).
 */
import { HelmCluster, HelmError, kubeArgs, runHelm } from '../adopt/helm-reader';

/** The namespace preflight lists with helm. */
export interface HelmNamespace extends HelmCluster {
  /** The helm binary. */
  readonly helm: string;
  readonly namespace: string;
}

/** A release that runs (any status helm lists). */
export interface ListedRelease {
  readonly name: string;
  readonly namespace: string;
  /** The chart's name (from `helm status`, else the list's `<chart>-<version>` without the version). */
  readonly chart: string;
  readonly chartVersion?: string;
  readonly revision?: number;
  /** deployed, failed, pending-install, … */
  readonly status: string;
}

/** The charts whose releases preflight asks `helm status` about. */
export const WIRE_CHARTS = ['wire-server', 'nginx-ingress-services', 'wire-ingress'] as const;

/** The command lines preflight runs, for messages. */
export function listArgs(t: HelmNamespace): string[] {
  return ['list', '-n', t.namespace, '--all', '-o', 'json', ...kubeArgs(t)];
}
export function statusArgs(t: HelmNamespace, release: string): string[] {
  return ['status', release, '-n', t.namespace, '-o', 'json', ...kubeArgs(t)];
}

/** `<chart>-<version>` as helm list prints it, split. */
export function splitChart(chart: string): { readonly chart: string; readonly version?: string } {
  const m = /^(.+)-(v?\d+\.\d+\.\d+(?:[-+].*)?)$/.exec(chart);
  return m ? { chart: m[1], version: m[2] } : { chart };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HelmError(`helm ${what} printed no JSON (${(e as Error).message}): is this helm 3.8 or later?`);
  }
}

/**
 * Every release of the namespace; the Wire ones completed by `helm status`.
 * @throws HelmError when helm fails (no cluster, no permission, not helm)
 */
export async function listReleases(target: HelmNamespace): Promise<ListedRelease[]> {
  const listed = await runHelm(target.helm, listArgs(target));
  if (!listed.ok) throw new HelmError(`helm ${listArgs(target).join(' ')} failed: ${listed.stderr}`);
  const rows = parseJson(listed.stdout.trim() === '' ? '[]' : listed.stdout, 'list');
  if (!Array.isArray(rows)) throw new HelmError('helm list printed no list of releases');
  const releases: ListedRelease[] = [];
  for (const row of rows as Array<Record<string, unknown>>) {
    const name = String(row.name ?? '');
    const split = splitChart(String(row.chart ?? ''));
    let release: ListedRelease = {
      name,
      namespace: String(row.namespace ?? target.namespace),
      chart: split.chart,
      chartVersion: split.version,
      revision: Number.isFinite(Number(row.revision)) ? Number(row.revision) : undefined,
      status: String(row.status ?? 'unknown'),
    };
    if ((WIRE_CHARTS as readonly string[]).some((c) => split.chart === c || split.chart.startsWith(`${c}-`))) {
      const status = await runHelm(target.helm, statusArgs(target, name));
      if (status.ok) {
        const s = parseJson(status.stdout, `status ${name}`) as { version?: unknown; info?: { status?: unknown }; chart?: { metadata?: { name?: unknown; version?: unknown } } };
        release = {
          ...release,
          chart: typeof s.chart?.metadata?.name === 'string' ? s.chart.metadata.name : release.chart,
          chartVersion: typeof s.chart?.metadata?.version === 'string' ? s.chart.metadata.version : release.chartVersion,
          revision: typeof s.version === 'number' ? s.version : release.revision,
          status: typeof s.info?.status === 'string' ? s.info.status : release.status,
        };
      } else if (!status.notFound) {
        throw new HelmError(`helm ${statusArgs(target, name).join(' ')} failed: ${status.stderr}`);
      }
    }
    releases.push(release);
  }
  return releases;
}
