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
    wireServer: { import: 'wire/wire-server', chartVersion: '5.32.0', revision: 7, valuesFile: 'adopted/acme/wire-server.yaml', sensitiveValues: ['brig.secrets.smtpPassword'] },
    nginxIngressServices: { import: 'wire/nginx-ingress-services', chartVersion: '5.32.0', revision: 3, valuesFile: 'adopted/acme/nginx-ingress-services.yaml', sensitiveValues: ['secrets.tlsWildcardKey'] },
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
  return { failed: r.failed, rules: r.findings.map((f) => `${f.level}:${f.rule}`).filter(relevant).sort(), text: r.findings.map((f) => `${f.path}: ${f.message}`).join('\n') };
}

function parseYamlFile(file: string): unknown {
  return require('yaml').parse(readFileSync(file, 'utf8'));
}

async function validateCli(file: string): Promise<Answer> {
  const run = await cliRun(['validate', file, '--json']);
  const report = JSON.parse(run.out) as { valid: boolean; targets: Array<{ findings: Array<{ level: string; rule: string; path: string; message: string }> }> };
  const findings = report.targets.flatMap((t) => t.findings);
  expect(run.code).toBe(report.valid ? 0 : 1);
  return { failed: !report.valid, rules: findings.map((f) => `${f.level}:${f.rule}`).filter(relevant).sort(), text: findings.map((f) => `${f.path}: ${f.message}`).join('\n') };
}

/** Synth in the repository's way (the pipeline, then FederationStack): its report and exit code. */
function synthRepo(file: string): Answer {
  let text = '';
  const code = synthesizeSources([{ file }], { outdir: join(file, '..', `out-${++n}`), writeErr: (t) => (text += t) });
  const rules = [...text.matchAll(/^\s+(✖|⚠) .*\[([a-z0-9-]+)\]$/gm)].map((m) => `${m[1] === '✖' ? 'error' : 'warning'}:${m[2]}`).filter(relevant).sort();
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
  new WireFederation(stack, 'Federation', { config, rabbitmqUsername: rabbitmqUsername.stringValue, rabbitmqPassword: rabbitmqPassword.stringValue, operatorSecrets, annotateWarnings: false });
  return JSON.parse(Testing.synth(stack, true));
}

/** The plan-relevant part of a synthesized stack: resources, imports, data, providers, variable names; no construct metadata. */
function plan(json: Json): Json {
  const strip = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(strip) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== '//').map(([k, x]) => [k, strip(x)])) : v;
  const variables = Object.entries(json.variable ?? {}).map(([name, v]) => `${name}:${(v as Json).type}:${(v as Json).sensitive === true}`).sort();
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

  test.each(['onprem', 'production'])('the example %s: the doc\'s stack and the repository app plan alike', (name) => {
    const input = (require('../../stacks/environments') as { environments: Json[] }).environments.find((e) => e.environment === name);
    const config = parseFederationConfig(input, { baseDir: REPO_ROOT });
    const repo = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config, annotateWarnings: false }), true)) as Json;
    expect(plan(consumerStack(config))).toEqual(plan(repo));
    if (name === 'onprem') expect((repo.import as unknown[]).length).toBe(4);
  });

  test('operatorSecrets that leave out a path the record lists: synth fails naming it (no silent drop)', () => {
    const { dir } = project();
    const config = parseFederationConfig(parseYamlFile(join(dir, 'acme.yaml')), { baseDir: dir });
    expect(() => consumerStack(config, { wireServer: [] })).toThrow(/\[operator-secrets\] charts\.wireServer\.sensitiveValues lists brig\.secrets\.smtpPassword \(with the secret paths of the adoption record\), but operatorSecrets\.wireServer gives no value for it/);
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
    expect(answer.text).toContain('charts.wireServer.releaseName: is "wire", but the running wire-server release that the adoption record (adopted/acme.json) imports is wire/wire-server');
  });

  test('another namespace: an error naming the running release', async () => {
    const { file } = project({ kubernetes: { context: 'acme-prod', namespace: 'wire-prod' } });
    const answer = await everyEntryPoint(file);
    expect(answer.failed).toBe(true);
    expect(answer.rules).toEqual(['error:adoption-release', 'error:adoption-release']);
    expect(answer.text).toContain('kubernetes.namespace: is "wire-prod", but the running wire-server release that the adoption record (adopted/acme.json) imports is wire/wire-server');
  });

  test('a chart below the running one: an error, unless downgradeFrom names the running version', async () => {
    const down = project({ charts: { wireServer: { version: '5.30.0' }, nginxIngressServices: { version: '5.32.0' } } });
    const refused = await everyEntryPoint(down.file);
    expect(refused).toMatchObject({ failed: true, rules: ['error:adoption-downgrade'] });
    expect(refused.text).toContain("charts.wireServer.version: is 5.30.0, but wire-server 5.32.0 runs (adoption record adopted/acme.json, revision 7): the first deploy would DOWNGRADE it");
    expect(refused.text).toContain("charts.wireServer.downgradeFrom: '5.32.0'");

    const intended = project({ charts: { wireServer: { version: '5.30.0', downgradeFrom: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } } });
    expect(await everyEntryPoint(intended.file)).toMatchObject({ failed: false, rules: ['warning:adoption-downgrade'] });
  });

  test('a record written by a newer version of the tool: an error, not a schema complaint', async () => {
    const { file } = project({}, { format: 3, somethingNew: true });
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-record-format'] });
    expect(answer.text).toContain('was written by a newer version of wire-federation-cdktf (record format 3)');
  });
});

