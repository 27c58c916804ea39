/**
 * One answer for every bad input: each broken config below (YAML files and TypeScript objects)
 * goes through `wire-federation validate` AND through synth's entry (`synthesizeSources`: the
 * validation pipeline, then the printer, then cdktf). Both must report the same findings (rule
 * id, level, environment and path), the expected ones among them with the received value in the
 * message, exit 1 on an error (0 with only warnings), print no stack frame, no `node:internal`,
 * no source, and leave no `cdktf.out/stacks` behind when they refuse.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../bin/cli';
import type { EnvironmentLock } from '../../lib/guard/environment-lock';
import { lockPath } from '../../lib/guard/lock-file';
import { environmentName } from '../../lib/validation/pipeline';
import { safetyNetFindings, synthesizeSources } from '../../stacks/app';
import { OPERATOR_VALUES, OTHER_CA_PEM, PEER_CA_PEM, REPO_ROOT, baseInput } from '../support/config';
import { filesUnder } from '../support/files';

type Level = 'error' | 'warning';
type Input = Record<string, any>;

interface Expected {
  readonly level: Level;
  readonly rule: string;
  /** `env:path` (path `''` for the whole config). */
  readonly at: string;
  /** Text the message must contain: the received value (or what names it). */
  readonly received: string;
}

interface BrokenCase {
  readonly name: string;
  readonly kind: 'yaml' | 'ts';
  /** The environments, checked together (YAML: exactly one). */
  readonly configs?: readonly Input[];
  /** Raw text of the YAML file instead of `configs` (syntax errors). */
  readonly yamlText?: string;
  /** Extra files beside the config: relative path → content (or `copy:<repo path>`). */
  readonly files?: Readonly<Record<string, string>>;
  /** A lock for the first environment (validate: `--lock`; synth: the locks directory). */
  readonly lock?: EnvironmentLock;
  /** Check against an (empty) locks directory. */
  readonly locksDir?: boolean;
  readonly expect: readonly Expected[];
}

const PEER_CA = 'peer-ca.pem';
const LEAF = 'copy:stacks/environments/certs/staging/federator-chain.pem';
const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n';

/** A valid config whose files live beside it (the peer CA as a file). */
function base(overrides: Input = {}): Input {
  const input: Input = structuredClone(baseInput());
  input.peers = [{ domain: 'wire.acme.test', caCertificates: [{ file: PEER_CA }] }];
  // With an operator values file: a case sees only the findings under test.
  input.charts = { wireServer: { version: '5.32.0', valuesFiles: [OPERATOR_VALUES] }, nginxIngressServices: { version: '5.32.0' } };
  return { ...input, ...overrides };
}
const charts = (wireServer: Input = {}, nginx: Input = {}): Input => ({
  wireServer: { version: '5.32.0', ...wireServer },
  nginxIngressServices: { version: '5.32.0', ...nginx },
});
const pair = (name: string, domain: string, peers: Input[], more: Input = {}): Input =>
  base({ environment: name, backendDomain: domain, federatorDomain: `federator.${domain}`, peers, ...more });
const err = (rule: string, at: string, received: string): Expected => ({ level: 'error', rule, at, received });
const warn = (rule: string, at: string, received: string): Expected => ({ level: 'warning', rule, at, received });
const yamlCase = (name: string, config: Input, expect: Expected[], extra: Partial<BrokenCase> = {}): BrokenCase => ({
  name,
  kind: 'yaml',
  configs: [config],
  expect,
  ...extra,
});
const tsCase = (name: string, configs: Input | Input[], expect: Expected[], extra: Partial<BrokenCase> = {}): BrokenCase => ({
  name,
  kind: 'ts',
  configs: Array.isArray(configs) ? configs : [configs],
  expect,
  ...extra,
});
const valuesFile = (wireServer: string, nginx?: string): { charts: Input; files: Record<string, string> } => ({
  charts: charts({ valuesFiles: ['values/wire-server.yaml'] }, nginx === undefined ? {} : { valuesFiles: ['values/nginx.yaml'] }),
  files: { 'values/wire-server.yaml': wireServer, ...(nginx === undefined ? {} : { 'values/nginx.yaml': nginx }) },
});

const withoutFederatorDomain = (): Input => {
  const { federatorDomain, ...rest } = base();
  return { ...rest, federatorDomian: federatorDomain };
};

