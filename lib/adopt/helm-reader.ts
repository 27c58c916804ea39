/**
 * Reads a running release with the operator's helm client and kube context:
 * `helm get values <release> -n <namespace> -o yaml` (the values the operator supplied, without
 * chart defaults); its chart version and revision come from `helm list` (lib/preflight/helm-releases.ts). Asynchronous, so a caller's
 * event loop keeps running while helm talks to the cluster.
 */
import { execFile } from 'node:child_process';
import { parse as parseYaml } from 'yaml';
import { resolveConfigPath } from '../config/parse';
import type { Values } from '../helm/values/types';
import type { RunningRelease } from './plan';

/** The cluster helm talks to: kubeconfig and kube context (adopt and preflight alike). */
export interface HelmCluster {
  /** @default - helm's default ($KUBECONFIG, else ~/.kube/config) */
  readonly kubeconfig?: string;
  /** @default - the kubeconfig's current context */
  readonly context?: string;
}

/** One release adopt reads with helm. */
export interface HelmTarget extends HelmCluster {
  /** The helm binary. */
  readonly helm: string;
  readonly release: string;
  readonly namespace: string;
}

/** helm's flags for `cluster`: `--kubeconfig <file>`, `--kube-context <name>`. */
export function kubeArgs(cluster: HelmCluster): string[] {
  return [
    ...(cluster.kubeconfig !== undefined ? ['--kubeconfig', cluster.kubeconfig] : []),
    ...(cluster.context !== undefined ? ['--kube-context', cluster.context] : []),
  ];
}

/** The default of `kubernetes.kubeconfigPath`: helm's own default, so it is not passed. */
export const DEFAULT_KUBECONFIG = '~/.kube/config';

/**
 * The cluster of an environment as helm is told it: `--kubeconfig` only when the config names
 * a kubeconfig of its own (`kubernetes.kubeconfigPath` other than the default `~/.kube/config`;
 * `~` and relative paths resolved from `cwd`, the directory helm runs in), so that otherwise
 * helm reads `$KUBECONFIG` as the operator has set it (else `~/.kube/config`); and the kube
 * context given on the command line (`--kube-context`), else the config's `kubernetes.context`.
 */
export function helmClusterOf(kubernetes: { readonly kubeconfigPath: string; readonly context?: string }, cwd: string, kubeContext?: string): HelmCluster {
  const named = kubernetes.kubeconfigPath !== DEFAULT_KUBECONFIG;
  return { kubeconfig: named ? resolveConfigPath(kubernetes.kubeconfigPath, cwd) : undefined, context: kubeContext ?? kubernetes.context };
}

/** helm failed for another reason than a missing release. */
export class HelmError extends Error {}

/** What one helm command answered. */
export type HelmRun = { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly stderr: string; readonly notFound: boolean };

/** Runs helm with `args` (never through a shell); a missing release is `notFound`. */
export function runHelm(helm: string, args: readonly string[]): Promise<HelmRun> {
  return new Promise((resolvePromise) => {
    // The environment passed explicitly: what this process sees (KUBECONFIG, HELM_*), also under a test runner's sandbox.
    execFile(helm, [...args], { env: process.env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (error, stdout, stderr) => {
      if (!error) return resolvePromise({ ok: true, stdout });
      const text = (stderr || error.message).trim();
      resolvePromise({ ok: false, stderr: text, notFound: /release: not found/.test(text) });
    });
  });
}

/** The command line adopt runs for a release's values, for messages. */
export function helmArgs(target: HelmTarget): string[] {
  return ['get', 'values', target.release, '-n', target.namespace, '-o', 'yaml', ...kubeArgs(target)];
}

/**
 * The running release's values, or undefined when helm says it does not exist. Its chart
 * version and revision come from `helm list` (every supported helm prints them there; `helm get
 * metadata` needs helm 3.13): pass them as `listed`.
 * @throws HelmError when helm fails otherwise (unreachable cluster, no permission, no helm)
 */
export async function readRunningRelease(
  target: HelmTarget,
  listed: { readonly chartVersion?: string; readonly revision?: number } = {},
): Promise<RunningRelease | undefined> {
  const values = await runHelm(target.helm, helmArgs(target));
  if (!values.ok) {
    if (values.notFound) return undefined;
    throw new HelmError(`helm ${helmArgs(target).join(' ')} failed: ${values.stderr}`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(values.stdout);
  } catch (e) {
    throw new HelmError(`helm get values ${target.release} printed no valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  return {
    values: parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Values) : {},
    exists: true,
    chartVersion: listed.chartVersion,
    revision: listed.revision,
  };
}
