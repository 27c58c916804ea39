#!/usr/bin/env node
/**
 * A fake `helm` executable for preflight and adopt tests: put its folder first on PATH. It is
 * the OLDEST helm they support (3.8), answering the read commands they run in that helm's
 * output formats:
 * - `helm list [-n <ns> | --all-namespaces] [--deployed --failed --pending] -o json`: `[{"name","namespace","revision",
 *   "updated","status","chart","app_version"}]` (helm 3 `cmd/helm/list.go`, releaseElement;
 *   unchanged in helm 4's `pkg/cmd/list.go`): revision is a string, chart is
 *   `<chart>-<version>`, updated is Go's time.String(). `--all-namespaces` lists every
 *   namespace. Third-party charts list the same way, their version as published (e.g.
 *   `cert-manager-v1.19.1`, `gateway-helm-v1.7.0`: a `v` prefix). (helm 3.0 has no `-A` shorthand, helm 4 no `--all`: the fake refuses both;
 *   `--deployed --failed --pending` are in every version);
 * - `helm status <name> -n <ns> -o json`: the release object (`name`, `namespace`, `version`,
 *   `info.status`, `chart.metadata`, `config`), or `Error: release: not found` with exit 1;
 * - `helm get values <name> -n <ns> -o yaml`: the user-supplied values as YAML (helm
 *   `cmd/helm/get_values.go`);
 * - `helm get metadata`: unknown, as before helm 3.13 (it came with `pkg/action/get_metadata.go`
 *   in 3.13): `Error: unknown command "metadata" for "helm get"`.
 * Releases come from the JSON file named by FAKE_HELM_RELEASES (a list of {name, namespace,
 * revision, chart, chartVersion, appVersion?, status?, values?}); FAKE_HELM_FAIL makes every command
 * fail with that message, as helm does when the cluster is unreachable. Every call is appended
 * to FAKE_HELM_LOG (one line of arguments), and the KUBECONFIG it saw to FAKE_HELM_ENV_LOG.
 */
const { appendFileSync, readFileSync } = require('node:fs');

const args = process.argv.slice(2);
if (process.env.FAKE_HELM_LOG) appendFileSync(process.env.FAKE_HELM_LOG, `${args.join(' ')}\n`);
if (process.env.FAKE_HELM_ENV_LOG) appendFileSync(process.env.FAKE_HELM_ENV_LOG, `KUBECONFIG=${process.env.KUBECONFIG ?? ''}\n`);
const fail = (message) => {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
};
if (process.env.FAKE_HELM_FAIL) fail(process.env.FAKE_HELM_FAIL);

const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (args.includes('-A')) fail("unknown shorthand flag: 'A' in -A");
if (args.includes('--all')) fail('unknown flag: --all'); // gone in helm 4 (pkg/cmd/list.go): the state flags work in both
const allNamespaces = args.includes('--all-namespaces');
const namespace = option('-n') ?? option('--namespace') ?? 'default';
const getValues = args[0] === 'get' && args[1] === 'values';
if (option('-o') !== (getValues ? 'yaml' : 'json')) fail(`the fake answers ${getValues ? 'get values -o yaml' : '-o json'} only`);
const releases = (process.env.FAKE_HELM_RELEASES ? JSON.parse(readFileSync(process.env.FAKE_HELM_RELEASES, 'utf8')) : []).filter(
  (r) => allNamespaces || r.namespace === namespace,
);
const updated = '2026-01-02 10:00:00.000000000 +0000 UTC';

switch (args[0]) {
  case 'list':
  case 'ls':
    process.stdout.write(
      `${JSON.stringify(
        releases.map((r) => ({
          name: r.name,
          namespace: r.namespace,
          revision: String(r.revision),
          updated,
          status: r.status ?? 'deployed',
          chart: `${r.chart}-${r.chartVersion}`,
          app_version: r.appVersion ?? r.chartVersion,
        })),
      )}\n`,
    );
    break;
  case 'status': {
    const r = releases.find((x) => x.name === args[1]);
    if (r === undefined) fail('release: not found');
    process.stdout.write(
      `${JSON.stringify({
        name: r.name,
        info: {
          first_deployed: '2026-01-01T10:00:00Z',
          last_deployed: '2026-01-02T10:00:00Z',
          deleted: '',
          description: 'Upgrade complete',
          status: r.status ?? 'deployed',
        },
        chart: { metadata: { name: r.chart, version: r.chartVersion, appVersion: r.appVersion ?? r.chartVersion, apiVersion: 'v2' } },
        config: {},
        version: r.revision,
        namespace: r.namespace,
      })}\n`,
    );
    break;
  }
  case 'get': {
    if (args[1] !== 'values') fail(`unknown command "${args[1]}" for "helm get"`);
    const r = releases.find((x) => x.name === args[2]);
    if (r === undefined) fail('release: not found');
    process.stdout.write(require('yaml').stringify(r.values ?? null)); // only here: list/status need no package
    break;
  }
  default:
    fail(`unknown command "${args[0]}" for the fake helm`);
}
