#!/usr/bin/env node
/**
 * A fake `helm` executable for preflight and adopt tests: put its folder first on PATH. It
 * answers the read commands preflight and adopt run in helm's documented output formats:
 * - `helm list -n <ns> [--all] -o json`: `[{"name","namespace","revision","updated","status",
 *   "chart","app_version"}]` (helm `pkg/cmd/list.go`, releaseElement: revision is a string,
 *   chart is `<chart>-<version>`);
 * - `helm status <name> -n <ns> -o json`: the release object (`name`, `namespace`, `version`,
 *   `info.status`, `chart.metadata`, `config`), or `Error: release: not found` with exit 1;
 * - `helm get values <name> -n <ns> -o yaml`: the user-supplied values as YAML (helm
 *   `pkg/cmd/get_values.go`), and `helm get metadata <name> -n <ns> -o json`: `name`, `chart`,
 *   `version` (the chart's), `appVersion`, `namespace`, `revision` (a number), `status`,
 *   `deployedAt` (helm `pkg/action/get_metadata.go`, Metadata); a missing release as above.
 * Releases come from the JSON file named by FAKE_HELM_RELEASES (a list of {name, namespace,
 * revision, chart, chartVersion, appVersion?, status?, values?}); FAKE_HELM_FAIL makes every command
 * fail with that message, as helm does when the cluster is unreachable. Every call is appended
 * to FAKE_HELM_LOG (one line of arguments).
 */
const { appendFileSync, readFileSync } = require('node:fs');

const args = process.argv.slice(2);
if (process.env.FAKE_HELM_LOG) appendFileSync(process.env.FAKE_HELM_LOG, `${args.join(' ')}\n`);
const fail = (message) => {
  process.stderr.write(`Error: ${message}\n`);
  process.exit(1);
};
if (process.env.FAKE_HELM_FAIL) fail(process.env.FAKE_HELM_FAIL);

const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const namespace = option('-n') ?? option('--namespace') ?? 'default';
const getValues = args[0] === 'get' && args[1] === 'values';
if (option('-o') !== (getValues ? 'yaml' : 'json')) fail(`the fake answers ${getValues ? 'get values -o yaml' : '-o json'} only`);
const releases = (process.env.FAKE_HELM_RELEASES ? JSON.parse(readFileSync(process.env.FAKE_HELM_RELEASES, 'utf8')) : []).filter((r) => r.namespace === namespace);
const updated = '2026-01-02 10:00:00.000000000 +0000 UTC';

switch (args[0]) {
  case 'list':
  case 'ls':
    process.stdout.write(
      `${JSON.stringify(
        releases.map((r) => ({ name: r.name, namespace: r.namespace, revision: String(r.revision), updated, status: r.status ?? 'deployed', chart: `${r.chart}-${r.chartVersion}`, app_version: r.appVersion ?? r.chartVersion })),
      )}\n`,
    );
    break;
  case 'status': {
    const r = releases.find((x) => x.name === args[1]);
    if (r === undefined) fail('release: not found');
    process.stdout.write(
      `${JSON.stringify({
        name: r.name,
        info: { first_deployed: '2026-01-01T10:00:00Z', last_deployed: '2026-01-02T10:00:00Z', deleted: '', description: 'Upgrade complete', status: r.status ?? 'deployed' },
        chart: { metadata: { name: r.chart, version: r.chartVersion, appVersion: r.appVersion ?? r.chartVersion, apiVersion: 'v2' } },
        config: {},
        version: r.revision,
        namespace: r.namespace,
      })}\n`,
    );
    break;
  }
  case 'get': {
    const r = releases.find((x) => x.name === args[2]);
    if (r === undefined) fail('release: not found');
    if (args[1] === 'values') process.stdout.write(require('yaml').stringify(r.values ?? null)); // only here: list/status need no package
    else if (args[1] === 'metadata') {
      process.stdout.write(
        `${JSON.stringify({ name: r.name, chart: r.chart, version: r.chartVersion, appVersion: r.appVersion ?? r.chartVersion, namespace: r.namespace, revision: r.revision, status: r.status ?? 'deployed', deployedAt: '2026-01-02T10:00:00Z' })}\n`,
      );
    } else fail(`unknown command "get ${args[1]}" for the fake helm`);
    break;
  }
  default:
    fail(`unknown command "${args[0]}" for the fake helm`);
}
