/**
 * A small fake of the Kubernetes API on 127.0.0.1 that serves helm's release storage, so the
 * REAL helm client (`helm get values`, `helm get metadata`) can read "running" releases.
 *
 * Helm's default storage driver (helm `pkg/storage/driver/secrets.go`, `util.go`) keeps each
 * revision of a release in a Secret `sh.helm.release.v1.<name>.v<revision>` of the release's
 * namespace, type `helm.sh/release.v1`, labels `owner=helm`, `name`, `status`, `version`, and
 * `data.release` = base64 of the gzipped JSON of the release (the API adds its own base64 of
 * Secret data on top). To read a release helm asks `GET /version`, then lists the namespace's
 * Secrets with `labelSelector=name=<release>,owner=helm` and takes the highest revision.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeRelease {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly chart: string;
  readonly chartVersion: string;
  /** The values the operator supplied (what `helm get values` prints). */
  readonly values: Record<string, unknown>;
  /** @default deployed */
  readonly status?: string;
}

/** The Secret helm stores for `release`. */
export function releaseSecret(release: FakeRelease): Record<string, unknown> {
  const status = release.status ?? 'deployed';
  const stored = {
    name: release.name,
    namespace: release.namespace,
    version: release.revision,
    info: { status, first_deployed: '2026-01-01T00:00:00Z', last_deployed: '2026-01-02T00:00:00Z', description: 'Upgrade complete' },
    chart: { metadata: { apiVersion: 'v2', name: release.chart, version: release.chartVersion }, values: {} },
    config: release.values,
    manifest: '',
  };
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(stored))).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'helm.sh/release.v1',
    metadata: {
      name: `sh.helm.release.v1.${release.name}.v${release.revision}`,
      namespace: release.namespace,
      labels: { owner: 'helm', name: release.name, status, version: String(release.revision) },
    },
    data: { release: Buffer.from(helmEncoded).toString('base64') },
  };
}

export interface FakeKube {
  /** A kubeconfig file pointing at the fake (context `fake`). */
  readonly kubeconfig: string;
  readonly url: string;
  /** Every request as `METHOD path?query`. */
  readonly requests: string[];
  close(): Promise<void>;
}

/** Starts the fake API with `releases` stored. */
export async function startFakeKube(releases: readonly FakeRelease[]): Promise<FakeKube> {
  const requests: string[] = [];
  const secrets = releases.map(releaseSecret);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/version') {
      send(200, { major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
      return;
    }
    // One namespace (`helm get values -n <ns>`), or every namespace (`helm list --all-namespaces`).
    const list = /^\/api\/v1(?:\/namespaces\/([^/]+))?\/secrets$/.exec(url.pathname);
    if (req.method === 'GET' && list) {
      const selector = (url.searchParams.get('labelSelector') ?? '')
        .split(',')
        .filter((s) => s !== '')
        .map((s) => s.split('='));
      const items = secrets.filter((s) => {
        const meta = s.metadata as { namespace: string; labels: Record<string, string> };
        return (list[1] === undefined || meta.namespace === list[1]) && selector.every(([k, v]) => meta.labels[k] === v);
      });
      send(200, { apiVersion: 'v1', kind: 'SecretList', metadata: { resourceVersion: '1' }, items });
      return;
    }
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'wfc-fake-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: fake\n  cluster:\n    server: ${url}`,
      'users:',
      '- name: fake\n  user:\n    token: fake-token',
      'contexts:',
      '- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: default',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return {
    kubeconfig,
    url,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
