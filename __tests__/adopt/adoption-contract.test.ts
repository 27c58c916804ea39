/**
 * The adoption record is a contract every entry point enforces (issue 26): the construct itself
 * imports what the record lists and declares its secret inputs, and one set of config-versus-
 * record rules answers alike through the library, `validate`, synth and `preflight`. Each
 * observation of the issue is a test here (item 5, peer CAs, is elsewhere).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { stringify } from 'yaml';
import { FederationProviders } from '../../lib/providers/federation-providers';
import { WireFederation } from '../../lib/federation';
import { parseFederationConfig } from '../../lib/config';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { preflightFindings } from '../../lib/preflight/preflight';
import { commandHint } from '../../lib/config/command-hint';
import { FederationStack } from '../../stacks/federation-stack';
import { synthesizeSources } from '../../stacks/app';
import { runCli } from '../../bin/cli';
import { PEER_CA_PEM, REPO_ROOT } from '../support/config';

const ZONE = '0123456789abcdef0123456789abcdef';
// preflight runs the validation pipeline (a scratch build of the stack) before asking helm: sized for a loaded 2-core machine.
jest.setTimeout(60_000);
const FAKE_HELM = join(__dirname, '..', 'support', 'fake-helm.js');

const RECORD = {
  format: 2,
  environment: 'acme',
  backendDomain: 'acme.example.org',
  releases: {
    wireServer: {
      import: 'wire/wire-server',
      chartVersion: '5.32.0',
      revision: 7,
      valuesFile: 'adopted/acme/wire-server.yaml',
      sensitiveValues: ['brig.secrets.smtpPassword'],
    },
    nginxIngressServices: {
      import: 'wire/nginx-ingress-services',
      chartVersion: '5.32.0',
      revision: 3,
      valuesFile: 'adopted/acme/nginx-ingress-services.yaml',
      sensitiveValues: ['secrets.tlsWildcardKey'],
    },
  },
  dnsRecords: {},
  adoptedWith: { pkiMode: 'cert-manager', ingressChart: 'nginx-ingress-services' },
  runningCertificate: { subject: 'CN=*.acme.example.org', hosts: ['*.acme.example.org', 'acme.example.org'] },
};

const CONFIG = {
  environment: 'acme',
  backendDomain: 'acme.example.org',
  federatorDomain: 'federator.acme.example.org',
  ingress: { ipv4: '198.51.100.20' },
  dns: { backendZoneId: ZONE, infrastructureZoneId: ZONE },
  kubernetes: { context: 'acme-prod', namespace: 'wire' },
  charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
  peers: [{ domain: 'partner.example.net', caCertificates: [{ pem: PEER_CA_PEM }] }],
  pki: { mode: 'cert-manager', certmasterEmail: 'ops@acme.example.org' },
  adoptionFile: 'adopted/acme.json',
};

type Json = { [key: string]: any };
let root: string;
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wfc-contract-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with acme.yaml, its record and the adopted values files. */
function project(config: Json = {}, record: Json = {}): { dir: string; file: string } {
  const dir = join(root, `p${++n}`);
  mkdirSync(join(dir, 'adopted', 'acme'), { recursive: true });
  writeFileSync(join(dir, 'adopted', 'acme.json'), JSON.stringify({ ...RECORD, ...record }));
  writeFileSync(join(dir, 'adopted', 'acme', 'wire-server.yaml'), 'brig:\n  config:\n    cassandra:\n      host: cassandra-external\n');
  writeFileSync(join(dir, 'adopted', 'acme', 'nginx-ingress-services.yaml'), '{}\n');
  const file = join(dir, 'acme.yaml');
  writeFileSync(file, stringify({ ...CONFIG, ...config }));
  return { dir, file };
}

async function cliRun(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) });
  return { code, out, err };
}

/** What one entry point says: the rules (with level) of its findings. */
interface Answer {
  readonly failed: boolean;
  readonly rules: string[];
  readonly text: string;
}

function library(file: string): Answer {
  const r = validateFederationConfig(parseYamlFile(file), { baseDir: join(file, '..') });
  return {
    failed: r.failed,
    rules: r.findings
      .map((f) => `${f.level}:${f.rule}`)
      .filter(relevant)
      .sort(),
    text: r.findings.map((f) => `${f.path}: ${f.message}`).join('\n'),
  };
}

function parseYamlFile(file: string): unknown {
  return require('yaml').parse(readFileSync(file, 'utf8'));
}

