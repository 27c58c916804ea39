/**
 * Property-based safety net for config validation: thousands of invalid configs, each a valid
 * base (baseInput(), sometimes every optional section filled in, 1-4 peers) with ONE mutation at
 * a known path. Every one must be refused with a problem at that path whose message names what is
 * allowed and shows what was received, without a stack trace; none may reach the synthesized
 * output. Runs are reproducible: fixed seed, fixed numRuns per property.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { runConfigRules } from '../../lib/checks/pack';
import { FederationConfigError, WIRE_CHART_REPOSITORY, domainProblem, stripTrailingDot } from '../../lib/config';
import { addEnvironments, synthesizeSources } from '../../stacks/app';
import { environmentName } from '../../lib/validation/pipeline';
import { OTHER_CA_PEM, PEER_CA_FILE, PEER_CA_PEM, REPO_ROOT, baseInput, parse } from '../support/config';
import { filesUnder } from '../support/files';
import { runTsx } from '../support/node-run';

const SEED = 0x5afe7;
/** A stack trace line inside a message (what a user must never see for a config mistake). */
const STACK_LINE = /\n\s+at /;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Input = Record<string, unknown>;

/** One invalid config and where it is wrong. */
interface InvalidCase {
  readonly category: string;
  readonly input: Input;
  /** The problem path the mutation must be reported at (the parent for unknown keys). */
  readonly path: string;
  /** What the message of that problem must say (what is allowed). */
  readonly allowed: RegExp;
  /** Literal texts the message must contain too (e.g. the unknown key, the punycode hint). */
  readonly mentions?: readonly string[];
}

/** A duplicate peer: valid for the schema, refused by the config rule `duplicate-peers`. */
interface DuplicateCase {
  readonly input: Input;
  readonly duplicateIndex: number;
  readonly firstIndex: number;
  readonly domain: string;
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

/** `a.b[2].c` → ['a', 'b', 2, 'c'] (the format of ConfigProblem.path). */
function segments(path: string): (string | number)[] {
  if (path === '') return [];
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Sections that must hold more than `{}` when a mutation has to create them. */
const SECTION_SEEDS: Record<string, () => Json> = {
  pki: () => ({ mode: 'private-ca' }),
  backend: () => ({ type: 'local' }),
};

/**
 * The container at `path`, created when missing: a valid seed for sections that need one, a list
 * when the next segment (`path[i + 1]`, or `leaf` after the last) is an index, else an object.
 */
function containerAt(input: Input, path: (string | number)[], leaf?: string | number): Record<string | number, unknown> {
  let cur: Record<string | number, unknown> = input;
  path.forEach((seg, i) => {
    if (cur[seg] === undefined || cur[seg] === null || typeof cur[seg] !== 'object') {
      const here = path
        .slice(0, i + 1)
        .map(String)
        .join('.');
      const next = i + 1 < path.length ? path[i + 1] : leaf;
      cur[seg] = SECTION_SEEDS[here]?.() ?? (typeof next === 'number' ? [] : {});
    }
    cur = cur[seg] as Record<string | number, unknown>;
  });
  return cur;
}

function setAt(input: Input, path: string, value: unknown): void {
  const segs = segments(path);
  const leaf = segs[segs.length - 1];
  containerAt(input, segs.slice(0, -1), leaf)[leaf] = value;
}

function removeAt(input: Input, path: string, how: 'delete' | 'undefined'): void {
  const segs = segments(path);
  const parent = containerAt(input, segs.slice(0, -1), segs[segs.length - 1]);
  if (how === 'delete') delete parent[segs[segs.length - 1]];
  else parent[segs[segs.length - 1]] = undefined;
}

function lengthAt(input: Input, path: string): number {
  const list = valueAt(input, path);
  return Array.isArray(list) ? list.length : 0;
}

const peerCount = (input: Input): number => (input.peers as unknown[]).length;

/** Resolves `{P}` (a peer index) and `{N}` (an index into the list, appending allowed) in a template. */
function resolvePath(template: string, input: Input, pick: number): string {
  let path = template.includes('{P}') ? template.replace('{P}', String(pick % peerCount(input))) : template;
  if (path.includes('{N}')) {
    const list = path.slice(0, path.indexOf('[{N}]'));
    path = path.replace('{N}', String(pick % (lengthAt(input, list) + 1)));
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Valid bases
// ---------------------------------------------------------------------------------------------

/** Every optional section filled in with valid values, so each field exists to be mutated. */
const RICH: Json = {
  ingress: { ipv4: '203.0.113.10', ipv6: '2001:db8::10' },
  dns: {
    backendZoneId: '0123456789abcdef0123456789abcdef',
    infrastructureZoneId: 'fedcba9876543210fedcba9876543210',
    ttl: 600,
    srv: { priority: 0, weight: 10, port: 443 },
  },
  kubernetes: { kubeconfigPath: '~/.kube/config', context: 'test', namespace: 'wire' },
  charts: {
    repository: WIRE_CHART_REPOSITORY,
    wireServer: { version: '5.32.0', releaseName: 'wire-server', valuesFiles: [], sensitiveValues: [] },
    nginxIngressServices: { version: '5.32.0', releaseName: 'nginx-ingress-services', valuesFiles: [], sensitiveValues: [] },
  },
  federation: { strategy: 'allowDynamic', protocols: ['proteus'], verifyDepth: 1, useSystemCaStore: true },
  remotes: { mode: 'config', image: 'node:20-alpine', brigUrl: 'http://brig:8080', removedPeers: ['old.example.net'] },
  pki: {
    mode: 'private-ca',
    caGenerations: [1],
    organization: 'Example Org',
    caValidityHours: 87600,
    certificateValidityHours: 8760,
    earlyRenewalHours: 720,
    extraSans: ['*.example.com'],
    previousCaCertificates: [],
  },
  backend: { type: 'local', path: 'terraform.test.tfstate' },
};

const searchPolicyArb = fc.constantFrom(undefined, 'no_search', 'exact_handle_search', 'full_search');
const caChoiceArb = fc.constantFrom('acme-pem', 'other-pem', 'acme-file', 'two', 'none');

function caSources(choice: string): Json[] {
  switch (choice) {
    case 'acme-pem':
      return [{ pem: PEER_CA_PEM }];
    case 'other-pem':
      return [{ pem: OTHER_CA_PEM }];
    case 'acme-file':
      return [{ file: PEER_CA_FILE }];
    case 'two':
      return [{ pem: OTHER_CA_PEM }, { file: PEER_CA_FILE }];
    default:
      return [];
  }
}

/** A valid config: baseInput(), maybe every optional section, plus 0-3 extra peers. */
const baseArb: fc.Arbitrary<Input> = fc
  .record({
    rich: fc.boolean(),
    extraPeers: fc.array(fc.record({ ca: caChoiceArb, searchPolicy: searchPolicyArb }), { maxLength: 3 }),
  })
  .map(({ rich, extraPeers }) => {
    const input = structuredClone(baseInput()) as Input;
    if (rich) Object.assign(input, structuredClone(RICH));
    const peers = input.peers as Json[];
    extraPeers.forEach((p, k) => {
      const peer: Record<string, Json> = { domain: `peer${k + 1}.example.net`, caCertificates: caSources(p.ca) };
      if (p.searchPolicy !== undefined) peer.searchPolicy = p.searchPolicy;
      peers.push(peer);
    });
    return input;
  });

/** A case built from a fresh copy of a base (fast-check may hand the same base out again). */
function mutation<T>(arb: fc.Arbitrary<T>, build: (input: Input, value: T) => InvalidCase): fc.Arbitrary<InvalidCase> {
  return fc.tuple(baseArb, arb).map(([base, value]) => build(structuredClone(base), value));
}

// ---------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------

const smallObjectArb = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()), {
  maxKeys: 3,
  noNullPrototype: true,
});

/** Values of every JSON type but `kind`. */
const wrongValue = {
  string: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), smallObjectArb, fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })),
  number: fc.oneof(
    fc.integer().map(String),
    fc.string({ maxLength: 10 }),
    fc.boolean(),
    fc.constant(null),
    smallObjectArb,
    fc.array(fc.integer(), { maxLength: 3 }),
  ),
  boolean: fc.oneof(
    fc.constantFrom('true', 'false', 'yes', 'no', 'on', ''),
    fc.integer(),
    fc.constant(null),
    smallObjectArb,
    fc.array(fc.boolean(), { maxLength: 2 }),
  ),
  object: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(smallObjectArb, { maxLength: 2 })),
  array: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), smallObjectArb),
} satisfies Record<string, fc.Arbitrary<unknown>>;

