/**
 * The package as a consumer gets it: `npm pack` (which builds dist/ through `prepack`), then a
 * fresh cdktf TypeScript project in a temporary folder (the tsconfig that
 * `cdktf init --template=typescript` writes, read from the installed cdktf-cli) installs the
 * tarball and synthesizes with ts-node, and with plain CommonJS JavaScript; its type check runs
 * with `skipLibCheck: false`, so our declarations are checked too.
 *
 * Offline as far as npm allows: every package comes from the npm cache that `npm ci` of this
 * repository filled (`--prefer-offline`, the exact versions of our lockfile). One pack, one
 * consumer project, one install: about 30-40 s on a 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { REPO_ROOT } from '../support/config';

const SOURCES = join(__dirname, 'consumer');
const LOCK = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
const locked = (name: string): string => `${name}@${LOCK.packages[`node_modules/${name}`].version}`;

/** What the consumer installs besides our tarball: our peers and the template's dev tools, at our locked versions. */
const CONSUMER_PACKAGES = [
  'cdktf',
  'constructs',
  '@cdktf/provider-cloudflare',
  '@cdktf/provider-helm',
  '@cdktf/provider-kubernetes',
  '@cdktf/provider-tls',
  'ts-node',
  'typescript',
  '@types/node',
].map(locked);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...env },
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function mustRun(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Run {
  const result = run(command, args, cwd, env);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  }
  return result;
}

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly files: readonly PackedFile[];
}

type Json = { [key: string]: any };

