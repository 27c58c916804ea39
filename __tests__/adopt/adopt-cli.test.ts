/**
 * `wire-federation adopt`, in process, driven with the REAL helm client (test-tools) against a
 * fake Kubernetes API on 127.0.0.1 that serves helm's release storage, and with a fake Cloudflare
 * API on 127.0.0.1. Every run writes into its own temporary directory (config, record, values,
 * lock); the repository is never touched.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { cli } from '../support/cli';
import { PEER_CA_PEM } from '../support/config';
import { makeLeaf } from '../support/certificates';
import { FakeCloudflare, FakeDnsRecord, startFakeCloudflare } from '../support/fake-cloudflare';
import { FakeKube, FakeRelease, startFakeKube } from '../support/fake-kube';
import { filesUnder } from '../support/files';
import { describeWithHelm } from '../support/test-tools';

const FIXTURES = join(__dirname, '..', 'fixtures', 'adopt', 'onprem');
const RUNNING_WIRE = parseYaml(readFileSync(join(FIXTURES, 'wire-server.yaml'), 'utf8')) as Record<string, any>;
const RUNNING_NGINX = parseYaml(readFileSync(join(FIXTURES, 'nginx-ingress-services.yaml'), 'utf8')) as Record<string, any>;
const ZONE = '0123456789abcdef0123456789abcdef';

/** Every secret value of the fixtures (leaves under `secrets`), and the fake private key's body. */
const SECRET_VALUES = [
  ...new Set([RUNNING_WIRE, RUNNING_NGINX].flatMap((v) => secretStrings(v)).filter((s) => !s.includes('BEGIN CERTIFICATE'))),
  'Zml4dHVyZS10bHMtd2lsZGNhcmQta2V5LW5vdC1hLXJlYWwta2V5',
];
function secretStrings(value: unknown, under = false): string[] {
  if (typeof value === 'string') return under ? [value.includes('PRIVATE KEY') ? value.split('\n')[1] : value] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => secretStrings(v, under || k === 'secrets'));
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const release = (namespace: string, name: string, chart: string, values: Record<string, unknown>, revision = 4): FakeRelease => ({
  name,
  namespace,
  revision,
  chart,
  chartVersion: '5.30.0',
  values,
});

let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wfc-adopt-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh directory with `config.yaml` for the fake cluster; returns its paths. */
function writeConfig(kube: FakeKube | undefined, overrides: Record<string, unknown> = {}): { dir: string; file: string } {
  const dir = join(root, `run-${++n}`);
  const file = join(dir, 'config.yaml');
  const config = {
    environment: 'onprem',
    backendDomain: 'chat.example.net',
    federatorDomain: 'federator.chat.example.net',
    ingress: { ipv4: '198.51.100.20' },
    dns: { backendZoneId: ZONE, infrastructureZoneId: ZONE },
    kubernetes: { kubeconfigPath: kube?.kubeconfig ?? '/nonexistent/kubeconfig', context: 'fake', namespace: 'wire' },
    charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
    peers: [{ domain: 'partner.example.net', caCertificates: [{ pem: PEER_CA_PEM }] }],
    pki: { mode: 'cert-manager', certmasterEmail: 'ops@chat.example.net' },
    adoptionFile: 'adopted/onprem.json',
    ...overrides,
  };
  require('node:fs').mkdirSync(dir, { recursive: true });
  writeFileSync(file, stringify(config));
  return { dir, file };
}