type Kind = keyof typeof wrongValue;

/** Fields by the JSON type they need and what their message says is allowed. */
const TYPED_FIELDS: ReadonlyArray<{ path: string; kind: Kind; allowed: RegExp; reportedAt?: string }> = [
  { path: 'environment', kind: 'string', allowed: /^must be a string: the environment name/ },
  { path: 'backendDomain', kind: 'string', allowed: /^must be a string: the backend domain/ },
  { path: 'federatorDomain', kind: 'string', allowed: /^must be a string: the federator domain/ },
  { path: 'ingress.ipv4', kind: 'string', allowed: /^must be an IPv4 address \(e\.g\. 203\.0\.113\.10\)/ },
  { path: 'ingress.ipv6', kind: 'string', allowed: /^must be an IPv6 address \(e\.g\. 2001:db8::10\)/ },
  { path: 'dns.backendZoneId', kind: 'string', allowed: /^must be a string: the Cloudflare zone id of the backend domain zone/ },
  { path: 'dns.infrastructureZoneId', kind: 'string', allowed: /^must be a string: the Cloudflare zone id of the infrastructure domain zone/ },
  { path: 'charts.repository', kind: 'string', allowed: /^must be the URL of a Helm repository/ },
  { path: 'charts.wireServer.version', kind: 'string', allowed: /^must be a string: the pinned version of the wire-server chart/ },
  { path: 'charts.nginxIngressServices.version', kind: 'string', allowed: /^must be a string: the pinned version of the nginx-ingress-services chart/ },
  { path: 'charts.wireServer.releaseName', kind: 'string', allowed: /(must be|is required:) a string/ },
  { path: 'kubernetes.kubeconfigPath', kind: 'string', allowed: /^must be a string: path of the kubeconfig/ },
  { path: 'kubernetes.context', kind: 'string', allowed: /^must be a string: kubeconfig context/ },
  { path: 'kubernetes.namespace', kind: 'string', allowed: /(must be|is required:) a string/ },
  { path: 'federation.strategy', kind: 'string', allowed: /^must be one of allowNone, allowDynamic, allowAll/ },
  { path: 'remotes.mode', kind: 'string', allowed: /^must be config or api/ },
  { path: 'remotes.image', kind: 'string', allowed: /^must be a string: container image of the remote sync Job/ },
  { path: 'remotes.brigUrl', kind: 'string', allowed: /^must be the URL of brig's internal API/ },
  { path: 'peers[{P}].domain', kind: 'string', allowed: /^must be a string: the peer backend domain/ },
  { path: 'peers[{P}].searchPolicy', kind: 'string', allowed: /^must be one of no_search, exact_handle_search, full_search/ },
  // A CA source is a union: a wrong `pem` makes the whole source wrong.
  {
    path: 'peers[{P}].caCertificates[0].pem',
    kind: 'string',
    allowed: /^must be one of \{file: <path>\}, \{pem: <PEM text>\} or \{environment: <name>\}/,
    reportedAt: 'peers[{P}].caCertificates[0]',
  },
  { path: 'pki.organization', kind: 'string', allowed: /^must be a string: certificate organization/ },
  { path: 'backend.path', kind: 'string', allowed: /^must be a string: state file path/ },
  { path: 'dns.ttl', kind: 'number', allowed: /^must be a number: TTL in seconds/ },
  { path: 'dns.srv.port', kind: 'number', allowed: /^must be a number: port of the federator ingress/ },
  { path: 'dns.srv.weight', kind: 'number', allowed: /^must be a number: SRV weight/ },
  { path: 'dns.srv.priority', kind: 'number', allowed: /^must be a number: SRV priority/ },
  { path: 'federation.verifyDepth', kind: 'number', allowed: /^must be a number: depth between a peer client certificate and its trusted CA/ },
  { path: 'pki.caValidityHours', kind: 'number', allowed: /^must be a number: CA validity in hours/ },
  { path: 'pki.certificateValidityHours', kind: 'number', allowed: /^must be a number: certificate validity in hours/ },
  { path: 'federation.useSystemCaStore', kind: 'boolean', allowed: /^must be true or false/ },
  { path: 'ingress', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'dns', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'dns.srv', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'kubernetes', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts.wireServer', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts.nginxIngressServices', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'federation', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'remotes', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'peers[{P}]', kind: 'object', allowed: /(must be|is required:) a map of settings/ },
  { path: 'pki', kind: 'object', allowed: /^mode must be one of private-ca, cert-manager, provided/ },
  { path: 'backend', kind: 'object', allowed: /^type must be one of local, s3, gcs, cloud/ },
  { path: 'peers', kind: 'array', allowed: /^must be a list of peers/ },
  { path: 'peers[{P}].caCertificates', kind: 'array', allowed: /^must be a list of CA sources/ },
  { path: 'peers[{P}].restrictToTeams', kind: 'array', allowed: /^must be a list of team ids/ },
  { path: 'peers[{P}].allowedTeams', kind: 'array', allowed: /^must be a list of team ids/ },
  { path: 'teams', kind: 'array', allowed: /^must be a list of \{name, id\}/ },
  { path: 'charts.wireServer.valuesFiles', kind: 'array', allowed: /^must be a list of paths/ },
  { path: 'charts.nginxIngressServices.sensitiveValues', kind: 'array', allowed: /^must be a list of Helm paths/ },
  { path: 'federation.protocols', kind: 'array', allowed: /(must be|is required:) a list/ },
  { path: 'remotes.removedPeers', kind: 'array', allowed: /^must be a list of domains/ },
  { path: 'pki.extraSans', kind: 'array', allowed: /^must be a list of DNS names/ },
  { path: 'pki.caGenerations', kind: 'array', allowed: /^must be a list of CA generation numbers/ },
];

const fieldsOf = (...kinds: Kind[]) => TYPED_FIELDS.filter((f) => kinds.includes(f.kind));

function wrongTypeArb(kinds: Kind[]): fc.Arbitrary<InvalidCase> {
  const fieldAndValue = fc.oneof(...fieldsOf(...kinds).map((field) => fc.tuple(fc.constant(field), wrongValue[field.kind], fc.nat())));
  return mutation(fieldAndValue, (input, [field, value, pick]) => {
    const path = resolvePath(field.path, input, pick);
    const reportedAt = resolvePath(field.reportedAt ?? field.path, input, pick);
    setAt(input, path, value);
    return { category: `wrong type (${field.kind})`, input, path: reportedAt, allowed: field.allowed };
  });
}

/** Required fields: leaving one out names it and says the field is missing. */
const REQUIRED_FIELDS: ReadonlyArray<{ path: string; allowed: RegExp }> = [
  { path: 'environment', allowed: /^must be a string: the environment name/ },
  { path: 'backendDomain', allowed: /^must be a string: the backend domain/ },
  { path: 'federatorDomain', allowed: /^must be a string: the federator domain/ },
  { path: 'ingress', allowed: /(must be|is required:) a map of settings/ },
  { path: 'ingress.ipv4', allowed: /^must be an IPv4 address/ },
  { path: 'dns', allowed: /(must be|is required:) a map of settings/ },
  { path: 'dns.backendZoneId', allowed: /^must be a string: the Cloudflare zone id of the backend domain zone/ },
  { path: 'dns.infrastructureZoneId', allowed: /^must be a string: the Cloudflare zone id of the infrastructure domain zone/ },
  { path: 'charts', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts.wireServer', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts.nginxIngressServices', allowed: /(must be|is required:) a map of settings/ },
  { path: 'charts.wireServer.version', allowed: /^must be a string: the pinned version of the wire-server chart/ },
  { path: 'charts.nginxIngressServices.version', allowed: /^must be a string: the pinned version of the nginx-ingress-services chart/ },
  { path: 'peers[{P}].domain', allowed: /^must be a string: the peer backend domain/ },
  { path: 'pki.mode', allowed: /^mode must be one of private-ca, cert-manager, provided/ },
  { path: 'backend.type', allowed: /^type must be one of local, s3, gcs, cloud/ },
];

const missingArb = mutation(
  fc.tuple(fc.constantFrom(...REQUIRED_FIELDS), fc.constantFrom('delete' as const, 'undefined' as const), fc.nat()),
  (input, [field, how, pick]) => {
    const path = resolvePath(field.path, input, pick);
    removeAt(input, path, how);
    return { category: 'missing', input, path, allowed: field.allowed, mentions: ['received nothing (the field is missing)'] };
  },
);

/** An S3 state backend without its bucket: a required field of one union member. */
const missingS3BucketArb = mutation(fc.constant(null), (input) => {
  input.backend = { type: 's3', key: 'wire/test.tfstate', region: 'eu-west-1' };
  return { category: 'missing', input, path: 'backend.bucket', allowed: /^must be a string: S3 bucket/, mentions: ['received nothing (the field is missing)'] };
});

// Domains ------------------------------------------------------------------------------------

const labelArb = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const tldArb = fc.stringMatching(/^[a-z]{2,6}$/);
/** A valid lowercase DNS name of 2-4 labels (the last one letters only, so never an IP). */
const validDomainArb = fc.tuple(fc.array(labelArb, { minLength: 1, maxLength: 3 }), tldArb).map(([labels, tld]) => [...labels, tld].join('.'));

/** Fields holding a DNS name, and how their messages name them. */
const DOMAIN_FIELDS: ReadonlyArray<{ path: string; name: string }> = [
  { path: 'backendDomain', name: 'backend domain' },
  { path: 'federatorDomain', name: 'federator domain' },
  { path: 'peers[{P}].domain', name: 'peer backend domain' },
  { path: 'remotes.removedPeers[{N}]', name: 'removed peer domain' },
  { path: 'pki.extraSans[{N}]', name: 'DNS name' },
];

const INVALID_LABEL = /has an invalid label ".*": labels are 1-63 characters of a-z, 0-9 and "-", not starting or ending with "-"/;

const insertAt = (s: string, at: number, what: string): string => {
  const i = at % (s.length + 1);
  return s.slice(0, i) + what + s.slice(i);
};
const mapLabel = (domain: string, at: number, f: (label: string) => string): string => {
  const labels = domain.split('.');
  const i = at % labels.length;
  labels[i] = f(labels[i]);
  return labels.join('.');
};

/** Malformed ASCII domains, each with the reason the validator must give. */
const malformedDomainArb: fc.Arbitrary<{ value: string; reason: RegExp; kind: string }> = fc.oneof(
  fc.constantFrom('', '.').map((value) => ({ value, reason: /must not be empty/, kind: 'empty' })),
  fc
    .tuple(validDomainArb, fc.nat(), fc.constantFrom(' ', '  ', '\t'))
    .map(([d, at, ws]) => ({ value: insertAt(d, at, ws), reason: INVALID_LABEL, kind: 'whitespace' })),
  fc
    .tuple(validDomainArb, fc.nat(), fc.constantFrom('_', '__'))
    .map(([d, at, u]) => ({ value: insertAt(d, at, u), reason: INVALID_LABEL, kind: 'underscore' })),
  fc
    .tuple(validDomainArb, fc.nat(), fc.constantFrom(...'!"#$%&\'()+,/:;<=>?@[\\]^`{|}~*'.split('')))
    .map(([d, at, c]) => ({ value: insertAt(d, at, c), reason: INVALID_LABEL, kind: 'bad character' })),
  fc.tuple(validDomainArb, fc.nat()).map(([d, at]) => ({ value: mapLabel(d, at, (l) => `-${l}`), reason: INVALID_LABEL, kind: 'leading dash' })),
  fc.tuple(validDomainArb, fc.nat()).map(([d, at]) => ({ value: mapLabel(d, at, (l) => `${l}-`), reason: INVALID_LABEL, kind: 'trailing dash' })),
  fc
    .tuple(validDomainArb, fc.nat(), fc.stringMatching(/^[a-z0-9]{64,120}$/))
    .map(([d, at, long]) => ({ value: mapLabel(d, at, () => long), reason: INVALID_LABEL, kind: 'label > 63' })),
  fc
    .tuple(fc.array(fc.stringMatching(/^[a-z][a-z0-9]{48,61}[a-z]$/), { minLength: 5, maxLength: 5 }), validDomainArb)
    .map(([labels, d]) => [...labels, d].join('.'))
    .filter((d) => d.length > 253)
    .map((value) => ({ value, reason: /must be at most 253 characters long/, kind: 'name > 253' })),
  fc.tuple(validDomainArb, fc.nat(), fc.constantFrom('..', '...')).map(([d, at, dots]) => {
    const positions = [...d].flatMap((c, i) => (c === '.' ? [i] : []));
    const i = positions[at % positions.length];
    return { value: d.slice(0, i) + dots + d.slice(i + 1), reason: INVALID_LABEL, kind: 'consecutive dots' };
  }),
  fc.tuple(validDomainArb, fc.constantFrom('.%s', '%s..')).map(([d, f]) => ({ value: f.replace('%s', d), reason: INVALID_LABEL, kind: 'empty edge label' })),
  // Upper case is not malformed: DNS names are normalized to lowercase (see the duplicate peers).
  fc.stringMatching(/^[a-z](?:[a-z0-9-]{0,20}[a-z0-9])?$/).map((value) => ({ value, reason: /must have at least two labels/, kind: 'single label' })),
  fc
    .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
    .map((o) => ({ value: o.join('.'), reason: /must be a domain name, not an IP address/, kind: 'IP address' })),
);

const malformedDomainCaseArb = mutation(fc.tuple(fc.constantFrom(...DOMAIN_FIELDS), malformedDomainArb, fc.nat()), (input, [field, bad, pick]) => {
  const path = resolvePath(field.path, input, pick);
  setAt(input, path, bad.value);
  return { category: `malformed domain (${bad.kind})`, input, path, allowed: new RegExp(`^${field.name} (${bad.reason.source})`) };
});

const peerEmptyDomainArb = mutation(fc.tuple(fc.constantFrom('', '.'), fc.nat()), (input, [value, pick]) => {
  const path = resolvePath('peers[{P}].domain', input, pick);
  setAt(input, path, value);
  return { category: 'peer with empty domain', input, path, allowed: /^peer backend domain must not be empty/ };
});

/** Non-ASCII letters from several scripts, lower and upper case. */
const nonAsciiArb = fc.oneof(
  fc.constantFrom('ü', 'ö', 'ä', 'é', 'ñ', 'ß', 'ç', 'ø', 'å', 'ł', 'Ü', 'É', 'Ö', 'ı', '。'),
  fc
    .integer({ min: 0xe0, max: 0xff })
    .filter((c) => c !== 0xf7)
    .map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x0410, max: 0x044f }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x03b1, max: 0x03c9 }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x0621, max: 0x064a }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
);

