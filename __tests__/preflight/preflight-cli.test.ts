/**
 * `wire-federation preflight`, in process, with a fake `helm` first on PATH
 * (`support/fake-helm.js`, answering `helm list`/`helm status -o json` as helm documents them)
 * and a fake Cloudflare API on 127.0.0.1. The acme scenario of the issue: a wire-server runs,
 * the environment has no adoption record: refused before anything is created, with the adopt
 * command to run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { runCli } from '../../bin/cli';
import { lines } from '../support/cli';
import { PEER_CA_PEM } from '../support/config';
import { FakeCloudflare, startFakeCloudflare } from '../support/fake-cloudflare';

const ZONE = '0123456789abcdef0123456789abcdef';
// preflight runs the validation pipeline (a scratch build of the stack) before asking helm: sized for a loaded 2-core machine.
jest.setTimeout(60_000);
const FAKE_HELM = join(__dirname, '..', 'support', 'fake-helm.js');

interface Release {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  readonly chart: string;
  readonly chartVersion: string;
  readonly status?: string;
  /** What `helm get values` answers (adopt). */
  readonly values?: unknown;
}
const release = (name: string, chart: string, namespace = 'wire'): Release => ({ name, namespace, revision: 4, chart, chartVersion: '5.30.0' });
const ONPREM = join(__dirname, '..', 'fixtures', 'adopt', 'onprem');
const runningValues = (chart: string): unknown => parseYaml(readFileSync(join(ONPREM, `${chart}.yaml`), 'utf8'));

let root: string;
let helmDir: string;
let n = 0;
const saved = { PATH: process.env.PATH, HELM: process.env.HELM, token: process.env.CLOUDFLARE_API_TOKEN, tfToken: process.env.TF_VAR_cloudflare_api_token };
const env = ['FAKE_HELM_RELEASES', 'FAKE_HELM_FAIL', 'FAKE_HELM_LOG'] as const;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wfc-preflight-'));
  helmDir = join(root, 'bin');
  mkdirSync(helmDir);
  symlinkSync(FAKE_HELM, join(helmDir, 'helm'));
  delete process.env.HELM;
  delete process.env.CLOUDFLARE_API_TOKEN;
  delete process.env.TF_VAR_cloudflare_api_token;
  process.env.PATH = `${helmDir}${delimiter}${saved.PATH}`;
});
afterEach(() => {
  for (const k of env) delete process.env[k];
  delete process.env.CLOUDFLARE_API_TOKEN;
});
afterAll(() => {
  process.env.PATH = saved.PATH;
  if (saved.HELM !== undefined) process.env.HELM = saved.HELM;
  if (saved.token !== undefined) process.env.CLOUDFLARE_API_TOKEN = saved.token;
  if (saved.tfToken !== undefined) process.env.TF_VAR_cloudflare_api_token = saved.tfToken;
  rmSync(root, { recursive: true, force: true });
});