describe('3. private-ca over a public certificate that serves more hosts', () => {
  test('an error naming the hosts and the modes that keep them, everywhere', async () => {
    const { file } = project({ pki: { mode: 'private-ca' } }, { adoptedWith: { pkiMode: 'private-ca', ingressChart: 'nginx-ingress-services' } });
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: true, rules: ['error:adoption-certificate-hosts'] });
    expect(answer.text).toContain('pki.mode: is private-ca, but the running nginx-ingress-services serves one certificate on every ingress (CN=*.acme.example.org; adoption record adopted/acme.json) for *.acme.example.org, acme.example.org besides the federator');
    expect(answer.text).toMatch(/pki\.mode cert-manager .* or pki\.mode provided/);
  });

  test('adopt itself ends with that error (exit 1), not a warning', async () => {
    const dir = join(root, `adopt-${++n}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'onprem.yaml');
    writeFileSync(file, stringify({
      ...CONFIG,
      environment: 'onprem',
      backendDomain: 'chat.example.net',
      federatorDomain: 'federator.chat.example.net',
      pki: { mode: 'private-ca' },
      adoptionFile: 'adopted/onprem.json',
    }));
    const fixtures = join(REPO_ROOT, '__tests__', 'fixtures', 'adopt', 'onprem');
    const run = await cliRun(['adopt', file, '--values-from', `wire-server=${join(fixtures, 'wire-server.yaml')}`, '--values-from', `nginx-ingress-services=${join(fixtures, 'nginx-ingress-services.yaml')}`, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/pki\.mode: is private-ca, but the running nginx-ingress-services serves one certificate .* for \*\.chat\.example\.net, chat\.example\.net besides the federator.*\[adoption-certificate-hosts\]/);
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
    { name: 'wire-server', namespace: 'wire', revision: 9, chart: 'wire-server', chartVersion: '5.23.0', values: { brig: { config: { optSettings: { setFederationDomain: 'acme.example.org' } } } } },
    { name: 'nginx-ingress-services', namespace: 'wire', revision: 4, chart: 'nginx-ingress-services', chartVersion: '5.23.0', values: {} },
  ];

  test('4. a namespace typo: preflight refuses naming the running release (CLI and library), not "runs no release; passed"', async () => {
    const { dir, file } = project({ kubernetes: { context: 'acme-prod', namespace: 'wier' }, adoptionFile: undefined });
    cluster(dir, running);
    const run = await cliRun(['preflight', file, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.out).toContain('kubernetes.namespace: is "wier", but wire-server runs as release wire/wire-server (chart wire-server 5.23.0, revision 9, deployed), in no release of wier');
    expect(run.out).toContain('[preflight-namespace]');

    const config = parseFederationConfig(parseYamlFile(file), { baseDir: dir });
    const findings = preflightFindings({ config, releases: running.map((r) => ({ ...r, status: 'deployed' })), command: commandHint({ target: 'acme.yaml' }) });
    expect(findings.map((f) => `${f.level}:${f.rule}`)).toEqual(['error:preflight-namespace']);
  });

  test('6. adopt with helm 3.8 (no `helm get metadata`) records chart version and revision from helm list; $KUBECONFIG is respected', async () => {
    const { dir, file } = project({ adoptionFile: undefined, pki: { mode: 'private-ca' }, charts: { wireServer: { version: '5.23.0' }, nginxIngressServices: { version: '5.23.0' } } });
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
    writeFileSync(file, stringify({ ...CONFIG, adoptionFile: undefined, pki: { mode: 'private-ca' }, kubernetes: { kubeconfigPath: '/etc/acme/kubeconfig', context: 'acme-prod', namespace: 'wire' }, charts: { wireServer: { version: '5.23.0' }, nginxIngressServices: { version: '5.23.0' } } }));
    await cliRun(['preflight', file, '--no-dns']);
    expect(readFileSync(log, 'utf8').trim().split('\n').pop()).toBe('list --all-namespaces --deployed --failed --pending -o json --kubeconfig /etc/acme/kubeconfig --kube-context acme-prod');
  });

  test('adopt refuses a config whose release name misses the running one, naming it', async () => {
    const { dir, file } = project({ adoptionFile: undefined, pki: { mode: 'private-ca' }, charts: { wireServer: { version: '5.23.0', releaseName: 'wire' }, nginxIngressServices: { version: '5.23.0' } } });
    cluster(dir, running);
    const run = await cliRun(['adopt', file, '--no-dns']);
    expect(run.code).toBe(1);
    expect(run.err).toContain('no running wire-server release wire/wire where the config says (charts.wireServer.releaseName), but wire-server runs as wire/wire-server (chart wire-server 5.23.0, revision 9, deployed)');
  });

  test('7. stale adoption after a pki.mode change: a warning with the adopt command, in preflight too', async () => {
    const { dir, file } = project({}, { adoptedWith: { pkiMode: 'provided', ingressChart: 'nginx-ingress-services' } });
    cluster(dir, [{ ...running[0], chartVersion: '5.32.0' }, { ...running[1], chartVersion: '5.32.0' }]);
    const answer = await everyEntryPoint(file);
    expect(answer).toMatchObject({ failed: false, rules: ['warning:adoption-stale'] });
    expect(answer.text).toContain('pki.mode: is cert-manager, but adopted/acme.json was adopted with pki.mode provided: the adopted values files (adopted/acme/wire-server.yaml, adopted/acme/nginx-ingress-services.yaml) were split for provided and are out of date');
    expect(answer.text).toMatch(/Run `npx wire-federation adopt acme` again/);
    const run = await cliRun(['preflight', file, '--no-dns']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('[adoption-stale]');
  });
});