/** Internationalized names as people type them (not punycode). */
const idnArb = fc.oneof(
  fc
    .tuple(validDomainArb, fc.array(fc.tuple(fc.nat(), nonAsciiArb), { minLength: 1, maxLength: 3 }))
    .map(([d, inserts]) => inserts.reduce((s, [at, c]) => insertAt(s, at, c), d)),
  fc.tuple(validDomainArb, fc.nat(), fc.array(nonAsciiArb, { minLength: 1, maxLength: 8 })).map(([d, at, chars]) => mapLabel(d, at, () => chars.join(''))),
  fc.constantFrom('bücher.de', 'müller.example.com', 'пример.рф', '例え.テスト', 'δοκιμή.gr', 'wire.exämple.com', 'ÄRZTE.de'),
);

const idnCaseArb = mutation(fc.tuple(fc.constantFrom(...DOMAIN_FIELDS), idnArb, fc.nat()), (input, [field, value, pick]) => {
  const path = resolvePath(field.path, input, pick);
  setAt(input, path, value);
  return {
    category: 'internationalized domain',
    input,
    path,
    allowed: new RegExp(`^${field.name} must be ASCII`),
    mentions: ['punycode', 'xn--'],
  };
});

// IP addresses -------------------------------------------------------------------------------

const octetArb = fc.nat(255);
const ipv4Arb = fc.tuple(octetArb, octetArb, octetArb, octetArb).map((o) => o.join('.'));
const replaceOctet = (ip: string, at: number, value: string): string => {
  const o = ip.split('.');
  o[at % 4] = value;
  return o.join('.');
};