/** A consumer's folder with acme.yaml (and an adoption record when given); the cluster runs `releases`. */
function scenario(
  releases: readonly Release[],
  overrides: Record<string, unknown> = {},
  record?: Record<string, unknown>,
): { dir: string; file: string; log: string } {
  const dir = join(root, `run-${++n}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'acme.yaml');
  if (record !== undefined) writeFileSync(join(dir, 'adopted.json'), JSON.stringify(record));
  writeFileSync(
    file,
    stringify({
      environment: 'acme',
      backendDomain: 'acme.example.org',
      federatorDomain: 'federator.acme.example.org',
      ingress: { ipv4: '198.51.100.20' },
      dns: { backendZoneId: ZONE, infrastructureZoneId: ZONE },
      kubernetes: { context: 'acme-prod', namespace: 'wire' },
      charts: { wireServer: { version: '5.32.0', valuesFiles: ['wire-server.yaml'] }, nginxIngressServices: { version: '5.32.0' } },
      peers: [{ domain: 'partner.example.net', caCertificates: [{ pem: PEER_CA_PEM }] }],
      ...(record !== undefined ? { adoptionFile: 'adopted.json' } : {}),
      ...overrides,
    }),
  );
  // What validate asks for too (preflight runs its checks first): the operator's values file and the lock.
  mkdirSync(join(dir, 'locks'), { recursive: true });
  writeFileSync(
    join(dir, 'locks', 'acme.json'),
    `${JSON.stringify({ environment: 'acme', backendDomain: overrides.backendDomain ?? 'acme.example.org', peers: ['partner.example.net'] })}\n`,
  );
  writeFileSync(join(dir, 'wire-server.yaml'), 'brig:\n  config:\n    cassandra:\n      host: cassandra-external\n');
  const releasesFile = join(dir, 'releases.json');
  writeFileSync(releasesFile, JSON.stringify(releases));
  process.env.FAKE_HELM_RELEASES = releasesFile;
  process.env.FAKE_HELM_LOG = join(dir, 'helm.log');
  return { dir, file, log: join(dir, 'helm.log') };
}

async function preflight(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['preflight', ...args], { writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  return { code, out, err };
}

const ADOPTED = {
  environment: 'acme',
  backendDomain: 'acme.example.org',
  releases: {
    wireServer: { import: 'wire/wire-server', sensitiveValues: [] },
    nginxIngressServices: { import: 'wire/nginx-ingress-services', sensitiveValues: [] },
  },
  dnsRecords: {},
};

describe('preflight with helm', () => {
  test("an empty namespace passes (and says to state greenfield: true); helm was asked read-only in the config's namespace and context", async () => {
    const { file, log } = scenario([]);
    const { code, out, err } = await preflight([file]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)).toEqual([
      `✔ ${file}: namespace wire of kube context acme-prod runs no release; passed`,
      '  · DNS not looked up (no CLOUDFLARE_API_TOKEN): set a token with DNS read access to check the federator records too',
      '  · nothing the stacks create runs yet: this is a new backend. Say so in the config (greenfield: true), so that review knows',
    ]);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      expect.stringMatching(/^list --all-namespaces --deployed --failed --pending -o json --kube-context acme-prod$/),
    ]);
  });

  test('acme: a wire-server runs and there is no adoption record: refused (exit 1) with the adopt command, as typed here', async () => {
    const { file, log } = scenario([
      release('wire-server', 'wire-server'),
      release('nginx-ingress-services', 'nginx-ingress-services'),
      release('cert-manager', 'cert-manager', 'wire'),
    ]);
    const { code, out, err } = await preflight([file]);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    const [head, ...rest] = lines(out);
    expect(head).toBe(
      `✖ ${file}: namespace wire of kube context acme-prod runs wire-server (wire-server 5.30.0), nginx-ingress-services (nginx-ingress-services 5.30.0), cert-manager (cert-manager 5.30.0); refused: 2 errors`,
    );
    const cmd = `npx wire-federation adopt ${file}`;
    expect(rest[0]).toBe(
      `  ✖ adoptionFile: release wire/wire-server (chart wire-server 5.30.0, revision 4, deployed) already runs and environment acme has no adoption record for it: the first deploy would fail at apply ("cannot re-use a name that is still in use") after creating the DNS records. Adopt it first: \`${cmd}\`, then add the adoptionFile it names to the config. [preflight-unadopted-release]`,
    );
    expect(rest[1]).toMatch(/^  ✖ adoptionFile: release wire\/nginx-ingress-services .*\[preflight-unadopted-release\]$/);
    // One helm list for the whole cluster: chart versions and revisions come from it.
    expect(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
    ).toEqual(['list --all-namespaces']);
  });

  test('the same config named relative to the working directory: the command names it so', async () => {
    const { file } = scenario([release('wire-server', 'wire-server')], { greenfield: true });
    const rel = relative(process.cwd(), file);
    const { code, out } = await preflight([rel]);
    expect(code).toBe(1);
    expect(out).toContain(`\`npx wire-federation adopt ${rel.startsWith('..') ? file : rel}\``);
    expect(out).toContain('The config says greenfield: true, which is not so: remove it.');
  });

  test('adopted: the running releases are the ones the record imports: passes', async () => {
    const { file } = scenario([release('wire-server', 'wire-server'), release('nginx-ingress-services', 'nginx-ingress-services')], {}, ADOPTED);
    const { code, out, err } = await preflight([file]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)[0]).toMatch(
      /^✔ .*acme\.yaml: namespace wire of kube context acme-prod runs wire-server \(wire-server 5\.30\.0\), nginx-ingress-services \(nginx-ingress-services 5\.30\.0\); passed$/,
    );
    expect(out).not.toContain('greenfield: true');
  });

  test('other release names in the namespace: says so (a second wire-server would be installed), exit 1', async () => {
    const { file } = scenario([release('wire', 'wire-server'), release('ingress', 'nginx-ingress-services')]);
    const { code, out } = await preflight([file]);
    expect(code).toBe(1);
    expect(lines(out)).toContainEqual(
      `  ✖ charts.wireServer.releaseName: is "wire-server", but the namespace runs wire-server as release wire/wire (chart wire-server 5.30.0, revision 4, deployed): the first deploy would install a second wire-server beside it. Set charts.wireServer.releaseName: 'wire', then adopt it: \`npx wire-federation adopt ${file}\`. [preflight-release-name]`,
    );
    expect(lines(out)).toContainEqual(
      expect.stringMatching(
        /^  ✖ charts\.nginxIngressServices\.releaseName: is "nginx-ingress-services", but the namespace runs nginx-ingress-services as release wire\/ingress .*\[preflight-release-name\]$/,
      ),
    );
  });

  test('--kube-context wins over the config', async () => {
    const { file, log } = scenario([]);
    expect((await preflight([file, '--kube-context', 'other'])).code).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/--kube-context other\n$/);
  });

  test("--kube-context is carried into the adopt command it prints; pasted, adopt reads that context, not the config's", async () => {
    const running = [
      { ...release('wire-server', 'wire-server'), values: runningValues('wire-server') },
      { ...release('nginx-ingress-services', 'nginx-ingress-services'), values: runningValues('nginx-ingress-services') },
    ];
    const { dir, file, log } = scenario(running, {
      backendDomain: 'chat.example.net',
      federatorDomain: 'federator.chat.example.net',
      pki: { mode: 'cert-manager', certmasterEmail: 'ops@chat.example.net' },
    });
    const { code, out } = await preflight([file, '--kube-context', 'acme-dr']);
    expect(code).toBe(1);
    const cmd = `npx wire-federation adopt ${file} --kube-context acme-dr`;
    expect(out).toContain(`Adopt it first: \`${cmd}\``);
    writeFileSync(log, '');

    // The command as printed, pasted.
    let adoptOut = '';
    let adoptErr = '';
    const adoptCode = await runCli(cmd.split(' ').slice(2), { writeOut: (t) => (adoptOut += t), writeErr: (t) => (adoptErr += t) });
    expect({ adoptCode, adoptErr }).toEqual({ adoptCode: 0, adoptErr: '' });
    expect(adoptOut).toContain('Adopting acme: backend domain chat.example.net');
    const asked = readFileSync(log, 'utf8').trim().split('\n');
    expect(asked).toEqual([
      'list --all-namespaces --deployed --failed --pending -o json --kube-context acme-dr',
      'get values wire-server -n wire -o yaml --kube-context acme-dr',
      'get values nginx-ingress-services -n wire -o yaml --kube-context acme-dr',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'adopted', 'acme.json'), 'utf8')).releases.wireServer).toMatchObject({
      import: 'wire/wire-server',
      revision: 4,
      chartVersion: '5.30.0',
    });
  });

  test("adopt without --kube-context reads the config's context, and tells helm the same kubeconfig as preflight (~ and relative paths resolved alike)", async () => {
    for (const [kubeconfigPath, expected] of [
      ['~/clusters/acme.yaml', join(homedir(), 'clusters', 'acme.yaml')],
      ['clusters/acme.yaml', resolve(process.cwd(), 'clusters', 'acme.yaml')],
    ]) {
      const { file, log } = scenario([{ ...release('wire-server', 'wire-server'), values: runningValues('wire-server') }], {
        kubernetes: { kubeconfigPath, context: 'acme-prod', namespace: 'wire' },
      });
      await preflight([file]);
      await runCli(['adopt', file, '--no-dns'], { writeOut: () => undefined, writeErr: () => undefined });
      const asked = readFileSync(log, 'utf8').trim().split('\n');
      expect(asked.filter((l) => l.startsWith('list') || l.startsWith('get values'))).toEqual([
        `list --all-namespaces --deployed --failed --pending -o json --kubeconfig ${expected} --kube-context acme-prod`,
        `list --all-namespaces --deployed --failed --pending -o json --kubeconfig ${expected} --kube-context acme-prod`,
        // Only what runs: no nginx-ingress-services in the cluster, so adopt asks for none.
        `get values wire-server -n wire -o yaml --kubeconfig ${expected} --kube-context acme-prod`,
      ]);
    }
  });

  test("helm fails (cluster unreachable): exit 2 with helm's reason, never a pass", async () => {
    const { file } = scenario([]);
    process.env.FAKE_HELM_FAIL = 'Kubernetes cluster unreachable: Get "https://10.0.0.1:6443/version": dial tcp 10.0.0.1:6443: connect: connection refused';
    const { code, out, err } = await preflight([file]);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(lines(err)).toEqual([
      expect.stringMatching(
        /^error: preflight could not ask the cluster, so nothing is known about what runs in namespace wire of kube context acme-prod: helm list --all-namespaces --deployed --failed --pending -o json --kube-context acme-prod failed: Error: Kubernetes cluster unreachable: .*connection refused$/,
      ),
    ]);
  });

  test('no helm on PATH: exit 2 naming how to get it', async () => {
    const { file } = scenario([]);
    const path = process.env.PATH;
    process.env.PATH = join(root, 'nothing-here');
    try {
      const { code, out, err } = await preflight([file]);
      expect({ code, out }).toEqual({ code: 2, out: '' });
      expect(lines(err)).toEqual([expect.stringMatching(/^error: helm is not on PATH: preflight asks the cluster with helm; install helm 3\.8 or later/)]);
    } finally {
      process.env.PATH = path;
    }
  });

  test('an unknown environment name in the library CLI: usage error naming config files', async () => {
    const { code, err } = await preflight(['acme']);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: unknown environment "acme": this CLI knows no environments by name; give a config file/);
  });
});