let work: string;
let consumer: string;
let packed: Packed;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wire-federation-consumer-'));
  // `npm pack` runs `prepack`, which builds dist/ from the sources.
  const pack = mustRun('npm', ['pack', '--json', '--pack-destination', work], REPO_ROOT);
  [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Packed[];

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, main: 'main.js' }, null, 2)}\n`);
  // The tsconfig `cdktf init --template=typescript` writes, as the installed cdktf-cli ships it.
  copyFileSync(join(REPO_ROOT, 'node_modules/cdktf-cli/bundle/templates/typescript/tsconfig.json'), join(consumer, 'tsconfig.json'));
  writeFileSync(
    join(consumer, 'tsconfig.strict.json'),
    `${JSON.stringify({ extends: './tsconfig.json', compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, incremental: false } }, null, 2)}\n`,
  );
  for (const file of ['main.ts', 'main.js']) copyFileSync(join(SOURCES, file), join(consumer, file));
  copyFileSync(join(REPO_ROOT, 'stacks/environments/peers/wire-acme-test-ca.pem'), join(consumer, 'peer-ca.pem'));
  writeFileSync(
    join(consumer, 'federation.json'),
    JSON.stringify({
      environment: 'consumer',
      backendDomain: 'example.com',
      federatorDomain: 'federator.wire.example.org',
      ingress: { ipv4: '203.0.113.10' },
      dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' },
      charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
      peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'peer-ca.pem' }] }],
    }),
  );

  mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, packed.filename), ...CONSUMER_PACKAGES], consumer);
}, 300_000);

afterAll(() => {
  if (work && !process.env.KEEP_CONSUMER) rmSync(work, { recursive: true, force: true });
});

function stack(outdir: string, name: string): Json {
  return JSON.parse(readFileSync(join(consumer, outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
}

const records = (json: Json): Json[] => Object.values(json.resource?.cloudflare_dns_record ?? {});
const releases = (json: Json): string[] =>
  Object.values(json.resource?.helm_release ?? {})
    .map((r) => (r as Json).chart)
    .sort();

/** The resources both apps make: the DNS records alone, and a whole federation. */
function expectFederation(outdir: string): { federation: Json } {
  const dnsOnly = stack(outdir, 'dns-only');
  expect(
    records(dnsOnly)
      .map((r) => [r.type, r.name])
      .sort(),
  ).toEqual([
    ['A', 'federator.wire.example.org'],
    ['SRV', '_wire-server-federator._tcp.example.com'],
  ]);
  expect(records(dnsOnly).find((r) => r.type === 'SRV')).toMatchObject({ data: { port: 443, target: 'federator.wire.example.org' }, proxied: false });
  expect(Object.keys(dnsOnly.resource)).toEqual(['cloudflare_dns_record']);

  const federation = stack(outdir, 'federation');
  expect(
    records(federation)
      .map((r) => r.type)
      .sort(),
  ).toEqual(['A', 'SRV']);
  expect(releases(federation)).toEqual(expect.arrayContaining(['nginx-ingress-services', 'wire-server']));
  // The peer's CA, read from peer-ca.pem beside the app, is in the trust bundle.
  const peerCa = readFileSync(join(consumer, 'peer-ca.pem'), 'utf8').trim();
  expect(JSON.stringify(federation)).toContain(JSON.stringify(peerCa).slice(1, 80));
  return { federation };
}

describe('the packed package', () => {
  test('ships the build, the sources its declaration maps point to and the chart; no tests, fixtures, environments or locks; under 1.5 MB', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'CHANGELOG.md',
        'bin/wire-federation.js',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/lib/index.d.ts.map',
        'lib/index.ts',
        'dist/lib/verify/index.js',
        'dist/bin/cli.js',
        'charts/wire-federation-ca-issuer/Chart.yaml',
      ]),
    );
    const unwanted = paths.filter((p) =>
      /(^|\/)(__tests__|__snapshots__|fixtures|stacks|scripts|node_modules|cdktf\.out|\.github|\.ci)(\/|$)|\.snap$|\.test\.|package-lock\.json|tsconfig|(^|\/)locks\//.test(
        p,
      ),
    );
    expect(unwanted).toEqual([]);
    // The budget catches an accidental inclusion (a build of the wrong folder, data files); what is
    // shipped is checked above. 1 MB until federated calling and the mesh (1.05 MB packed with them).
    expect(packed.size).toBeLessThan(1.5 * 1024 * 1024);
  });

  test("installs into a fresh project; its peers are the consumer's own single copies", () => {
    const installed = join(consumer, 'node_modules', 'wire-federation-cdktf');
    expect(existsSync(join(installed, 'dist/lib/index.js'))).toBe(true);
    // One cdktf in the program: nothing nested below our package.
    expect(existsSync(join(installed, 'node_modules', 'cdktf'))).toBe(false);
    expect(existsSync(join(installed, 'node_modules', 'constructs'))).toBe(false);
    expect(readdirSync(join(consumer, 'node_modules'))).not.toContain('tsx');
  });

  test('the optional DNS providers are subpaths that need their own provider package', () => {
    // @cdktf/provider-aws is an optional peer: not installed here, so only its subpath fails.
    const script =
      "try { require('wire-federation-cdktf/dns/route53'); process.stdout.write('loaded') } catch (e) { process.stdout.write(e.code + ' ' + e.message.split('\\n')[0]) }";
    expect(mustRun(process.execPath, ['-e', script], consumer).stdout).toMatch(/^MODULE_NOT_FOUND Cannot find module '@cdktf\/provider-aws\/lib\/provider'/);
    expect(existsSync(join(consumer, 'node_modules', '@cdktf', 'provider-aws'))).toBe(false);
  });

  test('wire-federation-cdktf/verify loads no cdktf and no provider', () => {
    const script =
      "require('wire-federation-cdktf/verify'); const loaded = Object.keys(require.cache); " +
      "process.stdout.write(JSON.stringify({ ours: loaded.some((k) => k.includes('wire-federation-cdktf')), heavy: loaded.filter((k) => /node_modules[\\/](cdktf|@cdktf)[\\/]/.test(k)) }))";
    expect(JSON.parse(mustRun(process.execPath, ['-e', script], consumer).stdout)).toEqual({ ours: true, heavy: [] });
  });
});

describe('a consumer project', () => {
  test('TypeScript through ts-node: FederatorDnsRecords alone, and WireFederation from a config object', () => {
    const result = mustRun(process.execPath, [join(consumer, 'node_modules/ts-node/dist/bin.js'), 'main.ts'], consumer, { CDKTF_OUTDIR: 'out-ts' });
    // The app's own CLI (runCli of wire-federation-cdktf/cli with its environments) validated it by name.
    expect(result.stdout).toContain('cli: ✔ consumer: valid');
    const { federation } = expectFederation('out-ts');
    expect(Object.keys(federation.resource)).toEqual(expect.arrayContaining(['tls_private_key', 'tls_self_signed_cert', 'tls_locally_signed_cert']));
  }, 180_000);

  test('plain CommonJS JavaScript: the same, with cert-manager (the issuer chart comes from the package)', () => {
    mustRun(process.execPath, ['main.js'], consumer, { CDKTF_OUTDIR: 'out-js' });
    const { federation } = expectFederation('out-js');
    // The issuer chart is a cdktf asset copied from the installed package into the output.
    expect(releases(federation).filter((chart) => chart.startsWith('assets/Federation_Issuer_IssuerChart_'))).toHaveLength(1);
    const assets = join(consumer, 'out-js', 'stacks', 'federation', 'assets');
    const chartYaml = readdirSync(assets, { recursive: true })
      .map(String)
      .filter((p) => p.endsWith('Chart.yaml'));
    expect(chartYaml).toHaveLength(1);
  }, 120_000);

  test('type check with strict and skipLibCheck false: no error in the app or in our declarations', () => {
    const result = run(
      process.execPath,
      [join(consumer, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.strict.json', '--pretty', 'false', '--listFiles'],
      consumer,
    );
    const lines = result.stdout.split('\n').filter((l) => l !== '');
    const errors = lines.filter((l) => /^[^(]+\(\d+,\d+\): error TS\d+/.test(l) || l.startsWith('error TS'));
    const checked = lines.filter((l) => l.startsWith('/'));
    // Our declarations were part of the checked program.
    expect(checked).toEqual(
      expect.arrayContaining([
        join(consumer, 'node_modules/wire-federation-cdktf/dist/lib/index.d.ts'),
        join(consumer, 'node_modules/wire-federation-cdktf/dist/lib/verify/index.d.ts'),
        join(consumer, 'node_modules/wire-federation-cdktf/dist/lib/federation.d.ts'),
      ]),
    );
    // Errors inside other libraries' declarations are theirs (zod 4's need esModuleInterop,
    // which the cdktf template does not set); everything else must be clean.
    const ours = errors.filter((l) => !l.startsWith('node_modules/') || l.startsWith('node_modules/wire-federation-cdktf/'));
    expect(ours).toEqual([]);
    expect(lines.filter((l) => !l.startsWith('/') && !errors.includes(l) && !l.startsWith('  '))).toEqual([]);
  }, 180_000);

  test('the installed CLI runs the compiled JavaScript (no tsx) and reads config files', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'wire-federation');
    const ok = run(bin, ['validate', 'federation.json'], consumer);
    expect(ok.stdout).toContain('✔ federation.json: valid');
    expect(ok.code).toBe(0);
    const byName = run(bin, ['validate', 'staging'], consumer);
    // A config file where a name goes, in every command: lock writes locks/ beside it.
    const locked = run(bin, ['lock', 'federation.json'], consumer);
    expect({ code: locked.code, out: locked.stdout }).toEqual({ code: 0, out: `✔ federation.json: wrote ${join('locks', 'consumer.json')}\n` });
    expect(byName.stderr).toMatch(/unknown environment "staging": this CLI knows no environments by name; give a config file/);
    expect(byName.code).toBe(2);
  }, 60_000);
});

/**
 * A fenced block of docs/own-stack.md, found by its language and its first line (`# acme.yaml`,
 * `// main.ts`): the doc's blocks ARE the consumer project, so the two cannot drift.
 */