const badIpv4Arb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(ipv4Arb, fc.nat(), fc.integer({ min: 256, max: 99999 })).map(([ip, at, big]) => replaceOctet(ip, at, String(big))),
  fc.tuple(ipv4Arb, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([ip, at, n]) => replaceOctet(ip, at, `-${n}`)),
  fc.tuple(ipv4Arb, fc.nat()).map(([ip, at]) => replaceOctet(ip, at, '')),
  fc.tuple(ipv4Arb, fc.nat(), octetArb).map(([ip, at, n]) => replaceOctet(ip, at, `0${n}`)),
  fc.tuple(ipv4Arb, fc.nat(), fc.stringMatching(/^[a-z]{1,3}$/)).map(([ip, at, s]) => replaceOctet(ip, at, s)),
  fc.tuple(ipv4Arb, fc.nat(), octetArb).map(([ip, at, n]) => replaceOctet(ip, at, `0x${n.toString(16)}`)),
  ipv4Arb.map((ip) => ip.split('.').slice(0, 3).join('.')),
  fc.tuple(ipv4Arb, octetArb).map(([ip, n]) => `${ip}.${n}`),
  fc.tuple(ipv4Arb, fc.nat(32)).map(([ip, bits]) => `${ip}/${bits}`),
  fc.tuple(ipv4Arb, fc.constantFrom(' %s', '%s ', '\t%s', '%s\n', '%s.')).map(([ip, f]) => f.replace('%s', ip)),
  fc.constantFrom('', 'localhost', '2001:db8::10', '::ffff:203.0.113.10', '203.0.113', '1.2.3.4.5', '...'),
);

/** A valid IPv6 address: eight groups, or compressed with `::`. */
const groupArb = fc.stringMatching(/^[0-9a-f]{1,4}$/);
const ipv6Arb = fc.oneof(
  fc.array(groupArb, { minLength: 8, maxLength: 8 }).map((g) => g.join(':')),
  fc.tuple(fc.array(groupArb, { maxLength: 3 }), fc.array(groupArb, { maxLength: 3 })).map(([a, b]) => `${a.join(':')}::${b.join(':')}`),
);