describe('preflight with the DNS provider', () => {
  let cloudflare: FakeCloudflare;
  beforeAll(async () => {
    cloudflare = await startFakeCloudflare('read-token', [
      {
        zoneId: ZONE,
        id: 'a'.repeat(32),
        name: '_wire-server-federator._tcp.acme.example.org',
        type: 'SRV',
        data: { priority: 0, weight: 10, port: 443, target: 'federator.acme.example.org' },
      },
    ]);
  });
  afterAll(() => cloudflare.close());

  test('an existing federator SRV record without an adoption record: refused with the adopt command', async () => {
    const { file } = scenario([], { greenfield: true });
    process.env.CLOUDFLARE_API_TOKEN = 'read-token';
    const { code, out } = await preflight([file, '--cloudflare-api', cloudflare.url]);
    expect(code).toBe(1);
    expect(lines(out)).toContainEqual(
      `  ✖ adoptionFile: the federator SRV record _wire-server-federator._tcp.acme.example.org already exists (0 10 443 federator.acme.example.org (id ${'a'.repeat(32)})) and no adoption record imports it: the first deploy would fail creating it. Adopt it: \`npx wire-federation adopt ${file}\` with CLOUDFLARE_API_TOKEN set (it records the import), or delete the record if nothing uses it. The config says greenfield: true, which is not so: remove it. [preflight-unadopted-dns]`,
    );
    expect(out).toContain('  · DNS: the federator records looked up in Cloudflare');
  });

  test('a token the API refuses: exit 2, never a pass', async () => {
    const { file } = scenario([], { greenfield: true });
    process.env.CLOUDFLARE_API_TOKEN = 'wrong-token';
    const { code, err } = await preflight([file, '--cloudflare-api', cloudflare.url]);
    expect(code).toBe(2);
    expect(err).toMatch(/^error: preflight could not read the DNS zones: Cloudflare API refused/);
  });
});