const CASES: BrokenCase[] = [
  // --- did you mean: one finding per typo ---------------------------------------------------
  yamlCase('a misspelled required key (federatorDomian)', withoutFederatorDomain(), [
    err('schema', 'test:', 'did you mean "federatorDomain" (required, and missing)?'),
  ]),
  tsCase('a misspelled required key in TypeScript (federatorDomian)', withoutFederatorDomain(), [
    err('schema', 'test:', 'did you mean "federatorDomain" (required, and missing)?'),
  ]),
  yamlCase(
    'a misspelled peer key (serchPolicy)',
    base({ peers: [{ domain: 'wire.acme.test', serchPolicy: 'full_search', caCertificates: [{ file: PEER_CA }] }] }),
    [err('schema', 'test:peers[0]', 'unknown setting "serchPolicy": did you mean "searchPolicy"?')],
  ),
  tsCase(
    'a misspelled peer key in TypeScript (serchPolicy)',
    base({ peers: [{ domain: 'wire.acme.test', serchPolicy: 'full_search', caCertificates: [{ file: PEER_CA }] }] }),
    [err('schema', 'test:peers[0]', 'unknown setting "serchPolicy": did you mean "searchPolicy"?')],
  ),
  // A discriminated union: the variant the input selects, not a key of another variant as a rename.
  yamlCase('a key of another pki mode (keyFile with private-ca)', base({ pki: { mode: 'private-ca', keyFile: 'key.pem' } }), [
    err(
      'schema',
      'test:pki',
      'unknown setting "keyFile": "keyFile" is a setting of pki.mode provided, not of pki.mode private-ca: remove it, or change pki.mode',
    ),
  ]),
  tsCase('a misspelled key of another pki mode (keyfile with private-ca)', base({ pki: { mode: 'private-ca', keyfile: 'key.pem' } }), [
    err('schema', 'test:pki', 'unknown setting "keyfile": did you mean "keyFile"? It is a setting of pki.mode provided, not of pki.mode private-ca'),
  ]),
  tsCase(
    'a key of other pki modes (caGenerations with provided)',
    base({ pki: { mode: 'provided', certificateFile: 'chain.pem', caFile: 'ca.pem', caGenerations: [1] } }),
    [err('schema', 'test:pki', '"caGenerations" is a setting of pki.mode private-ca or cert-manager, not of pki.mode provided')],
  ),
  yamlCase(
    'a misspelled key of the selected pki mode (keyfile with provided)',
    base({ pki: { mode: 'provided', certificateFile: 'chain.pem', caFile: 'ca.pem', keyfile: 'key.pem' } }),
    [err('schema', 'test:pki', 'unknown setting "keyfile": did you mean "keyFile"? Rename the key')],
  ),
  tsCase('a key of another DNS provider, provider left at its default (backendZone)', base({ dns: { ...baseInput().dns, backendZone: 'example.com' } }), [
    err('schema', 'test:dns', '"backendZone" is a setting of dns.provider google, azure or rfc2136; dns.provider is not set'),
  ]),
  yamlCase('a misspelled discriminator (pki.mdoe)', base({ pki: { mdoe: 'provided', certificateFile: 'chain.pem', caFile: 'ca.pem' } }), [
    err('schema', 'test:pki', 'unknown setting "mdoe": did you mean "mode" (required, and missing)? Rename the key'),
  ]),
  // Short keys: one edit at most.
  tsCase('a short misspelled key (dns.tll)', base({ dns: { ...baseInput().dns, tll: 600 } }), [
    err('schema', 'test:dns', 'unknown setting "tll": did you mean "ttl"?'),
  ]),
  yamlCase('a short unknown key two edits from another (dns.sni, not srv)', base({ dns: { ...baseInput().dns, sni: 'federator.example.com' } }), [
    err('schema', 'test:dns', 'unknown setting "sni": check the spelling against the configuration reference'),
  ]),
  // --- the cases of the issue -------------------------------------------------------------
  tsCase('peer equal to our own backend domain', base({ peers: [{ domain: 'example.com', caCertificates: [{ file: PEER_CA }] }] }), [
    err('peer-is-self', 'test:peers[0].domain', 'example.com'),
  ]),
  yamlCase(
    'peer equal to our own domain, in upper case with a trailing dot',
    base({ peers: [{ domain: 'EXAMPLE.COM.', caCertificates: [{ file: PEER_CA }] }] }),
    [err('peer-is-self', 'test:peers[0].domain', 'example.com')],
  ),
  yamlCase('peer equal to our federator domain', base({ peers: [{ domain: 'federator.wire.example.org' }] }), [
    err('peer-is-self', 'test:peers[0].domain', 'federator.wire.example.org'),
  ]),
  (() => {
    const v = valuesFile('brig:\n  secrets:\n    smtpPassword: hunter2\n');
    return yamlCase(
      'a secret inside a values file',
      base({ charts: v.charts }),
      [err('secret-in-values', 'test:charts.wireServer.valuesFiles[0]', 'values/wire-server.yaml')],
      { files: v.files },
    );
  })(),
  (() => {
    const v = valuesFile('{}\n', `secrets:\n  tlsWildcardKey: |\n${KEY_PEM.replace(/^/gm, '    ')}`);
    return tsCase(
      'a private key inside an nginx values file',
      base({ charts: v.charts }),
      [err('secret-in-values', 'test:charts.nginxIngressServices.valuesFiles[0]', 'a PEM private key')],
      { files: v.files },
    );
  })(),
  yamlCase('a peer listed twice, with and without a trailing dot', base({ peers: [{ domain: 'a.example.net' }, { domain: 'a.example.net.' }] }), [
    err('duplicate-peers', 'test:peers[1].domain', 'a.example.net'),
  ]),
  tsCase('a peer listed twice, differing only in case', base({ peers: [{ domain: 'a.example.net' }, { domain: 'A.Example.NET' }] }), [
    err('duplicate-peers', 'test:peers[1].domain', 'a.example.net'),
  ]),
  yamlCase(
    'a duplicate peer with remotes.mode api',
    base({ remotes: { mode: 'api' }, peers: [{ domain: 'a.example.net' }, { domain: 'b.example.net' }, { domain: 'a.example.net' }] }),
    [err('duplicate-peers', 'test:peers[2].domain', 'a.example.net')],
  ),
  (() => {
    const v = valuesFile('brig:\n  config:\n    enableFederation: false\n');
    return yamlCase(
      'a values file that sets a federation value to something else',
      base({ charts: v.charts }),
      [warn('values-conflict', 'test:charts.wireServer.valuesFiles[0]', 'brig.config.enableFederation to false')],
      { files: v.files },
    );
  })(),
  (() => {
    const v = valuesFile('brig:\n  config:\n    optSettings:\n      setFederationDomain: other.example\n');
    return tsCase(
      'a values file that sets the backend domain to another one',
      base({ charts: v.charts }),
      [warn('values-conflict', 'test:charts.wireServer.valuesFiles[0]', '"other.example"')],
      { files: v.files },
    );
  })(),
  tsCase(
    'a changed backend domain against the lock',
    base({ backendDomain: 'new.example.com' }),
    [err('locked-backend-domain', 'test:backendDomain', '"new.example.com"')],
    {
      lock: { environment: 'test', backendDomain: 'example.com', peers: ['wire.acme.test'] },
    },
  ),
  yamlCase(
    'a changed backend domain against the lock (YAML, --lock)',
    base({ backendDomain: 'new.example.com' }),
    [err('locked-backend-domain', 'test:backendDomain', '"new.example.com"')],
    {
      lock: { environment: 'test', backendDomain: 'example.com', peers: ['wire.acme.test'] },
    },
  ),
  yamlCase('a removed locked peer (remotes.mode api)', base({ remotes: { mode: 'api' } }), [err('locked-peer-removed', 'test:peers', 'gone.example.net')], {
    lock: { environment: 'test', backendDomain: 'example.com', peers: ['gone.example.net', 'wire.acme.test'] },
  }),
  tsCase('a peer the lock does not record', base(), [warn('lock-peers-unrecorded', 'test:peers', 'wire.acme.test')], {
    lock: { environment: 'test', backendDomain: 'example.com', peers: [] },
  }),
  tsCase('no lock file', base(), [warn('lock-missing', 'test:', 'environment test has no lock file')], { locksDir: true }),
  yamlCase('a wire-server release without any values file', base({ charts: charts() }), [
    warn('release-without-values', 'test:charts.wireServer.valuesFiles', 'It requires nginz.secrets, elasticsearch-index.elasticsearch.host'),
  ]),
  tsCase('neither greenfield nor an adoption record', base({ greenfield: undefined }), [
    warn('adoption-undecided', 'test:greenfield', 'If nothing runs yet, set greenfield: true'),
  ]),
  tsCase('greenfield and an adoption record', base({ adoptionFile: 'adopted.json' }), [err('greenfield-adopted', 'test:greenfield', 'received true')], {
    files: { 'adopted.json': JSON.stringify({ environment: 'test', backendDomain: 'example.com', releases: {}, dnsRecords: {} }) },
  }),
  ...[
    [
      'federator.config.optSettings.federationStrategy',
      'federator:\n  config:\n    optSettings:\n      federationStrategy:\n        allowAll: true\n',
      '{"allowAll":true}',
    ],
    ['setFederationDomainConfigsUpdateFreq', 'brig:\n  config:\n    optSettings:\n      setFederationDomainConfigsUpdateFreq: 10\n', 'received 10'],
    ['tags.federator', 'tags:\n  federator: true\n', 'received true'],
  ].map(([key, text, received]) => {
    const v = valuesFile(text);
    return yamlCase(
      `a values file with the removed chart key ${key}`,
      base({ charts: v.charts }),
      [warn('removed-chart-key', 'test:charts.wireServer.valuesFiles[0]', received)],
      { files: v.files },
    );
  }),
  tsCase(
    'a peer "CA" that is a leaf certificate',
    base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'leaf.pem' }] }] }),
    [err('peer-ca-not-ca', 'test:peers[0].caCertificates', 'leaf.pem')],
    { files: { 'leaf.pem': LEAF } },
  ),
  ...[
    ['private (10/8)', '10.1.2.3'],
    ['private (172.16/12)', '172.20.0.5'],
    ['private (192.168/16)', '192.168.1.10'],
    ['loopback', '127.0.0.1'],
    ['link-local', '169.254.10.1'],
    ['CGNAT', '100.64.1.1'],
  ].map(([what, ip]) => yamlCase(`a ${what} ingress address`, base({ ingress: { ipv4: ip } }), [warn('ingress-address-not-public', 'test:ingress.ipv4', ip)])),
  ...[
    ['unique local', 'fd00::10'],
    ['link-local', 'fe80::1'],
    ['loopback', '::1'],
  ].map(([what, ip]) =>
    tsCase(`a ${what} IPv6 ingress address`, base({ ingress: { ipv4: '203.0.113.10', ipv6: ip } }), [
      warn('ingress-address-not-public', 'test:ingress.ipv6', ip),
    ]),
  ),
  yamlCase(
    'a private key given as a peer CA file',
    base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'key.pem' }] }] }),
    [err('ca-certificate', 'test:peers[0].caCertificates[0].file', 'key.pem')],
    { files: { 'key.pem': KEY_PEM } },
  ),
  tsCase('a private key given inline as a peer CA', base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: KEY_PEM }] }] }), [
    err('ca-certificate', 'test:peers[0].caCertificates[0].pem', "the peer's CA certificate"),
  ]),
  yamlCase(
    'a private key given as our previous CA',
    base({ pki: { mode: 'private-ca', previousCaCertificates: [{ file: 'old-ca-key.pem' }] } }),
    [err('ca-certificate', 'test:pki.previousCaCertificates[0].file', 'our previous CA certificate')],
    { files: { 'old-ca-key.pem': KEY_PEM } },
  ),

  // --- files ------------------------------------------------------------------------------
  yamlCase('a missing peer CA file', base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'nope/ca.pem' }] }] }), [
    err('file-not-found', 'test:peers[0].caCertificates[0].file', '"nope/ca.pem"'),
  ]),
  tsCase('a missing values file', base({ charts: charts({ valuesFiles: ['values/missing.yaml'] }) }), [
    err('file-not-found', 'test:charts.wireServer.valuesFiles[0]', '"values/missing.yaml"'),
  ]),
  yamlCase(
    'a values file that is not YAML',
    base({ charts: charts({ valuesFiles: ['values/bad.yaml'] }) }),
    [err('values-file', 'test:charts.wireServer.valuesFiles[0]', 'values/bad.yaml')],
    { files: { 'values/bad.yaml': 'brig: [unclosed\n' } },
  ),
  tsCase(
    'a values file that holds a list',
    base({ charts: charts({}, { valuesFiles: ['values/list.yaml'] }) }),
    [err('values-file', 'test:charts.nginxIngressServices.valuesFiles[0]', 'values/list.yaml')],
    { files: { 'values/list.yaml': '- a\n- b\n' } },
  ),
  yamlCase(
    'a peer CA file that is not a certificate',
    base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: 'garbage.pem' }] }] }),
    [err('ca-certificate', 'test:peers[0].caCertificates[0].file', 'garbage.pem')],
    { files: { 'garbage.pem': 'hello\n' } },
  ),
  tsCase(
    'a provided certificate file that is missing',
    base({ pki: { mode: 'provided', certificateFile: 'missing-chain.pem', caFile: 'ca.pem' } }),
    [err('file-not-found', 'test:pki.certificateFile', '"missing-chain.pem"')],
    { files: { 'ca.pem': 'copy:stacks/environments/certs/staging/ca.pem' } },
  ),
  yamlCase(
    'a provided certificate for another federator domain',
    base({ pki: { mode: 'provided', certificateFile: 'chain.pem', caFile: 'ca.pem' } }),
    [err('provided-certificate', 'test:pki.certificateFile', 'chain.pem')],
    {
      files: { 'chain.pem': LEAF, 'ca.pem': 'copy:stacks/environments/certs/staging/ca.pem' },
    },
  ),
  { name: 'a YAML file that does not parse', kind: 'yaml', yamlText: 'environment: [unclosed\n', expect: [err('config-file', '#0:', 'not valid YAML')] },
  { name: 'a YAML file that is a list', kind: 'yaml', yamlText: '- environment: test\n', expect: [err('schema', '#0:', '[{"environment":"test"}]')] },

  // --- schema: types, ranges, names -------------------------------------------------------
  yamlCase('SRV weight 0', base({ dns: { ...baseInput().dns, srv: { weight: 0 } } }), [err('schema', 'test:dns.srv.weight', 'received 0')]),
  tsCase('SRV port 70000', base({ dns: { ...baseInput().dns, srv: { port: 70000 } } }), [err('schema', 'test:dns.srv.port', 'received 70000')]),
  yamlCase('TTL 30', base({ dns: { ...baseInput().dns, ttl: 30 } }), [err('schema', 'test:dns.ttl', 'received 30')]),
  yamlCase('a Route 53 hosted zone id that is not one', base({ dns: { provider: 'route53', backendZoneId: 'abc' } }), [
    err('schema', 'test:dns.backendZoneId', '"abc"'),
  ]),
  tsCase('an RFC 2136 server with a space', base({ dns: { provider: 'rfc2136', server: 'bad server', backendZone: 'example.com' } }), [
    err('schema', 'test:dns.server', '"bad server"'),
  ]),
  yamlCase('an unknown DNS provider', base({ dns: { provider: 'powerdns' } }), [err('schema', 'test:dns.provider', '"powerdns"')]),
  tsCase('a zone id that is not one', base({ dns: { backendZoneId: 'zone', infrastructureZoneId: 'fedcba9876543210fedcba9876543210' } }), [
    err('schema', 'test:dns.backendZoneId', '"zone"'),
  ]),
  yamlCase('an IPv4 address out of range', base({ ingress: { ipv4: '300.1.1.1' } }), [err('schema', 'test:ingress.ipv4', '"300.1.1.1"')]),
  tsCase('an IPv6 address with a zone id', base({ ingress: { ipv4: '203.0.113.10', ipv6: 'fe80::1%eth0' } }), [
    err('schema', 'test:ingress.ipv6', '"fe80::1%eth0"'),
  ]),
  yamlCase('an internationalized backend domain', base({ backendDomain: 'bücher.de' }), [err('schema', 'test:backendDomain', '"bücher.de"')]),
  tsCase('a backend domain with one label', base({ backendDomain: 'localhost' }), [err('schema', 'test:backendDomain', '"localhost"')]),
  yamlCase('a federator domain that is an IP address', base({ federatorDomain: '203.0.113.10' }), [err('schema', 'test:federatorDomain', '"203.0.113.10"')]),
  tsCase('a peer domain with an underscore', base({ peers: [{ domain: 'wire_acme.test' }] }), [err('schema', 'test:peers[0].domain', '"wire_acme.test"')]),
  yamlCase('a removed peer with two trailing dots', base({ remotes: { removedPeers: ['old.example.net..'] } }), [
    err('schema', 'test:remotes.removedPeers[0]', '"old.example.net.."'),
  ]),
  tsCase('an environment name with capitals', base({ environment: 'Staging' }), [err('schema', '#0:environment', '"Staging"')]),
  yamlCase('a misspelled top-level key', { ...base(), backendDomian: 'x.example' }, [err('schema', 'test:', '"backendDomian"')]),
  tsCase('a misspelled key in dns.srv', base({ dns: { ...baseInput().dns, srv: { wieght: 5 } } }), [err('schema', 'test:dns.srv', '"wieght"')]),
  yamlCase(
    'a missing ingress',
    (() => {
      const b = base();
      delete b.ingress;
      return b;
    })(),
    [err('schema', 'test:ingress', 'received nothing')],
  ),
  tsCase('a chart version range', base({ charts: charts({ version: '^5.32.0' }) }), [err('schema', 'test:charts.wireServer.version', '"^5.32.0"')]),
  yamlCase('a release name with capitals', base({ charts: charts({ releaseName: 'Wire' }) }), [err('schema', 'test:charts.wireServer.releaseName', '"Wire"')]),
  tsCase('a Kubernetes namespace with an underscore', base({ kubernetes: { namespace: 'wire_prod' } }), [
    err('schema', 'test:kubernetes.namespace', '"wire_prod"'),
  ]),
  yamlCase('an unknown federation strategy', base({ federation: { strategy: 'allowSome' } }), [err('schema', 'test:federation.strategy', '"allowSome"')]),
  tsCase('two federation protocols', base({ federation: { protocols: ['proteus', 'mls'] } }), [
    err('schema', 'test:federation.protocols', '["proteus","mls"]'),
  ]),
  yamlCase('verify depth 0', base({ federation: { verifyDepth: 0 } }), [err('schema', 'test:federation.verifyDepth', 'received 0')]),
  tsCase('useSystemCaStore as a string', base({ federation: { useSystemCaStore: 'yes' } }), [err('schema', 'test:federation.useSystemCaStore', '"yes"')]),
  yamlCase('an unknown search policy', base({ peers: [{ domain: 'wire.acme.test', searchPolicy: 'search' }] }), [
    err('schema', 'test:peers[0].searchPolicy', '"search"'),
  ]),
  tsCase('a CA source with two keys', base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ file: PEER_CA, pem: PEER_CA_PEM }] }] }), [
    err('schema', 'test:peers[0].caCertificates[0]', 'received'),
  ]),
  yamlCase('a team id that is not a UUID', base({ remotes: { mode: 'api' }, peers: [{ domain: 'wire.acme.test', restrictToTeams: ['team-1'] }] }), [
    err('schema', 'test:peers[0].restrictToTeams[0]', '"team-1"'),
  ]),
  tsCase(
    'team restriction without remotes.mode api',
    base({ peers: [{ domain: 'wire.acme.test', restrictToTeams: ['6f1c5c4e-3b4d-4d55-9b43-1f1e0b0c0d0e'] }] }),
    [err('restrict-needs-api', 'test:peers[0].restrictToTeams', 'remotes.mode api')],
  ),
  yamlCase('pki mode letsencrypt-only', base({ pki: { mode: 'letsencrypt-only' } }), [err('schema', 'test:pki.mode', 'letsencrypt-only')]),
  tsCase('a CA generation listed twice', base({ pki: { mode: 'private-ca', caGenerations: [1, 1] } }), [err('schema', 'test:pki.caGenerations', '[1,1]')]),
  yamlCase('a signing CA generation that does not exist', base({ pki: { mode: 'private-ca', caGenerations: [1], signingCaGeneration: 2 } }), [
    err('schema', 'test:pki.signingCaGeneration', 'received 2'),
  ]),
  tsCase(
    'cert-manager with an nginx-ingress-services chart too old',
    base({ pki: { mode: 'cert-manager', certmasterEmail: 'ops@example.com' }, charts: charts({}, { version: '5.25.0' }) }),
    [err('chart-version', 'test:charts.nginxIngressServices.version', '5.25.0')],
  ),
  yamlCase('a federated config on 5.26.x (a release to skip)', base({ charts: charts({ version: '5.26.0' }, { version: '5.26.0' }) }), [
    err('chart-known-bad', 'test:charts.wireServer.version', 'Pin 5.27.0'),
    err('chart-known-bad', 'test:charts.nginxIngressServices.version', 'Pin 5.27.0'),
  ]),
  tsCase('a broken release (5.29.x, 5.31.x)', base({ charts: charts({ version: '5.29.0' }, { version: '5.31.2' }) }), [
    err('chart-known-bad', 'test:charts.wireServer.version', 'Pin 5.30.0'),
    err('chart-known-bad', 'test:charts.nginxIngressServices.version', 'Pin 5.32.0'),
  ]),
  yamlCase('cert-manager without an email', base({ pki: { mode: 'cert-manager' } }), [err('schema', 'test:pki.certmasterEmail', 'received nothing')]),
  tsCase('an S3 state backend without a bucket', base({ backend: { type: 's3', key: 'k', region: 'eu-west-1' } }), [
    err('schema', 'test:backend.bucket', 'received nothing'),
  ]),
  yamlCase('a sensitive value that is not a dotted path', base({ charts: charts({ sensitiveValues: ['password'] }) }), [
    err('schema', 'test:charts.wireServer.sensitiveValues[0]', '"password"'),
  ]),

  // --- rules --------------------------------------------------------------------------------
  tsCase('a peer without a CA while the system CA store is off', base({ federation: { useSystemCaStore: false }, peers: [{ domain: 'wire.acme.test' }] }), [
    err('peer-without-ca', 'test:peers[0].caCertificates', 'wire.acme.test'),
  ]),
  yamlCase('a peer without a CA while the system CA store is on', base({ federation: { useSystemCaStore: true }, peers: [{ domain: 'wire.acme.test' }] }), [
    err('peer-without-ca', 'test:peers[0].caCertificates', 'wire.acme.test'),
  ]),
  yamlCase('allowDynamic without peers', base({ peers: [] }), [warn('allow-dynamic-without-peers', 'test:peers', 'received peers: []')]),

  // --- several environments -----------------------------------------------------------------
  tsCase(
    'a one-sided pair',
    [
      pair('a', 'a.example', [{ domain: 'b.example', caCertificates: [{ environment: 'b' }] }]),
      pair('b', 'b.example', [{ domain: 'c.example', caCertificates: [{ environment: 'a' }] }]),
    ],
    [err('pair-not-mutual', 'a:peers[0]', 'b does not list a.example')],
  ),
  tsCase(
    'a pair where one side has federation off',
    [
      pair('a', 'a.example', [{ domain: 'b.example', caCertificates: [{ environment: 'b' }] }]),
      pair('b', 'b.example', [], { federation: { strategy: 'allowNone' } }),
    ],
    [err('pair-blocked', 'a:peers[0]', 'allowNone')],
  ),
  tsCase(
    'a pair with different search policies',
    [
      pair('a', 'a.example', [{ domain: 'b.example', searchPolicy: 'full_search', caCertificates: [{ environment: 'b' }] }]),
      pair('b', 'b.example', [{ domain: 'a.example', searchPolicy: 'no_search', caCertificates: [{ environment: 'a' }] }]),
    ],
    [warn('pair-search-policy', 'a:peers[0].searchPolicy', 'full_search')],
  ),
  tsCase(
    'a pair where one side trusts no CA of the other',
    [
      pair('a', 'a.example', [{ domain: 'b.example', caCertificates: [{ pem: OTHER_CA_PEM }] }]),
      pair('b', 'b.example', [{ domain: 'a.example', caCertificates: [{ environment: 'a' }] }]),
    ],
    [err('pair-untrusted-ca', 'a:peers[0]', 'trusts no CA of b')],
  ),
  tsCase(
    'two environments with the same backend domain',
    [pair('a', 'same.example', []), pair('b', 'same.example', [])],
    [err('duplicate-backend-domain', 'b:backendDomain', '"same.example"')],
  ),
  tsCase(
    'two environments with the same name',
    [pair('a', 'a.example', []), pair('a', 'b.example', [])],
    [err('duplicate-environment', 'a:environment', '"a"')],
  ),
  tsCase('a peer CA from an environment that does not exist', base({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ environment: 'ghost' }] }] }), [
    err('unknown-environment-ca', 'test:peers[0].caCertificates[0].environment', '"ghost"'),
  ]),
];

