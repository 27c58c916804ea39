/**
 * `wire-federation verify`: help and usage errors (exit 2, one line, no stack trace). No network:
 * every case stops before the first lookup.
 */
import { makePki, Pki, TempDir, configInput, run, writeConfig } from './harness';

let pki: Pki;
let dir: TempDir;
let config: string;

beforeAll(async () => {
  pki = await makePki();
  dir = new TempDir();
  config = writeConfig(dir, configInput(443, { peers: [{ domain: 'wire.beta.test' }] }));
});

afterAll(() => dir?.cleanup());

describe('verify --help', () => {
  test('documents every option and the exit codes', async () => {
    const { code, out } = await run(['verify', '--help']);
    expect(code).toBe(0);
    for (const option of [
      '[target]',
      '--config <file>',
      '--dns-server <ip[:port]>',
      '--ca <pem-file>',
      '--client-cert <pem-file>',
      '--client-key <pem-file>',
      '--peers',
      '--peer-ca <domain=pem-file>',
      '--timeout <ms>',
      '--json',
    ]) {
      expect(out).toContain(option);
    }
    expect(out).toContain('(default: 5000)');
    expect(out).toContain('Exit codes: 0');
  });
});

describe('verify usage errors exit 2 with one line', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['unknown environment', () => ['verify', 'nonexistent'], /^error: unknown environment "nonexistent"; known: .*staging/],
    [
      'environment and --config',
      () => ['verify', 'staging', '--config', config],
      /^error: give an environment name \(or config file\) or --config <file>, not both$/,
    ],
    ['neither', () => ['verify'], /^error: give an environment name or a config file \(YAML or JSON\)$/],
    [
      'bad --timeout',
      () => ['verify', '--config', config, '--timeout', 'soon'],
      /--timeout must be a whole number of milliseconds between 1 and 600000; received "soon"/,
    ],
    ['zero --timeout', () => ['verify', '--config', config, '--timeout', '0'], /received "0"/],
    [
      'bad --dns-server',
      () => ['verify', '--config', config, '--dns-server', 'dns.example.com'],
      /--dns-server must be an IP address with an optional port.*received "dns.example.com"/,
    ],
    [
      'bad --dns-server port',
      () => ['verify', '--config', config, '--dns-server', '127.0.0.1:99999'],
      /--dns-server has an invalid port.*received "127.0.0.1:99999"/,
    ],
    [
      '--client-cert without --client-key',
      () => ['verify', '--config', config, '--client-cert', dir.file('c.pem', pki.federator.certPem)],
      /^error: give --client-cert and --client-key together; received only --client-cert ".*c\.pem"$/,
    ],
    [
      '--client-key of another certificate',
      () => [
        'verify',
        '--config',
        config,
        '--client-cert',
        dir.file('c.pem', pki.federator.certPem),
        '--client-key',
        dir.file('k.pem', pki.peerFederator.keyPem),
      ],
      /is not the private key of --client-cert/,
    ],
    ['--ca missing file', () => ['verify', '--config', config, '--ca', '/nonexistent/ca.pem'], /^error: --ca: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)$/],
    [
      '--ca not a certificate',
      () => ['verify', '--config', config, '--ca', dir.file('x.pem', 'hello')],
      /^error: --ca must be a PEM file with certificates, but ".*x\.pem" holds no "-----BEGIN CERTIFICATE-----" block$/,
    ],
    [
      '--peer-ca for an unknown peer',
      () => ['verify', '--config', config, '--peers', '--peer-ca', `wire.gamma.test=${dir.file('g.pem', pki.peerCa.certPem)}`],
      /^error: --peer-ca names "wire.gamma.test", which is not a peer in the config; peers: wire.beta.test$/,
    ],
    [
      '--peer-ca without =',
      () => ['verify', '--config', config, '--peers', '--peer-ca', 'wire.beta.test'],
      /^error: --peer-ca must be <domain>=<pem file>; received "wire.beta.test"$/,
    ],
    [
      '--peer-ca without --peers',
      () => ['verify', '--config', config, '--peer-ca', `wire.beta.test=${dir.file('b.pem', pki.peerCa.certPem)}`],
      /^error: --peer-ca needs --peers$/,
    ],
    ['unknown option', () => ['verify', '--config', config, '--frobnicate'], /unknown option '--frobnicate'/],
  ];

  test.each(cases)('%s', async (_name, args, message) => {
    const { code, out, err } = await run(args());
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err.trim()).toMatch(message);
  });

  test('an invalid config file prints its problems and exits 2', async () => {
    const bad = dir.file('bad.json', JSON.stringify({ ...configInput(443), federatorDomain: 'Not A Domain' }));
    const { code, out, err } = await run(['verify', '--config', bad]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^Invalid federation config in .*bad\.json \(1 problem\):\n {2}federatorDomain: /);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