async function validateCli(file: string): Promise<Answer> {
  const run = await cliRun(['validate', file, '--json']);
  const report = JSON.parse(run.out) as { valid: boolean; targets: Array<{ findings: Array<{ level: string; rule: string; path: string; message: string }> }> };
  const findings = report.targets.flatMap((t) => t.findings);
  expect(run.code).toBe(report.valid ? 0 : 1);
  return {
    failed: !report.valid,
    rules: findings
      .map((f) => `${f.level}:${f.rule}`)
      .filter(relevant)
      .sort(),
    text: findings.map((f) => `${f.path}: ${f.message}`).join('\n'),
  };
}

/** Synth in the repository's way (the pipeline, then FederationStack): its report and exit code. */
function synthRepo(file: string): Answer {
  let text = '';
  const code = synthesizeSources([{ file }], { outdir: join(file, '..', `out-${++n}`), writeErr: (t) => (text += t) });
  const rules = [...text.matchAll(/^\s+(✖|⚠) .*\[([a-z0-9-]+)\]$/gm)]
    .map((m) => `${m[1] === '✖' ? 'error' : 'warning'}:${m[2]}`)
    .filter(relevant)
    .sort();
  return { failed: code !== 0, rules, text };
}

const relevant = (rule: string): boolean => /adoption-|preflight-|operator-secrets/.test(rule);

/** The same answer through the library, `validate` and synth. */
async function everyEntryPoint(file: string): Promise<Answer> {
  const lib = library(file);
  expect(await validateCli(file)).toEqual({ ...lib, text: expect.any(String) });
  expect(synthRepo(file)).toEqual({ ...lib, text: expect.any(String) });
  return lib;
}

/** A consumer's stack as docs/own-stack.md writes it: FederationProviders and WireFederation, nothing else. */
function consumerStack(config: ReturnType<typeof parseFederationConfig>, operatorSecrets?: Json): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, config.environment);
  new FederationProviders(stack, 'Providers', { config });
  const rabbitmqUsername = new TerraformVariable(stack, 'rabbitmq_username', { type: 'string', sensitive: true });
  const rabbitmqPassword = new TerraformVariable(stack, 'rabbitmq_password', { type: 'string', sensitive: true });
  new WireFederation(stack, 'Federation', {
    config,
    rabbitmqUsername: rabbitmqUsername.stringValue,
    rabbitmqPassword: rabbitmqPassword.stringValue,
    operatorSecrets,
    annotateWarnings: false,
  });
  return JSON.parse(Testing.synth(stack, true));
}

/** The plan-relevant part of a synthesized stack: resources, imports, data, providers, variable names; no construct metadata. */
function plan(json: Json): Json {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== '//')
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  const variables = Object.entries(json.variable ?? {})
    .map(([name, v]) => `${name}:${(v as Json).type}:${(v as Json).sensitive === true}`)
    .sort();
  return strip({ resource: json.resource, import: json.import, data: json.data, provider: json.provider, variables }) as Json;
}

describe('1. the construct enforces the record: a consumer stack and the repository app plan alike', () => {
  test('WireFederation alone imports both running releases and declares the secret inputs the record lists; same plan as FederationStack', () => {
    const { dir } = project();
    const config = parseFederationConfig(parseYamlFile(join(dir, 'acme.yaml')), { baseDir: dir });
    const own = consumerStack(config);
    expect((own.import as Array<{ to: string; id: string }>).map((i) => i.id).sort()).toEqual(['wire/nginx-ingress-services', 'wire/wire-server']);
    // The secrets of both releases: inputs, never dropped.
    expect(own.variable.wire_server_secret_values).toMatchObject({ type: 'map(string)', sensitive: true });
    expect(own.variable.nginx_ingress_services_secret_values).toMatchObject({ type: 'map(string)', sensitive: true });
    const nginx = Object.values(own.resource.helm_release as Json).find((r) => (r as Json).chart === 'nginx-ingress-services') as Json;
    expect(JSON.stringify(nginx.set_sensitive)).toContain('secrets.tlsWildcardKey');
    expect(JSON.stringify(nginx.set_sensitive)).toContain('var.nginx_ingress_services_secret_values');

    const app = Testing.app();
    const repo = JSON.parse(Testing.synth(new FederationStack(app, { config, annotateWarnings: false }), true)) as Json;
    expect(plan(own)).toEqual(plan(repo));
  });

  test.each(['onprem', 'production'])("the example %s: the doc's stack and the repository app plan alike", (name) => {
    const input = (require('../../stacks/environments') as { environments: Json[] }).environments.find((e) => e.environment === name);
    const config = parseFederationConfig(input, { baseDir: REPO_ROOT });
    const repo = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config, annotateWarnings: false }), true)) as Json;
    expect(plan(consumerStack(config))).toEqual(plan(repo));
    if (name === 'onprem') expect((repo.import as unknown[]).length).toBe(4);
  });

  test('operatorSecrets that leave out a path the record lists: synth fails naming it (no silent drop)', () => {
    const { dir } = project();
    const config = parseFederationConfig(parseYamlFile(join(dir, 'acme.yaml')), { baseDir: dir });
    expect(() => consumerStack(config, { wireServer: [] })).toThrow(
      /\[operator-secrets\] charts\.wireServer\.sensitiveValues lists brig\.secrets\.smtpPassword \(with the secret paths of the adoption record\), but operatorSecrets\.wireServer gives no value for it/,
    );
  });
});