// ---------------------------------------------------------------------------------------------

interface Seen {
  readonly level: Level;
  readonly rule: string;
  readonly at: string;
  readonly message: string;
}

interface Outcome {
  readonly validate: { code: number; findings: Seen[]; text: string };
  readonly synth: { code: number; findings: Seen[]; text: string; leftStacks: string[] };
}

const LINE = /^ {2}([✖⚠]) ([^:\s]+):(\S*?): (.*) \[([a-z0-9-]+)\]$/;

/** The findings synth printed (every line of its report must be a finding line or a heading). */
function parseReport(text: string): Seen[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => {
      const m = LINE.exec(l);
      if (!m) throw new Error(`not a finding line: ${JSON.stringify(l)}`);
      return { level: m[1] === '✖' ? 'error' : 'warning', rule: m[5], at: `${m[2]}:${m[3] === '(config)' ? '' : m[3]}`, message: m[4] };
    });
}

const key = (f: Pick<Seen, 'level' | 'rule' | 'at'>): string => `${f.level} ${f.rule} ${f.at}`;

let work: string;
const outcomes = new Map<string, Outcome>();

async function run(c: BrokenCase, index: number): Promise<Outcome> {
  const dir = join(work, `case-${index}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(REPO_ROOT, 'stacks/environments/peers/wire-acme-test-ca.pem'), join(dir, PEER_CA));
  for (const [file, content] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    if (content.startsWith('copy:')) copyFileSync(join(REPO_ROOT, content.slice(5)), join(dir, file));
    else writeFileSync(join(dir, file), content);
  }
  const locksDir = join(dir, 'locks');
  const first = c.configs?.[0] ?? {};
  const lockArgs: string[] = [];
  if (c.lock || c.locksDir) mkdirSync(locksDir, { recursive: true });
  if (c.lock) {
    writeFileSync(lockPath(locksDir, String(first.environment)), JSON.stringify(c.lock));
    lockArgs.push('--lock', relative(process.cwd(), lockPath(locksDir, String(first.environment))));
  }
  const outdir = join(dir, 'cdktf.out');

  let validateOut = '';
  let validateErr = '';
  const output = { writeOut: (t: string) => (validateOut += t), writeErr: (t: string) => (validateErr += t) };
  let validateCode: number;
  let synthText = '';
  let synthCode: number;
  if (c.kind === 'yaml') {
    const file = join(dir, 'env.yaml');
    writeFileSync(file, c.yamlText ?? stringify(first));
    validateCode = await runCli(['validate', file, '--json', ...lockArgs], output);
    // validate of a file reads its lock from locks/ beside it: synth gets the same directory.
    synthCode = synthesizeSources([{ file }], { outdir, locksDir, writeErr: (t) => (synthText += t) });
  } else {
    const configs = c.configs ?? [];
    const project = { environments: configs as never[], baseDir: dir, locksDir: c.lock || c.locksDir ? locksDir : undefined };
    const names = [...new Set(configs.map((x, i) => environmentName(x, i)))];
    const targets = names.filter((n) => !n.startsWith('#'));
    if (targets.length === 0) {
      // An environment without a usable name cannot be named on the command line: validate it as a file.
      const file = join(dir, 'env.json');
      writeFileSync(file, JSON.stringify(configs[0]));
      validateCode = await runCli(['validate', file, '--json'], output);
    } else {
      validateCode = await runCli(['validate', ...targets, '--json'], output, project);
    }
    synthCode = synthesizeSources(
      configs.map((input) => ({ input, baseDir: dir })),
      { outdir, locksDir: project.locksDir, writeErr: (t) => (synthText += t) },
    );
  }
  expect(validateErr).toBe('');
  const json = JSON.parse(validateOut) as {
    targets: Array<{ findings: Array<{ level: Level; rule: string; path: string; message: string; environment: string }> }>;
  };
  const validateFindings = json.targets.flatMap((t) =>
    t.findings.map((f) => ({ level: f.level, rule: f.rule, at: `${f.environment}:${f.path}`, message: f.message })),
  );
  const leftStacks = filesUnder(join(outdir, 'stacks'));
  rmSync(outdir, { recursive: true, force: true });
  return {
    validate: { code: validateCode, findings: validateFindings, text: validateOut },
    synth: { code: synthCode, findings: parseReport(synthText), text: synthText, leftStacks },
  };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wfc-broken-'));
  for (const [i, c] of CASES.entries()) outcomes.set(c.name, await run(c, i));
}, 120_000);
afterAll(() => {
  if (process.env.I9_DEBUG)
    require('fs').writeFileSync(
      '/tmp/i9-debug.txt',
      [...outcomes]
        .map(([n, o]) => `==== ${n}\n${o.validate.text}\n---- synth ${o.synth.code}\n${o.synth.text}\n${JSON.stringify(o.synth.leftStacks)}\n`)
        .join(''),
    );
  rmSync(work, { recursive: true, force: true });
});

/** What a user must never see for a config mistake. */
function expectClean(text: string): void {
  expect(text).not.toMatch(/^ {4}at /m);
  expect(text).not.toContain('node:internal');
  expect(text).not.toMatch(/node_modules|\.js:\d+|\.ts:\d+/);
  // Minified source: long lines of code.
  for (const line of text.split('\n')) expect(line.length).toBeLessThan(2000);
  expect(text).not.toMatch(/function\s*\(|=>\s*\{|\bvar \w+ ?=/);
}

describe('broken configs: validate and synth give the same answer', () => {
  test(`there are at least 60 distinct cases (${CASES.length}), YAML and TypeScript, names unique`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.filter((c) => c.kind === 'yaml').length).toBeGreaterThanOrEqual(20);
    expect(CASES.filter((c) => c.kind === 'ts').length).toBeGreaterThanOrEqual(20);
  });

  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = outcomes.get(c.name)!;
    const failing = c.expect.some((e) => e.level === 'error');
    // Exit codes: 1 with an error, 0 with warnings only.
    expect({ validate: o.validate.code, synth: o.synth.code }).toEqual({ validate: failing ? 1 : 0, synth: failing ? 1 : 0 });
    for (const e of c.expect) {
      // validate reports it with the received value in the message …
      const v = o.validate.findings.find((f) => key(f) === key(e));
      expect({ expected: key(e), found: v && key(v) }).toEqual({ expected: key(e), found: key(e) });
      expect(v!.message).toContain(e.received);
    }
    for (const e of c.expect) {
      // … and so does synth.
      const s = o.synth.findings.find((f) => key(f) === key(e));
      expect({ expected: key(e), found: s && key(s) }).toEqual({ expected: key(e), found: key(e) });
      expect(s!.message).toContain(e.received);
    }
    // The same findings from both: rule ids, levels, environments and paths.
    expect(o.synth.findings.map(key).sort()).toEqual(o.validate.findings.map(key).sort());
    expectClean(o.validate.text);
    expectClean(o.synth.text);
    if (failing) expect(o.synth.leftStacks).toEqual([]);
    else expect(o.synth.leftStacks.length).toBeGreaterThan(0);
  });

  test('a typo is ONE finding (no "is required" for the key it misspells), in validate and synth alike', () => {
    for (const name of [
      'a misspelled required key (federatorDomian)',
      'a misspelled required key in TypeScript (federatorDomian)',
      'a misspelled peer key (serchPolicy)',
    ]) {
      const o = outcomes.get(name)!;
      for (const findings of [o.validate.findings, o.synth.findings]) {
        expect(findings.filter((f) => f.level === 'error').map((f) => `${f.rule} ${f.at}`)).toEqual([
          name.includes('peer') ? 'schema test:peers[0]' : 'schema test:',
        ]);
      }
    }
  });

  test('a key of another variant and a misspelled discriminator are ONE finding each, with no rename to a key of another variant', () => {
    for (const name of [
      'a key of another pki mode (keyFile with private-ca)',
      'a misspelled key of another pki mode (keyfile with private-ca)',
      'a misspelled discriminator (pki.mdoe)',
    ]) {
      const o = outcomes.get(name)!;
      for (const findings of [o.validate.findings, o.synth.findings]) {
        expect(findings.filter((f) => f.level === 'error').map((f) => `${f.rule} ${f.at}`)).toEqual(['schema test:pki']);
        if (!name.includes('mdoe')) expect(findings.find((f) => f.at === 'test:pki')!.message).not.toContain('Rename the key');
      }
    }
  });

  test('the check compares: a finding only one side reports would fail it', () => {
    const o = outcomes.get('SRV weight 0')!;
    const missing = o.synth.findings.slice(1);
    expect(missing.map(key).sort()).not.toEqual(o.validate.findings.map(key).sort());
  });

  test('documentation ranges stay silent (the examples use them)', async () => {
    for (const ip of ['192.0.2.10', '198.51.100.7', '203.0.113.10']) {
      const dir = mkdtempSync(join(work, 'doc-'));
      copyFileSync(join(REPO_ROOT, 'stacks/environments/peers/wire-acme-test-ca.pem'), join(dir, PEER_CA));
      const file = join(dir, 'env.yaml');
      writeFileSync(file, stringify(base({ ingress: { ipv4: ip, ipv6: '2001:db8::10' } })));
      // Its lock where validate looks for it: locks/ beside the file.
      mkdirSync(join(dir, 'locks'));
      writeFileSync(join(dir, 'locks', 'test.json'), JSON.stringify({ environment: 'test', backendDomain: 'example.com', peers: ['wire.acme.test'] }));
      let out = '';
      const code = await runCli(['validate', file], { writeOut: (t) => (out += t), writeErr: (t) => (out += t) });
      expect({ code, out }).toEqual({ code: 0, out: `✔ ${file}: valid\n` });
    }
  });
});

describe('the safety net', () => {
  test('a rule that fails only at synth (an escape hatch after validation) is reported in the same format, and nothing is left', () => {
    const outdir = join(mkdtempSync(join(work, 'net-')), 'cdktf.out');
    let report = '';
    // A valid pair (no warnings either): the only finding comes from the safety net.
    const a = pair('a', 'a.example', [{ domain: 'b.example', caCertificates: [{ environment: 'b' }] }]);
    const b = pair('b', 'b.example', [{ domain: 'a.example', caCertificates: [{ environment: 'a' }] }]);
    const code = synthesizeSources(
      [
        { input: a, baseDir: REPO_ROOT },
        { input: b, baseDir: REPO_ROOT },
      ],
      {
        outdir,
        writeErr: (t) => (report += t),
        // The second stack: the first one is already written when its validation fails.
        beforeSynth: (stacks) => stacks[1].federation.dns.srvRecord.addOverride('proxied', true),
      },
    );
    expect(code).toBe(1);
    const findings = parseReport(report);
    expect(findings.map(key)).toEqual(['error proxied-federation-record b:b/Federation/Dns/Srv']);
    expect(report).toMatch(
      /^Invalid federation config in stacks\/environments \(1 error\):\n {2}✖ b:b\/Federation\/Dns\/Srv: SRV record .* is proxied; .* \[proxied-federation-record\]\n$/,
    );
    expectClean(report);
    expect(filesUnder(join(outdir, 'stacks'))).toEqual([]);
  });

  test('safetyNetFindings leaves other errors alone (they are bugs, not config mistakes)', () => {
    expect(safetyNetFindings(new Error('boom'))).toBeUndefined();
  });
});

test('no case leaves files in the repository', () => {
  expect(existsSync(join(REPO_ROOT, 'cdktf.out', 'stacks', 'test'))).toBe(false);
});