/** Every file a run left in `dir` except the config, with its content. */
function written(dir: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(dir)
      .filter((f) => f !== 'config.yaml')
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

describeWithHelm('adopt reads the running releases with the real helm client', (helm) => {
  let kube: FakeKube;
  beforeAll(async () => {
    const inconsistent = clone(RUNNING_WIRE);
    inconsistent.galley.config.settings.federationDomain = 'chat.example.com';
    const legacy = clone(RUNNING_WIRE);
    legacy.brig.config.optSettings.setFederationDomainConfigs = [
      { domain: 'partner.example.net', search_policy: 'full_search' },
      { domain: 'old-friend.example.org', search_policy: 'no_search' },
    ];
    const clientOnlyServer = await makeLeaf({ dnsNames: ['federator.chat.example.net'], extendedKeyUsages: ['serverAuth'] });
    legacy.federator.clientCertificateContents = clientOnlyServer.certPem;
    legacy.federator.clientPrivateKeyContents = clientOnlyServer.keyPem;
    kube = await startFakeKube([
      // Older revisions of the same release: helm reads the newest.
      release('wire', 'wire-server', 'wire-server', { brig: { config: { optSettings: { setFederationDomain: 'stale.example.net' } } } }, 3),
      release('wire', 'wire-server', 'wire-server', RUNNING_WIRE, 4),
      release('wire', 'nginx-ingress-services', 'nginx-ingress-services', RUNNING_NGINX, 2),
      release('inconsistent', 'wire-server', 'wire-server', inconsistent),
      release('legacy', 'wire-server', 'wire-server', legacy),
      release('legacy', 'nginx-ingress-services', 'nginx-ingress-services', RUNNING_NGINX),
    ]);
  });
  afterAll(() => kube.close());

  test('clean adoption: the lock, the values without federation keys and the record with the import ids', async () => {
    const { dir, file } = writeConfig(kube);
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    // helm itself asked the fake API for the release storage of both releases.
    expect(kube.requests).toEqual(
      expect.arrayContaining([
        'GET /api/v1/namespaces/wire/secrets?labelSelector=name%3Dwire-server%2Cowner%3Dhelm',
        'GET /api/v1/namespaces/wire/secrets?labelSelector=name%3Dnginx-ingress-services%2Cowner%3Dhelm',
      ]),
    );
    expect(Object.keys(written(dir)).sort()).toEqual([
      'adopted/onprem.json',
      'adopted/onprem/nginx-ingress-services.yaml',
      'adopted/onprem/wire-server.yaml',
      'locks/onprem.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'locks/onprem.json'), 'utf8'))).toEqual({
      environment: 'onprem',
      backendDomain: 'chat.example.net',
      peers: ['partner.example.net'],
    });

    const record = JSON.parse(readFileSync(join(dir, 'adopted/onprem.json'), 'utf8'));
    expect(record.releases.wireServer).toMatchObject({
      import: 'wire/wire-server',
      chartVersion: '5.30.0',
      revision: 4,
      valuesFile: 'adopted/onprem/wire-server.yaml',
    });
    expect(record.releases.nginxIngressServices).toMatchObject({ import: 'wire/nginx-ingress-services', revision: 2 });
    expect(record.dnsRecords).toEqual({});

    const values = parseYaml(readFileSync(join(dir, 'adopted/onprem/wire-server.yaml'), 'utf8'));
    // The operator's own settings stay; every key the federation config owns is gone.
    expect(values.brig.config.smtp).toEqual(RUNNING_WIRE.brig.config.smtp);
    expect(values.brig.replicaCount).toBe(3);
    expect(values.brig.config.optSettings).toBeUndefined();
    expect(values.brig.config.enableFederation).toBeUndefined();
    expect(values.galley.config.settings).toEqual({ conversationCodeURI: 'https://webapp.chat.example.net/join/' });
    expect(values['background-worker']).toBeUndefined();
    expect(values.tags).toEqual({ legalhold: false, spar: true });
    expect(values.federator).toBeUndefined();
    const nginx = parseYaml(readFileSync(join(dir, 'adopted/onprem/nginx-ingress-services.yaml'), 'utf8'));
    expect(nginx.tls).toBeUndefined(); // tls.enabled and tls.useCertManager: both set by the federation config
    expect(nginx.config.dns.webapp).toBe('webapp.chat.example.net');

    // Owned keys are reported with their running and new value.
    expect(run.out).toContain('wire-server brig.config.enableFederation: false → true');
    expect(run.out).toContain('wire-server brig.config.optSettings.setFederationStrategy: "allowNone" → "allowDynamic"');
    expect(run.out).toContain('nginx-ingress-services tls.useCertManager: false → true');
    expect(run.out).toContain('The first plan imports: helm_release wire/wire-server, helm_release wire/nginx-ingress-services');
    // The running wildcard certificate cannot federate; the config's mode is named as the fix.
    expect(run.out).toMatch(
      /secrets\.tlsWildcardCert \(CN=\*\.chat\.example\.net\) lacks the clientAuth usage.*pki\.mode cert-manager \(this config\) fixes it/,
    );

    // A second run over the same state writes the same bytes (the config file given where a
    // name goes: the same as --config).
    const first = written(dir);
    expect((await cli(['adopt', file, '--helm', helm, '--no-dns'])).code).toBe(0);
    expect(written(dir)).toEqual(first);
  });

  test('secrets in the running values: none in any written file or output, all listed as sensitive', async () => {
    const { dir, file } = writeConfig(kube);
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(0);
    expect(SECRET_VALUES.length).toBeGreaterThan(10);
    const texts: Record<string, string> = { ...written(dir), stdout: run.out, stderr: run.err };
    for (const [name, text] of Object.entries(texts)) {
      for (const secret of SECRET_VALUES) expect({ name, leaked: text.includes(secret) ? secret : undefined }).toEqual({ name, leaked: undefined });
      expect({ name, key: /PRIVATE KEY-----/.test(text) }).toEqual({ name, key: false });
    }
    const record = JSON.parse(texts['adopted/onprem.json']);
    expect(record.releases.wireServer.sensitiveValues).toEqual([
      'brig.secrets.smtpPassword',
      'brig.secrets.turn.secret',
      'brig.secrets.zAuth.privateKeys',
      'brig.secrets.zAuth.publicKeys',
      'cargohold.secrets.awsKeyId',
      'cargohold.secrets.awsSecretKey',
      'gundeck.secrets.awsKeyId',
      'gundeck.secrets.awsSecretKey',
      'nginz.secrets.basicAuth',
      'nginz.secrets.zAuth.publicKeys',
    ]);
    // cert-manager mode: nginx-ingress-services ignores the wildcard certificate and key (chart facts), so the key is not kept.
    expect(record.releases.nginxIngressServices.sensitiveValues).toEqual([]);
    expect(texts['adopted/onprem/nginx-ingress-services.yaml']).not.toContain('tlsWildcard');
    // How to pass them, without the values: the variable and a helm|jq line that reads them.
    expect(run.out).toContain(
      'export TF_VAR_wire_server_secret_values="$(helm get values wire-server -n wire -o json | jq -c \'{"brig.secrets.smtpPassword": .["brig"]["secrets"]["smtpPassword"]',
    );
    expect(run.out).toMatch(/brig\.secrets\.rabbitmq\.password.*pass TF_VAR_rabbitmq_password/);
  });

  test('the running backend domain differs from the config: refused, nothing written', async () => {
    const { dir, file } = writeConfig(kube, { backendDomain: 'wire.example.net' });
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain('the running backend uses the backend domain "chat.example.net", but the config says backendDomain "wire.example.net"');
    expect(run.err).toContain('adopt refused: nothing was written');
    expect(written(dir)).toEqual({});
  });

  test('the domain is inconsistent across the four places: refused, nothing written', async () => {
    const { dir, file } = writeConfig(kube, { kubernetes: { kubeconfigPath: kube.kubeconfig, context: 'fake', namespace: 'inconsistent' } });
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('inconsistent across the 3 places'); // background-worker's copy is not read by the running 5.32.0 (chart facts)
    expect(run.err).toContain('galley.config.settings.federationDomain = "chat.example.com"');
    expect(run.err).toContain('brig.config.optSettings.setFederationDomain = "chat.example.net"');
    expect(written(dir)).toEqual({});
  });

  test('an existing lock with another domain: refused, the lock untouched', async () => {
    const { dir, file } = writeConfig(kube);
    const lock = `${JSON.stringify({ environment: 'onprem', backendDomain: 'other.example.net', peers: [] })}\n`;
    require('node:fs').mkdirSync(join(dir, 'locks'));
    writeFileSync(join(dir, 'locks/onprem.json'), lock);
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('pins "other.example.net", but the running backend uses "chat.example.net"');
    expect(written(dir)).toEqual({ 'locks/onprem.json': lock });
  });

  test('no such release: refused with the name looked for', async () => {
    const { dir, file } = writeConfig(kube, { kubernetes: { kubeconfigPath: kube.kubeconfig, context: 'fake', namespace: 'empty' } });
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('no running wire-server release empty/wire-server');
    expect(written(dir)).toEqual({});
  });

  test('legacy federation settings are reported with their replacement and left out', async () => {
    const { dir, file } = writeConfig(kube, {
      kubernetes: { kubeconfigPath: kube.kubeconfig, context: 'fake', namespace: 'legacy' },
      remotes: { mode: 'api' },
    });
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('wire-server tags.federator (running: true) is dropped: the old name of tags.federation');
    expect(run.out).toContain('wire-server federator.config.optSettings.federationStrategy (running: {"allowedDomains":["partner.example.net"]}) is dropped');
    expect(run.out).toContain('brig.config.optSettings.setFederationDomainConfigsUpdateFreq (running: 10) is dropped');
    expect(run.out).toContain('brig.config.optSettings.setFederationDomainConfigs (running: 2 domains) is dropped: remotes.mode api');
    expect(run.out).toContain('keepConfigList: true');
    expect(run.out).toContain('federates with old-friend.example.org');
    expect(run.out).toContain('federator.clientCertificateContents holds a certificate without clientAuth usage');
    const values = parseYaml(written(dir)['adopted/onprem/wire-server.yaml']);
    expect(values.federator).toBeUndefined();
    expect(values.brig.config.optSettings).toBeUndefined();
    expect(values.tags.federator).toBeUndefined();
    // The dropped client key is no secret to pass: it is not used any more.
    expect(JSON.parse(written(dir)['adopted/onprem.json']).releases.wireServer.sensitiveValues).not.toContain('federator.clientPrivateKeyContents');
  });

  test("an unreachable cluster: exit 1 with helm's message, nothing written", async () => {
    const { dir, file } = writeConfig(undefined);
    const run = await cli(['adopt', '--config', file, '--helm', helm, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /helm list --all-namespaces --deployed --failed --pending -o json --kubeconfig \/nonexistent\/kubeconfig --kube-context fake failed: /,
    );
    expect(written(dir)).toEqual({});
  });
});

describe('existing federator DNS records from the Cloudflare API (fake on 127.0.0.1)', () => {
  const TOKEN = 'cf-test-token-3f9a';
  let cf: FakeCloudflare;
  const OTHER_ZONE = 'ffffffffffffffffffffffffffffffff';
  const records: FakeDnsRecord[] = [
    { zoneId: ZONE, id: '11111111111111111111111111111111', name: 'webapp.chat.example.net', type: 'A', content: '198.51.100.21' },
    // Names as other tools write them: other case, trailing dot.
    { zoneId: ZONE, id: '22222222222222222222222222222222', name: 'Federator.Chat.Example.NET.', type: 'A', content: '198.51.100.99', proxied: true },
    { zoneId: ZONE, id: '33333333333333333333333333333333', name: 'teams.chat.example.net', type: 'A', content: '198.51.100.22' },
    {
      zoneId: ZONE,
      id: '44444444444444444444444444444444',
      name: '_wire-server-federator._tcp.chat.example.net.',
      type: 'SRV',
      data: { priority: 0, weight: 10, port: 443, target: 'federator.chat.example.net.' },
    },
    { zoneId: OTHER_ZONE, id: '55555555555555555555555555555555', name: 'federator.chat.example.net', type: 'AAAA', content: '2001:db8::99' },
  ];
  const saved = { ...process.env };
  beforeAll(async () => {
    cf = await startFakeCloudflare(TOKEN, records, 1);
  });
  afterAll(() => cf.close());
  afterEach(() => {
    process.env.CLOUDFLARE_API_TOKEN = saved.CLOUDFLARE_API_TOKEN;
    if (saved.CLOUDFLARE_API_TOKEN === undefined) delete process.env.CLOUDFLARE_API_TOKEN;
  });
  const offline = [
    '--values-from',
    `wire-server=${join(FIXTURES, 'wire-server.yaml')}`,
    '--values-from',
    `nginx-ingress-services=${join(FIXTURES, 'nginx-ingress-services.yaml')}`,
    '--helm',
    '/nonexistent/helm',
  ];

  test('records present: their ids are recorded for import, and what the first deploy changes is said', async () => {
    const { dir, file } = writeConfig(undefined);
    process.env.CLOUDFLARE_API_TOKEN = TOKEN;
    const run = await cli(['adopt', '--config', file, ...offline, '--cloudflare-api', cf.url]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(written(dir)['adopted/onprem.json']).dnsRecords).toEqual({
      srv: `${ZONE}/44444444444444444444444444444444`,
      a: `${ZONE}/22222222222222222222222222222222`,
    });
    expect(run.out).toContain(`SRV _wire-server-federator._tcp.chat.example.net: imported (${ZONE}/44444444444444444444444444444444), unchanged`);
    expect(run.out).toContain(
      `A federator.chat.example.net: imported (${ZONE}/22222222222222222222222222222222), updated in place: 198.51.100.99 → 198.51.100.20, proxied → DNS only`,
    );
    // Paging: one record per page, every page of the zone was read.
    expect(cf.requests.filter((r) => r.includes(`zones/${ZONE}/dns_records?type=A&`)).length).toBe(3);
    expect(run.out).not.toContain(TOKEN);
  });

  test('records absent: nothing recorded, the first deploy creates them; an unmanaged AAAA is a warning', async () => {
    const { dir, file } = writeConfig(undefined, { dns: { backendZoneId: OTHER_ZONE, infrastructureZoneId: OTHER_ZONE } });
    process.env.CLOUDFLARE_API_TOKEN = TOKEN;
    const run = await cli(['adopt', '--config', file, ...offline, '--cloudflare-api', cf.url]);
    expect(run.code).toBe(0);
    expect(JSON.parse(written(dir)['adopted/onprem.json']).dnsRecords).toEqual({});
    expect(run.out).toContain(
      'SRV _wire-server-federator._tcp.chat.example.net: none exists, created by the first deploy (0 10 443 federator.chat.example.net)',
    );
    expect(run.out).toContain('A federator.chat.example.net: none exists, created by the first deploy (198.51.100.20)');
    expect(run.out).toContain(
      'an AAAA record federator.chat.example.net → 2001:db8::99 exists (id 55555555555555555555555555555555) but the config has no ingress.ipv6',
    );
  });

  test('a refused token: exit 1, nothing written, the token never printed', async () => {
    const { dir, file } = writeConfig(undefined);
    process.env.CLOUDFLARE_API_TOKEN = 'wrong-token-77';
    const run = await cli(['adopt', '--config', file, ...offline, '--cloudflare-api', cf.url]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('HTTP 403 (9109 Invalid access token)');
    expect(run.err + run.out).not.toContain('wrong-token-77');
    expect(written(dir)).toEqual({});
  });
});

describe('usage', () => {
  test('--values-from names a chart: anything else is a usage error', async () => {
    const { file } = writeConfig(undefined);
    const run = await cli(['adopt', '--config', file, '--values-from', 'brig=x.yaml']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('--values-from must be wire-server=<file> or nginx-ingress-services=<file>; received "brig=x.yaml"');
  });

  test('a config file and --config together are a usage error', async () => {
    const { file } = writeConfig(undefined);
    const run = await cli(['adopt', file, '--config', file]);
    expect({ code: run.code, out: run.out }).toEqual({ code: 2, out: '' });
    expect(run.err).toBe('error: give a config file or --config <file>, not both\n');
  });

  test('an unknown environment is a usage error', async () => {
    const run = await cli(['adopt', 'nope']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('unknown environment "nope"');
  });
});