describe('2. edits after adoption are compared with the record', () => {
  test('the adopted config itself is clean everywhere', async () => {
    const { file } = project();
    expect(await everyEntryPoint(file)).toMatchObject({ failed: false, rules: [] });
  });

  test('another release name: an error, alike in the library, validate and synth', async () => {
    const { file } = project({ charts: { wireServer: { version: '5.32.0', releaseName: 'wire' }, nginxIngressServices: { version: '5.32.0' } } });
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-release'] });
    expect(answer.text).toContain(
      'charts.wireServer.releaseName: is "wire", but the running wire-server release that the adoption record (adopted/acme.json) imports is wire/wire-server',
    );
  });

  test('another namespace: an error naming the running release', async () => {
    const { file } = project({ kubernetes: { context: 'acme-prod', namespace: 'wire-prod' } });
    const answer = await everyEntryPoint(file);
    expect(answer.failed).toBe(true);
    expect(answer.rules).toEqual(['error:adoption-release', 'error:adoption-release']);
    expect(answer.text).toContain(
      'kubernetes.namespace: is "wire-prod", but the running wire-server release that the adoption record (adopted/acme.json) imports is wire/wire-server',
    );
  });

  test('a chart below the running one: an error, unless downgradeFrom names the running version', async () => {
    const down = project({ charts: { wireServer: { version: '5.30.0' }, nginxIngressServices: { version: '5.32.0' } } });
    const refused = await everyEntryPoint(down.file);
    expect(refused).toMatchObject({ failed: true, rules: ['error:adoption-downgrade'] });
    expect(refused.text).toContain(
      'charts.wireServer.version: is 5.30.0, but wire-server 5.32.0 runs (adoption record adopted/acme.json, revision 7): the first deploy would DOWNGRADE it',
    );
    expect(refused.text).toContain("charts.wireServer.downgradeFrom: '5.32.0'");

    const intended = project({ charts: { wireServer: { version: '5.30.0', downgradeFrom: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } } });
    expect(await everyEntryPoint(intended.file)).toMatchObject({ failed: false, rules: ['warning:adoption-downgrade'] });
  });

  test('a record written by a newer version of the tool: an error, not a schema complaint', async () => {
    // Format 4 (coturn and sftd, federated calling) is this version's: 5 is newer.
    const { file } = project({}, { format: 5, somethingNew: true });
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-record-format'] });
    expect(answer.text).toContain('was written by a newer version of wire-federation-cdktf (record format 5)');
  });
});