const malformedIpv6Arb: fc.Arbitrary<string> = fc.oneof(
  fc.array(groupArb, { minLength: 9, maxLength: 10 }).map((g) => g.join(':')),
  fc.array(groupArb, { minLength: 2, maxLength: 7 }).map((g) => g.join(':')),
  fc.tuple(fc.array(groupArb, { minLength: 8, maxLength: 8 }), fc.nat(), fc.stringMatching(/^[0-9a-f]{5,6}$/)).map(([g, at, big]) => {
    g[at % 8] = big;
    return g.join(':');
  }),
  fc.tuple(ipv6Arb, fc.nat(), fc.constantFrom(...'ghijklmnopqrstuvwxyz'.split(''))).map(([ip, at, c]) => {
    const hex = [...ip].flatMap((ch, i) => (ch !== ':' ? [i] : []));
    const i = hex.length === 0 ? 0 : hex[at % hex.length];
    return hex.length === 0 ? `${c}::` : ip.slice(0, i) + c + ip.slice(i + 1);
  }),
  fc.tuple(groupArb, groupArb, groupArb).map(([a, b, c]) => `${a}::${b}::${c}`),
  fc.tuple(groupArb, groupArb).map(([a, b]) => `${a}:::${b}`),
  fc.array(groupArb, { minLength: 7, maxLength: 7 }).map((g) => `:${g.join(':')}`),
  fc.array(groupArb, { minLength: 7, maxLength: 7 }).map((g) => `${g.join(':')}:`),
  fc.tuple(ipv6Arb, fc.constantFrom('[%s]', '%s/64', ' %s', '%s ', '%s\n')).map(([ip, f]) => f.replace('%s', ip)),
  fc.tuple(fc.integer({ min: 256, max: 999 }), octetArb).map(([big, n]) => `::ffff:${n}.0.2.${big}`),
  ipv4Arb,
  fc.constantFrom('', ':', ':::', '1::2::3', 'localhost', '2001:db8::10::'),
);

const badIpv6Arb: fc.Arbitrary<{ value: string; zone?: true }> = fc.oneof(
  { arbitrary: malformedIpv6Arb.map((value) => ({ value })), weight: 12 },
  { arbitrary: ipv6Arb.map((ip) => ({ value: `${ip}%eth0`, zone: true as const })), weight: 1 },
);

const ipv4CaseArb = mutation(badIpv4Arb, (input, value) => {
  if (isIP(value) === 4) throw new Error(`generator bug: ${JSON.stringify(value)} is a valid IPv4 address`);
  setAt(input, 'ingress.ipv4', value);
  return { category: 'IPv4', input, path: 'ingress.ipv4', allowed: /^must be an IPv4 address \(e\.g\. 203\.0\.113\.10\)/ };
});

const ipv6CaseArb = mutation(badIpv6Arb, (input, { value, zone }) => {
  // Node accepts a zone id (fe80::1%eth0); an AAAA record cannot hold one, so the config must not.
  if (!zone && isIP(value) === 6) throw new Error(`generator bug: ${JSON.stringify(value)} is a valid IPv6 address`);
  setAt(input, 'ingress.ipv6', value);
  return { category: 'IPv6', input, path: 'ingress.ipv6', allowed: /^must be an IPv6 address \(e\.g\. 2001:db8::10\)/ };
});

// Numbers ------------------------------------------------------------------------------------

/** What an intIn(min, max) field says about `value`. */
function intReason(value: number, range: string, what: string): RegExp {
  const w = what.replace(/[()]/g, '\\$&');
  if (!Number.isFinite(value)) return new RegExp(`^must be a number: ${w}`);
  if (!Number.isInteger(value)) return new RegExp(`^must be a whole number: ${w}`);
  return new RegExp(`^must be between ${range}: ${w}`);
}

const nonIntegerArb = (min: number, max: number) => fc.double({ min, max, noNaN: true }).filter((x) => !Number.isInteger(x));

const numberCaseArb = mutation(
  fc.oneof(
    fc
      .oneof(
        fc.constantFrom(0, 65536),
        fc.integer({ min: 65536, max: 2 ** 31 }),
        fc.integer({ min: -(2 ** 31), max: -1 }),
        nonIntegerArb(-1e6, 1e6),
        fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      )
      .map((value) => ({ path: 'dns.srv.port', value, allowed: intReason(value, '1 and 65535', 'port of the federator ingress') })),
    fc
      .oneof(fc.constant(0), fc.integer({ min: -65535, max: -1 }), fc.integer({ min: 65536, max: 10 ** 6 }), nonIntegerArb(0, 65535))
      .map((value) => ({ path: 'dns.srv.weight', value, allowed: intReason(value, '1 and 65535', 'SRV weight (0 ranks the record last, RFC 2782)') })),
    fc
      .oneof(fc.integer({ min: -65535, max: -1 }), fc.integer({ min: 65536, max: 10 ** 6 }))
      .map((value) => ({ path: 'dns.srv.priority', value, allowed: intReason(value, '0 and 65535', 'SRV priority') })),
    fc
      .oneof(fc.constant(0), fc.integer({ min: 2, max: 59 }), fc.integer({ min: 86401, max: 10 ** 8 }), fc.integer({ min: -(10 ** 6), max: -1 }))
      .map((value) => ({ path: 'dns.ttl', value, allowed: /^must be 1 \(automatic\) or between 60 and 86400 seconds/ })),
    nonIntegerArb(60, 86400).map((value) => ({ path: 'dns.ttl', value, allowed: /^must be a whole number of seconds/ })),
  ),
  (input, { path, value, allowed }) => {
    setAt(input, path, value);
    return { category: 'number out of range', input, path, allowed };
  },
);

// PEM ----------------------------------------------------------------------------------------

const CERT_PROBLEM =
  /^must be a PEM CA certificate, but it (holds no "-----BEGIN CERTIFICATE-----" block|certificate block \d+ does not parse)|^must not be empty: PEM text of a CA certificate/;
const wrap64 = (b64: string): string => (b64.match(/.{1,64}/g) ?? []).join('\n');

/** A real PEM cut short: inside the header, or after the header with at least 8 base64 characters gone. */
const truncatedPemArb = fc
  .tuple(fc.constantFrom(PEER_CA_PEM, OTHER_CA_PEM), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.boolean())
  .map(([pem, r, inHeader, appendEnd]) => {
    const bodyStart = pem.indexOf('\n') + 1;
    const bodyEnd = pem.indexOf('-----END');
    const b64 = [...pem.slice(bodyStart, bodyEnd)].flatMap((c, i) => (/[A-Za-z0-9+/=]/.test(c) ? [bodyStart + i] : []));
    let cut: number;
    if (inHeader) cut = Math.floor(r * (bodyStart - 1));
    else {
      const keep = Math.floor(r * (b64.length - 8));
      cut = keep === 0 ? bodyStart : b64[keep - 1] + 1;
    }
    return pem.slice(0, cut) + (appendEnd ? '\n-----END CERTIFICATE-----\n' : '');
  });

const pemGarbageArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  truncatedPemArb,
  fc.base64String({ maxLength: 800 }).map((b64) => `-----BEGIN CERTIFICATE-----\n${wrap64(b64)}\n-----END CERTIFICATE-----\n`),
  fc
    .base64String({ minLength: 4, maxLength: 400 })
    .map((b64) => `${PEER_CA_PEM.trim()}\n-----BEGIN CERTIFICATE-----\n${wrap64(b64)}\n-----END CERTIFICATE-----\n`),
  fc
    .constantFrom('PUBLIC KEY', 'CERTIFICATE REQUEST', 'X509 CRL', 'TRUSTED CERTIFICATE')
    .map((label) => PEER_CA_PEM.replace(/CERTIFICATE-----/g, `${label}-----`)),
);

const pemCaseArb = mutation(fc.tuple(pemGarbageArb, fc.nat(), fc.nat()), (input, [pem, peerPick, caPick]) => {
  const list = resolvePath('peers[{P}].caCertificates', input, peerPick);
  const path = `${list}[${caPick % (lengthAt(input, list) + 1)}]`;
  setAt(input, path, { pem });
  return { category: 'PEM garbage', input, path: `${path}.pem`, allowed: CERT_PROBLEM };
});

// Unknown keys -------------------------------------------------------------------------------

const RELEASE_KEYS = ['version', 'releaseName', 'valuesFiles', 'sensitiveValues'];
/** Strict objects and their known keys. */
const STRICT_OBJECTS: ReadonlyArray<{ path: string; known: readonly string[]; seed?: () => Json }> = [
  {
    path: '',
    known: [
      'environment',
      'backendDomain',
      'federatorDomain',
      'ingress',
      'dns',
      'kubernetes',
      'charts',
      'federation',
      'teams',
      'peers',
      'remotes',
      'pki',
      'backend',
    ],
  },
  { path: 'ingress', known: ['ipv4', 'ipv6', 'chart', 'gateway', 'migration'] },
  { path: 'dns', known: ['backendZoneId', 'infrastructureZoneId', 'ttl', 'srv'] },
  { path: 'dns.srv', known: ['priority', 'weight', 'port'] },
  { path: 'kubernetes', known: ['kubeconfigPath', 'context', 'namespace'] },
  { path: 'charts', known: ['repository', 'wireServer', 'nginxIngressServices', 'wireIngress'] },
  { path: 'charts.wireServer', known: RELEASE_KEYS },
  { path: 'charts.nginxIngressServices', known: RELEASE_KEYS },
  { path: 'federation', known: ['strategy', 'protocols', 'verifyDepth', 'useSystemCaStore'] },
  { path: 'remotes', known: ['mode', 'image', 'brigUrl', 'removedPeers'] },
  { path: 'peers[{P}]', known: ['domain', 'searchPolicy', 'caCertificates', 'allowedTeams', 'restrictToTeams'] },
  // The other CA source keys are known too: {pem, file} is "not one of the sources", not an unknown key.
  { path: 'peers[{P}].caCertificates[0]', known: ['pem', 'file', 'environment'], seed: () => ({ pem: PEER_CA_PEM }) },
  {
    path: 'pki',
    known: [
      'mode',
      'caGenerations',
      'signingCaGeneration',
      'organization',
      'caValidityHours',
      'certificateValidityHours',
      'earlyRenewalHours',
      'extraSans',
      'previousCaCertificates',
    ],
  },
  { path: 'backend', known: ['type', 'path'] },
];

/** Typos of a known key (what people actually write). */
function typo(key: string, how: number): string {
  switch (how % 6) {
    case 0:
      return `${key}s`;
    case 1:
      return key[0].toUpperCase() + key.slice(1);
    case 2:
      return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    case 3:
      return key.length > 2 ? key.slice(0, -1) : `${key}x`;
    case 4:
      return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    default:
      return key.toLowerCase() === key ? `${key}_` : key.toLowerCase();
  }
}

const unknownKeyCaseArb = mutation(
  fc.constantFrom(...STRICT_OBJECTS).chain((object) =>
    fc.tuple(
      fc.constant(object),
      fc
        .oneof(
          fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,15}$/),
          fc.tuple(fc.constantFrom(...object.known), fc.nat()).map(([k, how]) => typo(k, how)),
        )
        .filter((key) => !object.known.includes(key) && key !== '__proto__'),
      fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null), smallObjectArb),
      fc.nat(),
    ),
  ),
  (input, [object, key, value, pick]) => {
    const path = resolvePath(object.path, input, pick);
    if (object.seed) setAt(input, path, object.seed());
    const target = path === '' ? input : containerAt(input, segments(path));
    target[key] = value;
    return { category: 'unknown key', input, path, allowed: /^unknown settings? .*check the spelling/, mentions: [JSON.stringify(key)] };
  },
);

// Duplicate peers (config rule) --------------------------------------------------------------

const duplicateCaseArb: fc.Arbitrary<DuplicateCase> = fc
  .tuple(baseArb, fc.nat(), fc.nat(), fc.constantFrom('copy', 'trailing dot', 'upper case and trailing dot', 'other settings'), searchPolicyArb)
  .map(([base, srcPick, insPick, variant, searchPolicy]) => {
    const input = structuredClone(base);
    const peers = input.peers as Array<Record<string, Json>>;
    const firstIndex = srcPick % peers.length;
    const domain = peers[firstIndex].domain as string;
    const duplicate: Record<string, Json> =
      variant === 'copy'
        ? structuredClone(peers[firstIndex])
        : variant === 'trailing dot'
          ? { ...structuredClone(peers[firstIndex]), domain: `${domain}.` }
          : variant === 'upper case and trailing dot'
            ? { ...structuredClone(peers[firstIndex]), domain: `${domain.toUpperCase()}.` }
            : { domain, caCertificates: [{ pem: OTHER_CA_PEM }], ...(searchPolicy ? { searchPolicy } : {}) };
    const duplicateIndex = firstIndex + 1 + (insPick % (peers.length - firstIndex));
    peers.splice(duplicateIndex, 0, duplicate);
    return { input, duplicateIndex, firstIndex, domain: stripTrailingDot(domain) };
  });

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

function valueAt(input: Input, path: string): unknown {
  let cur: unknown = input;
  for (const seg of segments(path)) cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
  return cur;
}

function describeCase(c: InvalidCase, problems?: readonly { path: string; message: string }[]): string {
  const value = JSON.stringify(valueAt(c.input, c.path)) ?? 'undefined';
  return `${c.category}: expected a problem at ${JSON.stringify(c.path)} (value ${value.length > 600 ? `${value.slice(0, 300)}...${value.slice(-300)}` : value}) matching ${c.allowed}${c.mentions ? ` mentioning ${JSON.stringify(c.mentions)}` : ''}; problems: ${JSON.stringify(problems)}`;
}

