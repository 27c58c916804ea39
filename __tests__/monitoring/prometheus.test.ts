/**
 * A real Prometheus (Debian's `prometheus` binary) on 127.0.0.1 scrapes the exporter every second
 * and evaluates the packaged rule file (monitoring/alerts.yaml) every second. A peer that starts
 * refusing federation turns its series to 0 within one exporter interval and its alert goes
 * pending; asserted through Prometheus' HTTP API. Every wait is bounded in time and count.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EXPORTER_JOB } from '../../lib/monitoring/alert-rules';
import { RunningExporter, startExporter } from '../../lib/verify/serve';
import { REPO_ROOT } from '../support/config';
import { FakeFederation, exporterOptionsFor, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { describeWithBinary } from '../support/test-tools';
import { TempDir } from '../verify/harness';

const PEER = 'wire.beta.test';
const INTERVAL_MS = 2000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Polls `probe` every 250 ms until it returns a value, at most `timeoutMs`; throws with the last state otherwise. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: string | undefined;
  for (let i = 0; i < Math.ceil(timeoutMs / 250) + 1 && Date.now() < until; i++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last})` : ''}`);
}

describeWithBinary('a real Prometheus scrapes the exporter', 'prometheus', (prometheusBinary) => {
  let federation: FakeFederation;
  let exporter: RunningExporter;
  let prometheus: ChildProcess | undefined;
  let api: string;
  let dir: TempDir;
  let log = '';

  beforeAll(async () => {
    const pki = await makeFederationPki();
    federation = await startFakeFederation(pki, [{ domain: PEER, kind: 'healthy' }]);
    exporter = await startExporter(exporterOptionsFor(federation, pki, 1000, INTERVAL_MS));
    dir = new TempDir();
    const config = dir.file(
      'prometheus.yml',
      stringify({
        global: { scrape_interval: '1s', evaluation_interval: '1s' },
        rule_files: [join(REPO_ROOT, 'monitoring', 'alerts.yaml')],
        scrape_configs: [{ job_name: EXPORTER_JOB, static_configs: [{ targets: [new URL(exporter.url).host] }] }],
      }),
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      prometheusBinary,
      [`--config.file=${config}`, `--storage.tsdb.path=${join(dir.path, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    prometheus.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
    await waitFor('Prometheus to be ready', async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((done) => prometheus!.once('exit', done));
      prometheus.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      if (prometheus.exitCode === null) prometheus.kill('SIGKILL');
    }
    await exporter?.stop();
    await federation?.close();
    dir?.cleanup();
  });

  const query = async (promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
    return body.data.result;
  };
  const callValue = async (): Promise<string | undefined> => (await query(`wire_federation_check_ok{check="federation.call",peer="${PEER}"}`))[0]?.value[1];

  test("the healthy peer's federation call is 1, the target is up, no alert for it", async () => {
    expect(await waitFor('the federation call series', callValue)).toBe('1');
    expect((await query(`up{job="${EXPORTER_JOB}"}`))[0]?.value[1]).toBe('1');
    const alerts = (await (await fetch(`${api}/api/v1/alerts`)).json()) as { data: { alerts: Array<{ labels: Record<string, string> }> } };
    expect(alerts.data.alerts.filter((a) => a.labels.peer === PEER)).toEqual([]);
  }, 60_000);

  test('a peer that starts denying federation turns its series to 0 and its alert goes pending', async () => {
    await federation.replacePeer({ domain: PEER, kind: 'denies-federation' });
    // While the peer is swapped, a round may see it unreachable (an error, no refusal) first.
    const denied = `wire_federation_peer_call_refusal{peer="${PEER}",refusal="federation-denied"}`;
    await waitFor('the series to turn 0 and the refusal to show', async () =>
      (await query(denied))[0]?.value[1] === '1' && (await callValue()) === '0' ? true : undefined,
    );
    const alert = await waitFor('the alert to go pending', async () => {
      const res = (await (await fetch(`${api}/api/v1/alerts`)).json()) as {
        data: { alerts: Array<{ labels: Record<string, string>; state: string; annotations: Record<string, string> }> };
      };
      // The summary is rendered at each evaluation: a round that saw the peer unreachable during the swap has no label yet.
      return res.data.alerts.find(
        (a) => a.labels.alertname === 'WireFederationPeerCallFailing' && a.labels.peer === PEER && a.annotations.summary.includes('federation-denied'),
      );
    });
    expect(alert.state).toBe('pending');
    // The alert's series has no refusal label (a changing refusal keeps it pending); its summary looks it up.
    expect(alert.labels.refusal).toBeUndefined();
    expect(alert.annotations.summary).toBe(`The federation call to ${PEER} fails (the federator answered "federation-denied"): users cannot reach ${PEER}`);
  }, 60_000);

  test('Prometheus logged no rule or scrape error', () => {
    expect(log).not.toMatch(/level=error/);
  });
});
