import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FederationConfigError, loadConfigFile, parseFederationConfig } from '../lib/config';
import { wireFederationConfigSchema } from '../lib/config/schema';
import { adviseKey, closestKey, keysAt, typoLimit } from '../lib/config/suggest';
import { PEER_CA_PEM, baseInput, parse, problemsOf } from './support/config';

describe('parseFederationConfig', () => {
  test('applies the documented defaults', () => {
    const c = parse(baseInput());
    expect(c.dns.ttl).toBe(600);
    expect(c.dns.srv).toEqual({ priority: 0, weight: 10, port: 443 });
    expect(c.kubernetes).toEqual({ kubeconfigPath: '~/.kube/config', namespace: 'wire' });
    expect(c.federation).toEqual({ strategy: 'allowDynamic', verifyDepth: 1, useSystemCaStore: true });
    expect(c.peers[0].searchPolicy).toBe('no_search');
    expect(c.pki.mode).toBe('private-ca');
    expect(c.backend).toEqual({ type: 'local' });
    expect(c.charts.repository).toBe('https://s3-eu-west-1.amazonaws.com/public.wire.com/charts');
  });

  test('strips trailing dots from domains', () => {
    const c = parse(baseInput({ backendDomain: 'example.com.', federatorDomain: 'federator.wire.example.org.' }));
    expect(c.backendDomain).toBe('example.com');
    expect(c.federatorDomain).toBe('federator.wire.example.org');
  });

  test('reads a peer CA from a file, relative to baseDir', () => {
    const c = parse(baseInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'stacks/environments/peers/wire-acme-test-ca.pem' }] }] }));
    expect(c.peers[0].caCertificates).toEqual([{ kind: 'pem', pem: PEER_CA_PEM.trim(), origin: 'stacks/environments/peers/wire-acme-test-ca.pem' }]);
  });

  test('a PEM with two certificates becomes two trusted CAs', () => {
    const c = parse(baseInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM + PEER_CA_PEM }] }] }));
    expect(c.peers[0].caCertificates).toHaveLength(2);
  });

  const cases: [string, unknown, string, RegExp][] = [
    ['missing backend domain', { ...baseInput(), backendDomain: undefined }, 'backendDomain', /received nothing \(the field is missing\)/],
    ['internationalized domain', baseInput({ backendDomain: 'bücher.example' }), 'backendDomain', /punycode.*received "bücher.example"/],
    ['single-label domain', baseInput({ federatorDomain: 'localhost' }), 'federatorDomain', /at least two labels \(e.g. example.com\); received "localhost"/],
    ['label with leading dash', baseInput({ federatorDomain: '-fed.example.com' }), 'federatorDomain', /invalid label "-fed"/],
    ['IP as domain', baseInput({ federatorDomain: '10.0.0.1' }), 'federatorDomain', /not an IP address/],
    ['IPv4 out of range', baseInput({ ingress: { ipv4: '256.1.1.1' } }), 'ingress.ipv4', /IPv4 address.*received "256.1.1.1"/],
    ['IPv6 malformed', baseInput({ ingress: { ipv4: '203.0.113.1', ipv6: '2001:db8::g' } }), 'ingress.ipv6', /IPv6 address.*received "2001:db8::g"/],
    [
      'zone id not hex',
      baseInput({ dns: { backendZoneId: 'zone', infrastructureZoneId: '0123456789abcdef0123456789abcdef' } }),
      'dns.backendZoneId',
      /32 lowercase hex.*received "zone"/,
    ],
    [
      'SRV weight 0',
      baseInput({ dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef', srv: { weight: 0 } } }),
      'dns.srv.weight',
      /between 1 and 65535.*ranks the record last.*received 0/,
    ],
    [
      'port 0',
      baseInput({ dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef', srv: { port: 0 } } }),
      'dns.srv.port',
      /between 1 and 65535.*received 0/,
    ],
    [
      'port 65536',
      baseInput({ dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef', srv: { port: 65536 } } }),
      'dns.srv.port',
      /received 65536/,
    ],
    [
      'TTL 30',
      baseInput({ dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef', ttl: 30 } }),
      'dns.ttl',
      /1 \(automatic\) or between 60 and 86400.*received 30/,
    ],
    [
      'chart version range',
      baseInput({ charts: { wireServer: { version: '^5.32.0' }, nginxIngressServices: { version: '5.32.0' } } }),
      'charts.wireServer.version',
      /exact chart version.*received "\^5.32.0"/,
    ],
    [
      'unknown strategy',
      baseInput({ federation: { strategy: 'allowSome' as never } }),
      'federation.strategy',
      /allowNone, allowDynamic, allowAll; received "allowSome"/,
    ],
    ['two protocols', baseInput({ federation: { protocols: ['proteus', 'mls'] } }), 'federation.protocols', /at most one element/],
    ['verify depth 11', baseInput({ federation: { verifyDepth: 11 } }), 'federation.verifyDepth', /between 1 and 10.*received 11/],
    [
      'bad search policy',
      baseInput({ peers: [{ domain: 'a.example', searchPolicy: 'search' as never }] }),
      'peers[0].searchPolicy',
      /no_search, exact_handle_search, full_search; received "search"/,
    ],
    [
      'CA source with two keys',
      baseInput({ peers: [{ domain: 'a.example', caCertificates: [{ pem: 'x', file: 'y' }] }] }),
      'peers[0].caCertificates[0]',
      /one of \{file/,
    ],
    [
      'PEM garbage',
      baseInput({ peers: [{ domain: 'a.example', caCertificates: [{ pem: 'not a certificate' }] }] }),
      'peers[0].caCertificates[0].pem',
      /holds no "-----BEGIN CERTIFICATE-----" block/,
    ],
    [
      'missing CA file',
      baseInput({ peers: [{ domain: 'a.example', caCertificates: [{ file: 'nope/ca.pem' }] }] }),
      'peers[0].caCertificates[0].file',
      /not found; received "nope\/ca.pem"/,
    ],
    [
      'private key as CA',
      baseInput({ peers: [{ domain: 'a.example', caCertificates: [{ pem: '-----BEGIN PRIVATE KEY-----\nMC4=\n-----END PRIVATE KEY-----' }] }] }),
      'peers[0].caCertificates[0].pem',
      /PRIVATE KEY: give the peer's CA certificate only/,
    ],
    [
      'missing values file',
      baseInput({ charts: { wireServer: { version: '5.32.0', valuesFiles: ['missing.yaml'] }, nginxIngressServices: { version: '5.32.0' } } }),
      'charts.wireServer.valuesFiles[0]',
      /values file not found; received "missing.yaml"/,
    ],
    [
      'unknown key (typo)',
      { ...baseInput(), backendDomian: 'x.example' },
      '',
      /^unknown setting "backendDomian": did you mean "backendDomain"\? It is set as well: remove one of the two \(check the spelling against docs\/reference\/config.md\); received "backendDomian" = "x.example"$/,
    ],
    ['unknown backend type', baseInput({ backend: { type: 'ftp' } as never }), 'backend.type', /local, s3, gcs, cloud/],
    ['s3 backend without bucket', baseInput({ backend: { type: 's3', key: 'k', region: 'eu-west-1' } as never }), 'backend.bucket', /received nothing/],
    ['not an object', 'hello', '', /^must be a map of settings; received "hello"/],
  ];

  test.each(cases)('rejects %s, naming the field and the value', (_name, input, path, message) => {
    const problems = problemsOf(input);
    const hit = problems.find((p) => p.path === path);
    expect(hit).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  test('DNS names are normalized at parse time: lowercase, one trailing dot removed (everywhere a domain is accepted)', () => {
    const config = parse(
      baseInput({
        backendDomain: 'EXAMPLE.COM.',
        federatorDomain: 'Federator.Wire.Example.ORG.',
        peers: [{ domain: 'Wire.ACME.test.', caCertificates: [{ pem: PEER_CA_PEM }] }],
        remotes: { removedPeers: ['Old.Example.NET.'] },
        pki: { mode: 'private-ca', extraSans: ['*.WIRE.example.org.'] },
      }),
    );
    expect(config.backendDomain).toBe('example.com');
    expect(config.federatorDomain).toBe('federator.wire.example.org');
    expect(config.peers.map((p) => p.domain)).toEqual(['wire.acme.test']);
    expect(config.remotes.removedPeers).toEqual(['old.example.net']);
    expect(config.pki.mode === 'private-ca' && config.pki.extraSans).toEqual(['*.wire.example.org']);
    const rfc2136 = parse(
      baseInput({ dns: { provider: 'rfc2136', server: 'NS1.Example.COM.', backendZone: 'Example.COM.', infrastructureZone: 'Wire.Example.ORG.' } as never }),
    );
    expect(rfc2136.dns).toMatchObject({ server: 'ns1.example.com', backendZone: 'example.com', infrastructureZone: 'wire.example.org' });
    // Two dots are not "one trailing dot": still an empty label.
    expect(problemsOf(baseInput({ backendDomain: 'example.com..' })).map((p) => p.path)).toEqual(['backendDomain']);
  });

  test('collects every problem at once', () => {
    const problems = problemsOf(baseInput({ backendDomain: 'X', ingress: { ipv4: 'x' }, federation: { verifyDepth: 0 } }));
    expect(problems.map((p) => p.path).sort()).toEqual(['backendDomain', 'federation.verifyDepth', 'ingress.ipv4']);
  });

  test('the error message lists problems one per line, without a stack in the text', () => {
    let error: unknown;
    try {
      parseFederationConfig(baseInput({ backendDomain: 'X' }), { source: 'env.yaml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FederationConfigError);
    expect((error as Error).message).toBe(
      'Invalid federation config in env.yaml (1 problem):\n  backendDomain: backend domain must have at least two labels (e.g. example.com); received "X"',
    );
  });
});

describe('problem messages stay one line and precise', () => {
  test('a newline in a received value cannot forge a line (or a stack trace)', () => {
    let error: unknown;
    try {
      parse(baseInput({ backendDomain: 'x\n    at evil (a.js:1:1)\n.com' }));
    } catch (e) {
      error = e;
    }
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(2);
    expect(message).not.toMatch(/\n\s+at /);
    expect(message).toContain('\\n    at evil');
  });

  test('an unknown key with a newline stays on one line', () => {
    const [problem] = problemsOf({ ...baseInput(), 'a\n  b: fake problem': 1 });
    expect(problem.message).not.toContain('\n');
  });

  test('non-finite numbers are shown as such', () => {
    const port = (p: number) =>
      problemsOf(
        baseInput({ dns: { backendZoneId: '0123456789abcdef0123456789abcdef', infrastructureZoneId: '0123456789abcdef0123456789abcdef', srv: { port: p } } }),
      );
    expect(port(Infinity)[0].message).toMatch(/received Infinity$/);
    expect(port(NaN)[0].message).toMatch(/received NaN$/);
  });

  test('a wrong type is one problem, not followed by checks that assume the type', () => {
    expect(problemsOf(baseInput({ federation: { protocols: 'mls' as never } }))).toEqual([
      { path: 'federation.protocols', message: 'must be a list; received "mls"' },
    ]);
  });

  test('a missing section says it is required', () => {
    expect(problemsOf({ ...baseInput(), ingress: undefined })).toEqual([
      { path: 'ingress', message: 'is required: a map of settings; received nothing (the field is missing)' },
    ]);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wfc-config-'));

  test('loads YAML with paths relative to the file', () => {
    writeFileSync(join(dir, 'ca.pem'), PEER_CA_PEM);
    const file = join(dir, 'env.yaml');
    writeFileSync(
      file,
      `environment: from-yaml
backendDomain: example.com
federatorDomain: federator.example.com
ingress: {ipv4: 203.0.113.5}
dns: {backendZoneId: 0123456789abcdef0123456789abcdef, infrastructureZoneId: 0123456789abcdef0123456789abcdef}
charts: {wireServer: {version: 5.32.0}, nginxIngressServices: {version: 5.32.0}}
peers:
  - domain: wire.acme.test
    caCertificates: [{file: ca.pem}]
`,
    );
    const c = loadConfigFile(file);
    expect(c.environment).toBe('from-yaml');
    expect(c.peers[0].caCertificates[0]).toMatchObject({ kind: 'pem', origin: 'ca.pem' });
  });

  test('reports a YAML syntax error as a config problem', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'environment: [unclosed\n');
    expect(() => loadConfigFile(file)).toThrow(/not valid YAML/);
  });

  test('reports invalid JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"environment": ');
    expect(() => loadConfigFile(file)).toThrow(/not valid JSON/);
  });
});

describe('did you mean (lib/config/suggest)', () => {
  test('keysAt without an input lists every variant of a union; with one, the variant it selects', () => {
    expect(keysAt(wireFederationConfigSchema, ['pki'])).toEqual(expect.arrayContaining(['keyFile', 'extraSans', 'certmasterEmail']));
    const selected = keysAt(wireFederationConfigSchema, ['pki'], { pki: { mode: 'private-ca' } });
    expect(selected).toContain('extraSans');
    expect(selected).not.toContain('keyFile');
    // An unknown mode selects nothing: every variant counts.
    expect(keysAt(wireFederationConfigSchema, ['pki'], { pki: { mode: 'nope' } })).toContain('keyFile');
  });

  test('adviseKey: a rename within the variant, or the variant a key belongs to', () => {
    expect(adviseKey(wireFederationConfigSchema, ['pki'], 'keyfile', { pki: { mode: 'provided' } })).toEqual({ kind: 'rename', key: 'keyFile' });
    expect(adviseKey(wireFederationConfigSchema, ['pki'], 'keyfile', { pki: { mode: 'private-ca' } })).toEqual({
      kind: 'other-variant',
      key: 'keyFile',
      variant: { path: ['pki', 'mode'], values: ['provided'] },
    });
  });

  test('short keys: at most one edit, always fewer edits than letters; a swap of neighbours is one edit', () => {
    expect([1, 2, 3, 4, 5, 11, 12].map(typoLimit)).toEqual([0, 1, 1, 1, 2, 2, 3]);
    expect(closestKey('sni', ['srv', 'ttl'])).toBeUndefined();
    expect(closestKey('tll', ['srv', 'ttl'])).toBe('ttl');
    expect(closestKey('mdoe', ['mode'])).toBe('mode');
    expect(closestKey('x', ['y'])).toBeUndefined();
    expect(closestKey('federatorDomian', ['federatorDomain', 'backendDomain'])).toBe('federatorDomain');
  });
});