/** Asserts `c` is refused as described; throws (failing the property) otherwise. */
function expectRefused(c: InvalidCase): void {
  let error: unknown;
  try {
    parse(c.input);
  } catch (e) {
    error = e;
  }
  if (error === undefined) throw new Error(`${describeCase(c)}; but the config was accepted`);
  if (!(error instanceof FederationConfigError)) throw new Error(`${describeCase(c)}; but parse threw ${String(error)}`);
  const problems = error.problems;
  const hit = problems.find((p) => p.path === c.path && c.allowed.test(p.message) && (c.mentions ?? []).every((m) => p.message.includes(m)));
  if (!hit) throw new Error(describeCase(c, problems));
  for (const p of problems) {
    if (!/; received /.test(p.message)) throw new Error(`${c.category}: message does not show the value received: ${JSON.stringify(p)}`);
    if (p.message.includes('\n')) throw new Error(`${c.category}: message spans several lines: ${JSON.stringify(p)}`);
  }
  if (STACK_LINE.test(error.message)) throw new Error(`${c.category}: stack trace in the error message: ${error.message}`);
  if (!error.message.includes(`  ${c.path || '(config)'}: ${hit.message}`))
    throw new Error(`${c.category}: the error message does not list ${JSON.stringify(hit)}: ${error.message}`);
  // The same case through synth (the validation pipeline and synth's printer).
  const expectedLine = `  ✖ ${environmentName(c.input, 0)}:${c.path || '(config)'}: ${hit.message} [${(hit as { rule?: string }).rule ?? 'schema'}]`;
  expectSynthReports(c.input, c.category, (report) => report.split('\n').includes(expectedLine), expectedLine);
}

/** Where synth must write nothing for an invalid config. */
let neverOutdir = '';

/**
 * Runs synth's entry (`synthesizeSources`: pipeline, printer) on one input: it must exit 1, print
 * a report that `matches`, without a stack trace or source, and create nothing.
 */
function expectSynthReports(input: unknown, category: string, matches: (report: string) => boolean, expected: string): void {
  let report = '';
  const code = synthesizeSources([{ input, baseDir: REPO_ROOT }], { outdir: neverOutdir, writeErr: (t) => (report += t) });
  if (code !== 1) throw new Error(`${category}: synth exited ${code}, expected 1; report: ${report}`);
  if (!matches(report)) throw new Error(`${category}: synth's report lacks ${JSON.stringify(expected)}: ${report}`);
  if (/^\s+at /m.test(report) || report.includes('node:internal') || /\.[jt]s:\d+/.test(report))
    throw new Error(`${category}: stack trace or source in synth's report: ${report}`);
  if (!report.startsWith('Invalid federation config in stacks/environments (')) throw new Error(`${category}: unexpected report heading: ${report}`);
  // cdktf's App creates its (empty) outdir once a config parses; no file may be written.
  if (filesUnder(neverOutdir).length > 0) throw new Error(`${category}: synth wrote ${filesUnder(neverOutdir).join(', ')}`);
}