function docBlock(lang: string, firstLine: string, contains?: string): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'own-stack.md'), 'utf8');
  const blocks = [...doc.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].filter(
    (m) => m[1] === lang && m[2].split('\n')[0] === firstLine && (contains === undefined || m[2].includes(contains)),
  );
  if (blocks.length !== 1) throw new Error(`docs/own-stack.md: expected one ${lang} block starting with "${firstLine}", found ${blocks.length}`);
  return blocks[0][2];
}

describe('the consumer stack of docs/own-stack.md, as written', () => {
  let own: string;
  let fakeHelmPath: string;
  beforeAll(() => {
    // The doc's setup, line by line, in a fresh folder beside (not inside) the other consumer:
    // the packed tarball stands in for the package name, from the npm cache where it can.
    const setup = docBlock('sh', '# a fresh folder')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(setup[0]).toBe('mkdir acme-federation && cd acme-federation');
    own = join(work, 'acme-federation');
    mkdirSync(own);
    expect(setup[1]).toBe('npm init -y');
    mustRun('npm', ['init', '-y'], own);
    const install = setup[2].split(' ');
    expect(install.slice(0, 3)).toEqual(['npm', 'install', 'wire-federation-cdktf']);
    expect(install).toEqual(expect.arrayContaining(['typescript@~5.9.3', 'ts-node@10.9.2']));
    mustRun(
      'npm',
      [
        ...install.slice(1).map((a) => (a === 'wire-federation-cdktf' ? join(work, packed.filename) : a)),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      own,
    );
    expect(setup).toHaveLength(3);
    writeFileSync(join(own, 'tsconfig.json'), docBlock('json', '{', '"compilerOptions"'));
    writeFileSync(join(own, 'cdktf.json'), docBlock('json', '{', '"app"'));
    mkdirSync(join(own, 'values'), { recursive: true });
    writeFileSync(join(own, 'main.ts'), docBlock('ts', '// main.ts: a complete cdktf app (cdktf.json: "app": "npx ts-node main.ts")'));
    writeFileSync(join(own, 'acme.yaml'), docBlock('yaml', '# acme.yaml'));
    writeFileSync(join(own, 'values', 'wire-server.yaml'), docBlock('yaml', '# values/wire-server.yaml'));
    copyFileSync(join(REPO_ROOT, 'stacks/environments/peers/wire-acme-test-ca.pem'), join(own, 'partner-ca.pem'));
    // preflight asks helm: the fake one (an empty namespace), first on PATH.
    const bin = join(work, 'fake-helm-bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'helm'))) symlinkSync(join(REPO_ROOT, '__tests__/support/fake-helm.js'), join(bin, 'helm'));
    fakeHelmPath = `${bin}${delimiter}${process.env.PATH}`;
  }, 300_000);

  /** `cdktf synth` as cdktf.json says: `npx ts-node main.ts`, with the ts-node and TypeScript of the doc's install. */
  const synth = (script = 'main.ts', outdir = 'cdktf.out'): Run => {
    expect(JSON.parse(readFileSync(join(own, 'cdktf.json'), 'utf8')).app).toBe(`npx ts-node ${'main.ts'}`);
    return run('npx', ['ts-node', script], own, { CDKTF_OUTDIR: outdir });
  };

  test('the commands of the doc work in the consumer project: validate and lock a YAML config, preflight, synth', () => {
    const lines = docBlock('sh', '# in your project, beside acme.yaml')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual([
      'npx wire-federation validate acme.yaml',
      'npx wire-federation lock acme.yaml',
      'npx wire-federation validate acme.yaml --json',
      'npx wire-federation preflight acme.yaml --no-dns',
      'npx cdktf synth',
    ]);
    const bin = join(own, 'node_modules', '.bin', 'wire-federation');
    const env = { PATH: fakeHelmPath, HELM: '' };
    const runLine = (line: string): Run => run(bin, line.split(' ').slice(2), own, env);

    const first = runLine(lines[0]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('✔ acme.yaml: valid (1 warning)');
    // The fix names the command that works here, with the file as given.
    expect(first.stdout).toContain('Run `npx wire-federation lock acme.yaml` and commit the file. [lock-missing]');

    const lock = runLine(lines[1]);
    expect({ code: lock.code, stdout: lock.stdout, stderr: lock.stderr }).toEqual({
      code: 0,
      stdout: `✔ acme.yaml: wrote ${join('locks', 'acme.json')}\n`,
      stderr: '',
    });
    expect(JSON.parse(readFileSync(join(own, 'locks', 'acme.json'), 'utf8'))).toEqual({
      environment: 'acme',
      backendDomain: 'acme.example.org',
      peers: ['wire.partner.example.net'],
    });

    const json = runLine(lines[2]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ valid: true, targets: [{ target: 'acme.yaml', environment: 'acme', valid: true, findings: [] }] });

    const preflight = runLine(lines[3]);
    expect({ code: preflight.code, stderr: preflight.stderr }).toEqual({ code: 0, stderr: '' });
    expect(preflight.stdout).toMatch(/^✔ acme\.yaml: namespace wire of kube context acme-prod runs no release; passed\n/);

    // `cdktf synth` runs the app as cdktf.json says: ts-node main.ts.
    const synthesized = synth();
    expect({ code: synthesized.code, stderr: synthesized.stderr }).toEqual({ code: 0, stderr: '' });
    const stackJson = JSON.parse(readFileSync(join(own, 'cdktf.out', 'stacks', 'acme', 'cdk.tf.json'), 'utf8')) as Json;
    expect(Object.keys(stackJson.provider).sort()).toEqual(['cloudflare', 'helm', 'tls']);
    expect(stackJson.provider.helm[0].kubernetes).toEqual({ config_context: 'acme-prod', config_path: '~/.kube/config' });
    expect(Object.keys(stackJson.variable).sort()).toEqual(['cloudflare_api_token', 'rabbitmq_password', 'rabbitmq_username', 'wire_server_secret_values']);
    expect(
      records(stackJson)
        .map((r) => [r.type, r.name])
        .sort(),
    ).toEqual([
      ['A', 'federator.acme.example.org'],
      ['SRV', '_wire-server-federator._tcp.acme.example.org'],
    ]);
    expect(releases(stackJson)).toEqual(['nginx-ingress-services', 'wire-server']);
    expect(JSON.stringify(stackJson)).toContain('cassandra-external');
  }, 180_000);

  test("the existing-backend path: adopt, name the record, and the doc's stack imports the running releases (none created); each warning printed once", () => {
    const bin = join(own, 'node_modules', '.bin', 'wire-federation');
    // What runs (as `helm get values` prints it), for acme's domain: adopt reads it offline.
    const fixtures = join(REPO_ROOT, '__tests__', 'fixtures', 'adopt', 'onprem');
    mkdirSync(join(own, 'running'), { recursive: true });
    writeFileSync(
      join(own, 'running', 'wire-server.yaml'),
      readFileSync(join(fixtures, 'wire-server.yaml'), 'utf8').split('chat.example.net').join('acme.example.org'),
    );
    writeFileSync(join(own, 'running', 'nginx-ingress-services.yaml'), '{}\n');
    const config = readFileSync(join(own, 'acme.yaml'), 'utf8');
    writeFileSync(join(own, 'acme.yaml'), config.replace('greenfield: true\n', ''));
    const adopt = run(
      bin,
      [
        'adopt',
        'acme.yaml',
        '--values-from',
        'wire-server=running/wire-server.yaml',
        '--values-from',
        'nginx-ingress-services=running/nginx-ingress-services.yaml',
        '--no-dns',
      ],
      own,
    );
    expect({ code: adopt.code, stderr: adopt.stderr }).toEqual({ code: 0, stderr: '' });
    expect(adopt.stdout).toContain("Next: add  adoptionFile: 'adopted/acme.json'  to the config of acme (acme.yaml)");
    writeFileSync(join(own, 'acme.yaml'), `${config.replace('greenfield: true\n', 'adoptionFile: adopted/acme.json\n')}`);

    const synthesized = synth('main.ts', 'cdktf.out.adopted');
    expect(synthesized.code).toBe(0);
    const stackJson = JSON.parse(readFileSync(join(own, 'cdktf.out.adopted', 'stacks', 'acme', 'cdk.tf.json'), 'utf8')) as Json;
    // Every release the stack has is imported: the first plan creates no running release.
    const imports = (stackJson.import as Array<{ to: string; id: string }>).map((i) => [i.to.split('.')[0], i.id]).sort();
    expect(imports).toEqual([
      ['helm_release', 'wire/nginx-ingress-services'],
      ['helm_release', 'wire/wire-server'],
    ]);
    expect((stackJson.import as Array<{ to: string }>).map((i) => i.to).sort()).toEqual(
      Object.keys(stackJson.resource.helm_release)
        .map((id) => `helm_release.${id}`)
        .sort(),
    );
    // The record's secrets are sensitive inputs of the stack, declared by WireFederation.
    expect(stackJson.variable.wire_server_secret_values).toMatchObject({ type: 'map(string)', sensitive: true });
    const wire = Object.values(stackJson.resource.helm_release as Json).find((r) => (r as Json).chart === 'wire-server') as Json;
    expect(JSON.stringify(wire.set_sensitive)).toContain('brig.secrets.smtpPassword');
    // The same config through the CLI: valid.
    expect(run(bin, ['validate', 'acme.yaml'], own).code).toBe(0);

    // pki.mode changed after adoption (issue 26, item 7): the stale values files are a warning,
    // printed once by the report; nothing is annotated for cdktf to print again as a WARN line.
    writeFileSync(
      join(own, 'acme.yaml'),
      `${config.replace('greenfield: true\n', 'adoptionFile: adopted/acme.json\n')}pki:\n  mode: cert-manager\n  certmasterEmail: ops@acme.example.org\n`,
    );
    const stale = synth('main.ts', 'cdktf.out.stale');
    expect(stale.code).toBe(0);
    const warnings = stale.stderr.split('\n').filter((l) => l.includes('⚠'));
    expect(warnings).toEqual([
      expect.stringMatching(/^\s+⚠ acme:pki\.mode: is cert-manager, but adopted\/acme\.json was adopted with pki\.mode private-ca: .*\[adoption-stale\]$/),
    ]);
    const manifest = JSON.parse(readFileSync(join(own, 'cdktf.out.stale', 'manifest.json'), 'utf8')) as Json;
    expect(manifest.stacks.acme.annotations).toEqual([]);
    expect(run(bin, ['validate', 'acme.yaml'], own).stdout).toContain('[adoption-stale]');
    // The doc's config as written again, for the next test.
    writeFileSync(join(own, 'acme.yaml'), config);
  }, 240_000);

  test('without the providers: synth stops naming the missing providers and FederationProviders', () => {
    const main = readFileSync(join(own, 'main.ts'), 'utf8');
    const without = main.replace("    new FederationProviders(this, 'Providers', { config });\n", '').replace('FederationProviders, ', '');
    expect(without).not.toContain('FederationProviders');
    writeFileSync(join(own, 'no-providers.ts'), without);
    const result = synth('no-providers.ts', 'cdktf.out.none');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "[providers] stack acme declares no provider for cloudflare, helm, tls, which the resources of acme/Federation need: add `new FederationProviders(this, 'Providers', { config })`",
    );
    // The doc's app prints the message only: no stack trace.
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);
});