describe('3. private-ca over a public certificate that serves more hosts', () => {
  test('an error naming the hosts and the modes that keep them, everywhere', async () => {
    const { file } = project({ pki: { mode: 'private-ca' } }, { adoptedWith: { pkiMode: 'private-ca', ingressChart: 'nginx-ingress-services' } });
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-certificate-hosts'] });
    expect(answer.text).toContain(
      'pki.mode: is private-ca, but the running nginx-ingress-services serves one certificate on every ingress (CN=*.acme.example.org; adoption record adopted/acme.json) for *.acme.example.org, acme.example.org besides the federator',
    );
    expect(answer.text).toMatch(/pki\.mode cert-manager .* or pki\.mode provided/);
  });

  test('adopt itself ends with that error (exit 1), not a warning', async () => {
    const dir = join(root, `adopt-${++n}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'onprem.yaml');
    writeFileSync(
      file,
      stringify({
        ...CONFIG,
        environment: 'onprem',
        backendDomain: 'chat.example.net',
        federatorDomain: 'federator.chat.example.net',
        pki: { mode: 'private-ca' },
        adoptionFile: 'adopted/onprem.json',
      }),
    );
    const fixtures = join(REPO_ROOT, '__tests__', 'fixtures', 'adopt', 'onprem');
    const run = await cliRun([
      'adopt',
      file,
      '--values-from',
      `wire-server=${join(fixtures, 'wire-server.yaml')}`,
      '--values-from',
      `nginx-ingress-services=${join(fixtures, 'nginx-ingress-services.yaml')}`,
      '--no-dns',
    ]);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /pki\.mode: is private-ca, but the running nginx-ingress-services serves one certificate .* for \*\.chat\.example\.net, chat\.example\.net besides the federator.*\[adoption-certificate-hosts\]/,
    );
  });
});

describe('4 and 6. preflight and adopt look across the cluster, with the oldest supported helm', () => {
  let helmDir: string;
  const saved = { PATH: process.env.PATH, HELM: process.env.HELM, KUBECONFIG: process.env.KUBECONFIG };
  beforeAll(() => {
    helmDir = join(root, 'bin');
    mkdirSync(helmDir, { recursive: true });
    symlinkSync(FAKE_HELM, join(helmDir, 'helm'));
    delete process.env.HELM;
    process.env.PATH = `${helmDir}${delimiter}${saved.PATH}`;
  });
  afterAll(() => {
    process.env.PATH = saved.PATH;
    if (saved.HELM !== undefined) process.env.HELM = saved.HELM;
    if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved.KUBECONFIG;
    for (const k of ['FAKE_HELM_RELEASES', 'FAKE_HELM_LOG', 'FAKE_HELM_ENV_LOG']) delete process.env[k];
  });
  const cluster = (dir: string, releases: Json[]): { log: string; envLog: string } => {
    writeFileSync(join(dir, 'releases.json'), JSON.stringify(releases));
    process.env.FAKE_HELM_RELEASES = join(dir, 'releases.json');
    process.env.FAKE_HELM_LOG = join(dir, 'helm.log');
    process.env.FAKE_HELM_ENV_LOG = join(dir, 'helm-env.log');
    return { log: join(dir, 'helm.log'), envLog: join(dir, 'helm-env.log') };
  };
  const running = [
    {
      name: 'wire-server',
      namespace: 'wire',
      revision: 9,
      chart: 'wire-server',
      chartVersion: '5.23.0',
      values: { brig: { config: { optSettings: { setFederationDomain: 'acme.example.org' } } } },
    },
    { name: 'nginx-ingress-services', namespace: 'wire', revision: 4, chart: 'nginx-ingress-services', chartVersion: '5.23.0', values: {} },
  ];

  test('4. a namespace typo: preflight refuses naming the running release (CLI and library), not "runs no release; passed"', async () => {
    const { dir, file } = project({ kubernetes: { context: 'acme-prod', namespace: 'wier' }, adoptionFile: undefined });
    cluster(dir, running);
    const run = await cliRun(['preflight', file, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'kubernetes.namespace: is "wier", but wire-server runs as release wire/wire-server (chart wire-server 5.23.0, revision 9, deployed), in no release of wier',
    );
    expect(run.out).toContain('[preflight-namespace]');

    const config = parseFederationConfig(parseYamlFile(file), { baseDir: dir });
    const findings = preflightFindings({ config, releases: running.map((r) => ({ ...r, status: 'deployed' })), command: commandHint({ target: 'acme.yaml' }) });
    expect(findings.map((f) => `${f.level}:${f.rule}`)).toEqual(['error:preflight-namespace']);
  });

  test('6. adopt with helm 3.8 (no `helm get metadata`) records chart version and revision from helm list; $KUBECONFIG is respected', async () => {
    const { dir, file } = project({
      adoptionFile: undefined,
      pki: { mode: 'private-ca' },
      charts: { wireServer: { version: '5.23.0' }, nginxIngressServices: { version: '5.23.0' } },
    });
    const { log, envLog } = cluster(dir, running);
    process.env.KUBECONFIG = join(dir, 'my-kubeconfig');
    const run = await cliRun(['adopt', file, '--no-dns']);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const record = JSON.parse(readFileSync(join(dir, 'adopted', 'acme.json'), 'utf8')) as Json;
    expect(record.releases.wireServer).toMatchObject({ import: 'wire/wire-server', chartVersion: '5.23.0', revision: 9 });
    expect(record.releases.nginxIngressServices).toMatchObject({ import: 'wire/nginx-ingress-services', chartVersion: '5.23.0', revision: 4 });
    expect(record).toMatchObject({ format: 2, adoptedWith: { pkiMode: 'private-ca', ingressChart: 'nginx-ingress-services' } });
    // helm read the operator's $KUBECONFIG: no --kubeconfig on any command line.
    expect(readFileSync(log, 'utf8')).not.toContain('--kubeconfig');
    expect(new Set(readFileSync(envLog, 'utf8').trim().split('\n'))).toEqual(new Set([`KUBECONFIG=${join(dir, 'my-kubeconfig')}`]));

    // A kubeconfig the config names wins.
    writeFileSync(
      file,
      stringify({
        ...CONFIG,
        adoptionFile: undefined,
        pki: { mode: 'private-ca' },
        kubernetes: { kubeconfigPath: '/etc/acme/kubeconfig', context: 'acme-prod', namespace: 'wire' },
        charts: { wireServer: { version: '5.23.0' }, nginxIngressServices: { version: '5.23.0' } },
      }),
    );
    await cliRun(['preflight', file, '--no-dns']);
    expect(readFileSync(log, 'utf8').trim().split('\n').pop()).toBe(
      'list --all-namespaces --deployed --failed --pending -o json --kubeconfig /etc/acme/kubeconfig --kube-context acme-prod',
    );
  });

  test('adopt refuses a config whose release name misses the running one, naming it', async () => {
    const { dir, file } = project({
      adoptionFile: undefined,
      pki: { mode: 'private-ca' },
      charts: { wireServer: { version: '5.23.0', releaseName: 'wire' }, nginxIngressServices: { version: '5.23.0' } },
    });
    cluster(dir, running);
    const run = await cliRun(['adopt', file, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toContain(
      'no running wire-server release wire/wire where the config says (charts.wireServer.releaseName), but wire-server runs as wire/wire-server (chart wire-server 5.23.0, revision 9, deployed)',
    );
  });

  test('7. stale adoption after a pki.mode change: a warning with the adopt command, in preflight too', async () => {
    const { dir, file } = project({}, { adoptedWith: { pkiMode: 'provided', ingressChart: 'nginx-ingress-services' } });
    cluster(dir, [
      { ...running[0], chartVersion: '5.32.0' },
      { ...running[1], chartVersion: '5.32.0' },
    ]);
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: false, rules: ['warning:adoption-stale'] });
    expect(answer.text).toContain(
      'pki.mode: is cert-manager, but adopted/acme.json was adopted with pki.mode provided: the adopted values files (adopted/acme/wire-server.yaml, adopted/acme/nginx-ingress-services.yaml) were split for provided and are out of date',
    );
    expect(answer.text).toMatch(/Run `npx wire-federation adopt acme` again/);
    const run = await cliRun(['preflight', file, '--no-dns']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('[adoption-stale]');
  });
});

describe('wire-ingress, cert-manager, the CA issuer and Envoy Gateway: adoptable like the Wire releases', () => {
  // A backend on wire-ingress whose cluster runs cert-manager and our issuer already (format 3).
  const WI_CONFIG = {
    ingress: { ipv4: '198.51.100.20', chart: 'wire-ingress', gateway: { className: 'envoy' } },
    charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.32.0' } },
    pki: { mode: 'cert-manager', certmasterEmail: 'ops@acme.example.org', installCertManagerVersion: 'v1.19.1' },
  };
  const WI_RECORD = {
    format: 3,
    releases: {
      wireServer: RECORD.releases.wireServer,
      wireIngress: {
        import: 'wire/wire-ingress',
        chartVersion: '5.32.0',
        revision: 2,
        valuesFile: 'adopted/acme/wire-ingress.yaml',
        sensitiveValues: ['secrets.gatewayToken'],
      },
    },
    supportReleases: {
      certManager: { import: 'cert-manager/cert-manager', chartVersion: 'v1.19.1', revision: 1 },
      issuer: { import: 'cert-manager/wire-federation-ca', chartVersion: '0.1.0', revision: 1 },
    },
    adoptedWith: { pkiMode: 'cert-manager', ingressChart: 'wire-ingress' },
    runningCertificate: undefined,
  };
  const wiProject = (config: Json = {}, record: Json = {}): { dir: string; file: string } => {
    const p = project({ ...WI_CONFIG, ...config }, { ...WI_RECORD, ...record });
    writeFileSync(join(p.dir, 'adopted', 'acme', 'wire-ingress.yaml'), 'gateway:\n  replicas: 2\n');
    return p;
  };

  test('library: WireFederation alone imports the recorded wire-ingress, cert-manager and issuer releases (each into the release of that name) and declares wire_ingress_secret_values; same plan as the repository app', () => {
    const { dir } = wiProject();
    const config = parseFederationConfig(parseYamlFile(join(dir, 'acme.yaml')), { baseDir: dir });
    const own = consumerStack(config);
    const imports = own.import as Array<{ to: string; id: string }>;
    expect(imports.map((i) => i.id).sort()).toEqual(['cert-manager/cert-manager', 'cert-manager/wire-federation-ca', 'wire/wire-ingress', 'wire/wire-server']);
    for (const i of imports) {
      const [type, name] = i.to.split('.');
      expect(type).toBe('helm_release');
      const release = own.resource.helm_release[name] as Json;
      expect(`${release.namespace}/${release.name}`).toBe(i.id);
    }
    expect(own.variable.wire_ingress_secret_values).toMatchObject({ type: 'map(string)', sensitive: true });
    const ingress = Object.values(own.resource.helm_release as Json).find((r) => (r as Json).chart === 'wire-ingress') as Json;
    expect(JSON.stringify(ingress.set_sensitive)).toContain('var.wire_ingress_secret_values');
    expect(JSON.stringify(ingress.values)).not.toContain('gatewayToken');

    const repo = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config, annotateWarnings: false }), true)) as Json;
    expect(plan(own)).toEqual(plan(repo));
  });

  test('library: Envoy Gateway and the GatewayClass, recorded, are imported into the releases of those names; another Envoy Gateway namespace is an adoption-release error', async () => {
    const gateway = { className: 'envoy', installEnvoyGatewayVersion: 'v1.7.0', createGatewayClass: true };
    const supportReleases = {
      envoyGateway: { import: 'envoy-gateway-system/envoy-gateway', chartVersion: 'v1.7.0', revision: 4 },
      gatewayClass: { import: 'envoy-gateway-system/gateway-class-envoy', chartVersion: '0.1.0', revision: 1 },
    };
    const { dir } = wiProject(
      { ingress: { ...WI_CONFIG.ingress, gateway }, pki: { mode: 'private-ca' } },
      { supportReleases, adoptedWith: { pkiMode: 'private-ca', ingressChart: 'wire-ingress' } },
    );
    const config = parseFederationConfig(parseYamlFile(join(dir, 'acme.yaml')), { baseDir: dir });
    const own = consumerStack(config);
    const imports = own.import as Array<{ to: string; id: string }>;
    expect(imports.map((i) => i.id).sort()).toEqual([
      'envoy-gateway-system/envoy-gateway',
      'envoy-gateway-system/gateway-class-envoy',
      'wire/wire-ingress',
      'wire/wire-server',
    ]);
    for (const i of imports) {
      const release = own.resource.helm_release[i.to.split('.')[1]] as Json;
      expect(`${release.namespace}/${release.name}`).toBe(i.id);
    }
    const moved = wiProject(
      { ingress: { ...WI_CONFIG.ingress, gateway: { ...gateway, envoyGatewayNamespace: 'gateways' } }, pki: { mode: 'private-ca' } },
      { supportReleases, adoptedWith: { pkiMode: 'private-ca', ingressChart: 'wire-ingress' } },
    );
    const answer = await everyEntryPoint(moved.file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-release', 'error:adoption-release'] });
    expect(answer.text).toContain(
      'ingress.gateway.envoyGatewayNamespace: makes the stack install Envoy Gateway as release gateways/envoy-gateway, but the running one the adoption record (adopted/acme.json) imports is envoy-gateway-system/envoy-gateway',
    );
  });

  test('the record rules cover them: clean as adopted; release name, downgrade, namespace and a dropped install are errors, alike in the library, validate --json and synth', async () => {
    expect(await everyEntryPoint(wiProject().file)).toMatchObject({ failed: false, rules: [] });

    const renamed = await everyEntryPoint(
      wiProject({ charts: { wireServer: { version: '5.32.0' }, wireIngress: { version: '5.32.0', releaseName: 'ingress' } } }).file,
    );
    expect(renamed).toMatchObject({ failed: true, rules: ['error:adoption-release'] });
    expect(renamed.text).toContain(
      'charts.wireIngress.releaseName: is "ingress", but the running wire-ingress release that the adoption record (adopted/acme.json) imports is wire/wire-ingress',
    );

    const older = await everyEntryPoint(
      wiProject({}, { releases: { ...WI_RECORD.releases, wireIngress: { ...WI_RECORD.releases.wireIngress, chartVersion: '5.33.0' } } }).file,
    );
    expect(older).toMatchObject({ failed: true, rules: ['error:adoption-downgrade'] });
    expect(older.text).toContain('charts.wireIngress.version: is 5.32.0, but wire-ingress 5.33.0 runs');

    const certManagerDown = await everyEntryPoint(wiProject({ pki: { ...WI_CONFIG.pki, installCertManagerVersion: 'v1.18.0' } }).file);
    expect(certManagerDown).toMatchObject({ failed: true, rules: ['error:adoption-downgrade'] });
    expect(certManagerDown.text).toContain(
      'pki.installCertManagerVersion: is v1.18.0, but cert-manager v1.19.1 runs (adoption record adopted/acme.json, revision 1): the first deploy would DOWNGRADE it',
    );

    const moved = await everyEntryPoint(wiProject({ pki: { ...WI_CONFIG.pki, certManagerNamespace: 'security' } }).file);
    expect(moved).toMatchObject({ failed: true, rules: ['error:adoption-release', 'error:adoption-release'] });
    expect(moved.text).toContain(
      'pki.certManagerNamespace: makes the stack install cert-manager as release security/cert-manager, but the running one the adoption record (adopted/acme.json) imports is cert-manager/cert-manager',
    );
    expect(moved.text).toContain('Set pki.certManagerNamespace: cert-manager');

    const dropped = await everyEntryPoint(wiProject({ pki: { mode: 'cert-manager', certmasterEmail: 'ops@acme.example.org' } }).file);
    expect(dropped).toMatchObject({ failed: true, rules: ['error:adoption-release'] });
    expect(dropped.text).toContain(
      'imports the running certManager release cert-manager/cert-manager (supportReleases.certManager), but this config no longer installs it',
    );
  });

  describe('through preflight and adopt, with the fake helm (3.8 list format)', () => {
    let helmDir: string;
    const saved = { PATH: process.env.PATH, HELM: process.env.HELM };
    beforeAll(() => {
      helmDir = join(root, 'bin-26b');
      mkdirSync(helmDir, { recursive: true });
      symlinkSync(FAKE_HELM, join(helmDir, 'helm'));
      delete process.env.HELM;
      process.env.PATH = `${helmDir}${delimiter}${saved.PATH}`;
    });
    afterAll(() => {
      process.env.PATH = saved.PATH;
      if (saved.HELM !== undefined) process.env.HELM = saved.HELM;
      delete process.env.FAKE_HELM_RELEASES;
    });
    const cluster = (dir: string, releases: Json[]): void => {
      writeFileSync(join(dir, 'releases.json'), JSON.stringify(releases));
      process.env.FAKE_HELM_RELEASES = join(dir, 'releases.json');
    };
    const wire = {
      name: 'wire-server',
      namespace: 'wire',
      revision: 9,
      chart: 'wire-server',
      chartVersion: '5.32.0',
      values: { brig: { config: { optSettings: { setFederationDomain: 'acme.example.org' } } } },
    };
    const wireIngress = {
      name: 'wire-ingress',
      namespace: 'wire',
      revision: 2,
      chart: 'wire-ingress',
      chartVersion: '5.32.0',
      values: { gateway: { replicas: 2 }, secrets: { gatewayToken: 'tok-123456' } },
    };
    const certManager = {
      name: 'cert-manager',
      namespace: 'cert-manager',
      revision: 1,
      chart: 'cert-manager',
      chartVersion: 'v1.19.1',
      appVersion: 'v1.19.1',
      values: { crds: { enabled: true } },
    };
    const issuer = {
      name: 'wire-federation-ca',
      namespace: 'cert-manager',
      revision: 1,
      chart: 'wire-federation-ca-issuer',
      chartVersion: '0.1.0',
      values: { issuerName: 'wire-federation-ca', caSecretName: 'wire-federation-ca-key-pair' },
    };

    test('preflight: a running wire-ingress, cert-manager and issuer without a record are refused with the adopt command', async () => {
      const { dir, file } = wiProject({ adoptionFile: undefined });
      cluster(dir, [wire, wireIngress, certManager, issuer]);
      const run = await cliRun(['preflight', file, '--no-dns']);
      expect(run.code).toBe(1);
      const unadopted = run.out.split('\n').filter((l) => l.includes('[preflight-unadopted-release]'));
      expect(unadopted.length).toBeGreaterThanOrEqual(4);
      // On wire-ingress too the fix is adopt (before: "Import it by hand").
      expect(run.out).toMatch(
        /release wire\/wire-ingress \(chart wire-ingress 5\.32\.0, revision 2, deployed\) already runs and environment acme has no adoption record for it: .*Adopt it first: `npx wire-federation adopt [^`]*acme\.yaml`/,
      );
      expect(run.out).toMatch(
        /cert-manager \(which pki\.installCertManagerVersion makes the stack install\) already runs as release cert-manager\/cert-manager \(chart cert-manager v1\.19\.1, revision 1, deployed\), .* Adopt it: `npx wire-federation adopt [^`]*acme\.yaml`.*; or remove pki\.installCertManagerVersion/,
      );
      expect(run.out).toMatch(
        /the CA ClusterIssuer wire-federation-ca \(which pki\.mode makes the stack install\) already runs as release cert-manager\/wire-federation-ca \(chart wire-federation-ca-issuer 0\.1\.0, revision 1, deployed\)/,
      );
    });

    test('preflight: cert-manager or Envoy Gateway running under another namespace or name, while the config installs them, is refused (preflight-installed-elsewhere)', async () => {
      const { dir, file } = wiProject({
        adoptionFile: undefined,
        greenfield: true,
        ingress: { ...WI_CONFIG.ingress, gateway: { className: 'envoy', installEnvoyGatewayVersion: 'v1.7.0' } },
      });
      cluster(dir, [
        { ...certManager, name: 'cm', namespace: 'security' },
        { name: 'eg', namespace: 'gateways', revision: 3, chart: 'gateway-helm', chartVersion: 'v1.6.2' },
      ]);
      const run = await cliRun(['preflight', file, '--no-dns']);
      expect(run.code).toBe(1);
      expect(run.out).toContain(
        'pki.installCertManagerVersion: is v1.19.1, but cert-manager already runs as release security/cm (chart cert-manager v1.19.1, revision 1, deployed): the first deploy would install a second cert-manager as cert-manager/cert-manager',
      );
      expect(run.out).toContain('Remove pki.installCertManagerVersion (cert-manager is installed already) and set pki.certManagerNamespace: security');
      expect(run.out).toContain(
        'ingress.gateway.installEnvoyGatewayVersion: is v1.7.0, but Envoy Gateway already runs as release gateways/eg (chart gateway-helm v1.6.2, revision 3, deployed)',
      );
      expect(run.out.match(/\[preflight-installed-elsewhere\]/g)).toHaveLength(2);
    });

    test('adopt reads wire-ingress (secrets held back) and records it with cert-manager and the issuer; the adopted config passes validate and preflight', async () => {
      const { dir, file } = wiProject({ adoptionFile: undefined });
      rmSync(join(dir, 'adopted'), { recursive: true, force: true });
      cluster(dir, [wire, wireIngress, certManager, issuer]);
      const run = await cliRun(['adopt', file, '--no-dns']);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const record = JSON.parse(readFileSync(join(dir, 'adopted', 'acme.json'), 'utf8')) as Json;
      expect(record.format).toBe(3);
      expect(record.releases.wireIngress).toEqual({
        import: 'wire/wire-ingress',
        chartVersion: '5.32.0',
        revision: 2,
        valuesFile: 'adopted/acme/wire-ingress.yaml',
        sensitiveValues: ['secrets.gatewayToken'],
      });
      expect(record.releases.nginxIngressServices).toBeUndefined();
      expect(record.supportReleases).toEqual({
        certManager: { import: 'cert-manager/cert-manager', chartVersion: 'v1.19.1', revision: 1 },
        issuer: { import: 'cert-manager/wire-federation-ca', chartVersion: '0.1.0', revision: 1 },
      });
      const values = readFileSync(join(dir, 'adopted', 'acme', 'wire-ingress.yaml'), 'utf8');
      expect(values).toContain('replicas: 2');
      expect(values).not.toContain('tok-123456');
      expect(run.out).not.toContain('tok-123456');
      expect(run.out).toContain('TF_VAR_wire_ingress_secret_values');
      expect(run.out).toMatch(
        /The first plan imports: helm_release wire\/wire-server, helm_release wire\/wire-ingress, helm_release cert-manager\/cert-manager \(cert-manager\), helm_release cert-manager\/wire-federation-ca \(the CA ClusterIssuer wire-federation-ca\)/,
      );
      expect(run.out).toContain('its CA key pair Secret cert-manager/wire-federation-ca-key-pair probably exists too');

      writeFileSync(file, stringify({ ...CONFIG, ...WI_CONFIG, adoptionFile: 'adopted/acme.json' }));
      expect(await everyEntryPoint(file)).toMatchObject({ failed: false, rules: [] });
      const preflight = await cliRun(['preflight', file, '--no-dns']);
      expect(preflight.out).not.toContain('[preflight-unadopted-release]');
      expect(preflight.code).toBe(0);
    });

    test('adopt refuses (nothing written) when cert-manager runs under another namespace while the config installs it', async () => {
      const { dir, file } = wiProject({ adoptionFile: undefined });
      rmSync(join(dir, 'adopted'), { recursive: true, force: true });
      cluster(dir, [wire, wireIngress, { ...certManager, name: 'cm', namespace: 'security' }]);
      const run = await cliRun(['adopt', file, '--no-dns']);
      expect(run.code).toBe(1);
      expect(run.err).toContain('pki.installCertManagerVersion: is v1.19.1, but cert-manager already runs as release security/cm');
      expect(run.err).toContain('adopt refused: nothing was written');
      expect(() => readFileSync(join(dir, 'adopted', 'acme.json'))).toThrow();
    });
  });
});