function expectDuplicateFound(c: DuplicateCase): void {
  const config = parse(c.input); // schema-valid: duplicates are a federation rule, not a schema error
  const findings = runConfigRules({ config }).filter((f) => f.level === 'error' && f.rule === 'duplicate-peers');
  const expected = `peers[${c.duplicateIndex}].domain: ${c.domain} is already listed at peers[${c.firstIndex}]`;
  if (!findings.some((f) => f.message.startsWith(expected)))
    throw new Error(`expected a duplicate-peers finding "${expected}…"; findings: ${JSON.stringify(findings)}`);
  if (findings.length !== 1) throw new Error(`expected one duplicate-peers finding; got ${JSON.stringify(findings)}`);
  for (const f of findings) if (STACK_LINE.test(f.message)) throw new Error(`stack trace in ${f.message}`);
  const line = `  ✖ ${environmentName(c.input, 0)}:peers[${c.duplicateIndex}].domain: ${c.domain} is already listed at peers[${c.firstIndex}]`;
  expectSynthReports(c.input, 'duplicate peers', (report) => report.split('\n').some((l) => l.startsWith(line) && l.endsWith('[duplicate-peers]')), line);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** Schema-level categories: every case must make parseFederationConfig throw. */
const PARSE_PROPERTIES: ReadonlyArray<{ name: string; arb: fc.Arbitrary<InvalidCase>; numRuns: number }> = [
  { name: 'wrong types where a string is expected', arb: wrongTypeArb(['string']), numRuns: 120 },
  { name: 'wrong types where a number or boolean is expected', arb: wrongTypeArb(['number', 'boolean']), numRuns: 80 },
  { name: 'wrong types where an object or list is expected', arb: wrongTypeArb(['object', 'array']), numRuns: 100 },
  { name: 'missing required fields', arb: fc.oneof({ arbitrary: missingArb, weight: 15 }, { arbitrary: missingS3BucketArb, weight: 1 }), numRuns: 100 },
  { name: 'malformed domains', arb: malformedDomainCaseArb, numRuns: 160 },
  { name: 'internationalized domains (punycode hint)', arb: idnCaseArb, numRuns: 80 },
  { name: 'malformed IPv4 addresses', arb: ipv4CaseArb, numRuns: 80 },
  { name: 'malformed IPv6 addresses', arb: ipv6CaseArb, numRuns: 80 },
  { name: 'ports, SRV weight/priority and TTL out of range', arb: numberCaseArb, numRuns: 100 },
  { name: 'peers with an empty domain', arb: peerEmptyDomainArb, numRuns: 30 },
  { name: 'PEM garbage as a peer CA', arb: pemCaseArb, numRuns: 100 },
  { name: 'unknown keys in strict objects', arb: unknownKeyCaseArb, numRuns: 120 },
];
const DUPLICATE_RUNS = 60;
const SAMPLE_SIZE = 20;
const PROPERTY_RUNS = PARSE_PROPERTIES.reduce((n, p) => n + p.numRuns, 0) + DUPLICATE_RUNS;

describe('invalid configs are refused with a precise problem', () => {
  let outdirParent: string;
  beforeAll(() => {
    outdirParent = mkdtempSync(join(tmpdir(), 'wfc-never-'));
    neverOutdir = join(outdirParent, 'cdktf.out');
  });
  afterAll(() => rmSync(outdirParent, { recursive: true, force: true }));

  test('the generated bases are valid, so each case has exactly the one mutation wrong', () => {
    fc.assert(
      fc.property(baseArb, (input) => {
        parse(input);
      }),
      { numRuns: 40, seed: SEED },
    );
    fc.assert(
      fc.property(validDomainArb, (d) => domainProblem(d) === undefined),
      { numRuns: 200, seed: SEED },
    );
  });

  test('the check itself fails on a mislabelled case (it can catch a wrong path or message)', () => {
    const input = structuredClone(baseInput()) as Input;
    setAt(input, 'ingress.ipv4', '300.1.1.1');
    expect(() => expectRefused({ category: 'control', input, path: 'ingress.ipv4', allowed: /IPv4/ })).not.toThrow();
    expect(() => expectRefused({ category: 'control', input, path: 'ingress.ipv6', allowed: /IPv4/ })).toThrow(/expected a problem at "ingress.ipv6"/);
    expect(() => expectRefused({ category: 'control', input, path: 'ingress.ipv4', allowed: /port/ })).toThrow(/expected a problem/);
    expect(() => expectRefused({ category: 'control', input: structuredClone(baseInput()), path: '', allowed: /./ })).toThrow(/was accepted/);
  });

  test.each(PARSE_PROPERTIES.map((p) => [p.name, p] as const))('%s', (_name, { arb, numRuns }) => {
    let ran = 0;
    fc.assert(
      fc.property(arb, (c) => {
        ran++;
        expectRefused(c);
      }),
      { numRuns, seed: SEED },
    );
    expect(ran).toBe(numRuns);
  });

  test('duplicate peers are found by the duplicate-peers rule, naming peers[i].domain', () => {
    let ran = 0;
    fc.assert(
      fc.property(duplicateCaseArb, (c) => {
        ran++;
        expectDuplicateFound(c);
      }),
      { numRuns: DUPLICATE_RUNS, seed: SEED },
    );
    expect(ran).toBe(DUPLICATE_RUNS);
  });

  test(`the properties generate ${PROPERTY_RUNS} invalid configs in all (at least 1000; each property checks it ran all of its own)`, () => {
    expect(PROPERTY_RUNS).toBeGreaterThanOrEqual(1000);
  });
});

describe('invalid configs never reach the synthesized output', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wfc-invalid-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test(`${SAMPLE_SIZE} sampled cases: addEnvironments refuses them and app.synth() is never reached`, () => {
    const samples = fc.sample(fc.oneof(...PARSE_PROPERTIES.map((p) => p.arb)), { numRuns: SAMPLE_SIZE, seed: SEED });
    expect(samples).toHaveLength(SAMPLE_SIZE);
    samples.forEach((c, i) => {
      const outdir = join(dir, `out-${i}`);
      let error: unknown;
      try {
        const app = new App({ outdir });
        addEnvironments(app, [c.input as never], REPO_ROOT);
        app.synth();
      } catch (e) {
        error = e;
      }
      if (!(error instanceof FederationConfigError))
        throw new Error(
          `sample ${i} (${c.category} at ${c.path}): expected a FederationConfigError, got ${String(error)}; ${describeCase(c)}; files: ${filesUnder(outdir).join(', ')}`,
        );
      const problems = error.problems;
      // addEnvironments prefixes every path with the environment name (or #index when that is not usable).
      const prefix = `${String(c.input.environment ?? '#0')}:`;
      expect(problems.every((p) => p.path.startsWith(prefix))).toBe(true);
      expect(problems.map((p) => p.path.slice(prefix.length))).toContain(c.path);
      expect(error.message).not.toMatch(STACK_LINE);
      // cdktf's App creates the (empty) outdir in its constructor; no file may be written.
      expect(filesUnder(outdir)).toEqual([]);
    });
  });

  test('the real app entry (main.ts) with one invalid environment: exit 1, problems on stderr, no stack trace, nothing synthesized', () => {
    const work = join(dir, 'main-run');
    const outdir = join(work, 'cdktf.out.invalid');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const broken = baseInput({ environment: 'broken', backendDomain: 'Broken Domain', ingress: { ipv4: '300.1.1.1' } });
    // The script lives outside the repository and imports the repository by absolute path. It adds
    // the invalid environment to the example environments and then runs main.ts itself.
    const script = join(work, 'run-main.ts');
    writeFileSync(
      script,
      [
        `import { environments } from ${JSON.stringify(join(REPO_ROOT, 'stacks', 'environments'))};`,
        `(environments as unknown[]).push(${JSON.stringify(broken)});`,
        `require(${JSON.stringify(join(REPO_ROOT, 'main.ts'))});`,
        '',
      ].join('\n'),
    );
    const run = runTsx(script, { cwd: work, env: { CDKTF_OUTDIR: outdir } });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Invalid federation config in stacks\/environments \(2 errors\):$/m);
    expect(run.stderr).toContain(
      '  ✖ broken:backendDomain: backend domain must have at least two labels (e.g. example.com); received "Broken Domain" [schema]',
    );
    expect(run.stderr).toContain('  ✖ broken:ingress.ipv4: must be an IPv4 address (e.g. 203.0.113.10); received "300.1.1.1" [schema]');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stderr).not.toMatch(/Error:|\.ts:\d+/);
    expect(run.stdout).toBe('');
    expect(filesUnder(outdir)).toEqual([]);
    expect(filesUnder(join(work, 'cdktf.out'))).toEqual([]);
    expect(filesUnder(work)).toEqual(['run-main.ts']);
  });
});

describe('an unparsable certificate block after a valid one', () => {
  const pem = `${PEER_CA_PEM.trim()}\n-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
  const input = baseInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem }] }] });
  const expected = /^peers\[0\]\.caCertificates\[0\]\.pem: must be a PEM CA certificate, but it certificate block 2 does not parse \(/;

  // Same check in this process (jest runs tests in a separate JavaScript realm) and in plain Node.
  test('is refused in process', () => {
    expect(() => parse(input)).toThrow(FederationConfigError);
    const problems = (() => {
      try {
        parse(input);
        return [];
      } catch (e) {
        return (e as FederationConfigError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    })();
    expect(problems).toEqual([expect.stringMatching(expected)]);
  });

  test('is refused by plain Node (the synth and CLI runtime)', () => {
    const work = mkdtempSync(join(tmpdir(), 'wfc-pem-'));
    try {
      const script = join(work, 'parse.ts');
      writeFileSync(
        script,
        [
          `import { parseFederationConfig } from ${JSON.stringify(join(REPO_ROOT, 'lib', 'config'))};`,
          'try {',
          `  parseFederationConfig(${JSON.stringify(input)}, { baseDir: ${JSON.stringify(REPO_ROOT)} });`,
          "  console.log('accepted');",
          '} catch (e) {',
          '  console.log(((e as { problems?: { path: string; message: string }[] }).problems ?? []).map((p) => `${p.path}: ${p.message}`).join("\\n"));',
          '}',
          '',
        ].join('\n'),
      );
      const run = runTsx(script, { cwd: work });
      expect(run.stderr).toBe('');
      expect(run.stdout.trim().split('\n')).toEqual([expect.stringMatching(expected)]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
