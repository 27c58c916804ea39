import { checkPairs } from '../../lib/checks/pairs';
import type { Finding } from '../../lib/checks/finding';
import type { WireFederationConfig, WireFederationInput } from '../../lib/config';
import { environments } from '../../stacks/environments';
import { PEER_CA_PEM, baseInput, parse } from '../support/config';

const STAGING_CA_FILE = 'stacks/environments/certs/staging/ca.pem';

type Peer = NonNullable<WireFederationInput['peers']>[number];

/** Environment `name` with backend domain `<name>.example.com`; `peers` and `overrides` on top. */
function env(name: string, peers: Peer[], overrides: Partial<WireFederationInput> = {}): WireFederationConfig {
  return parse(
    baseInput({
      environment: name,
      backendDomain: `${name}.example.com`,
      federatorDomain: `federator.${name}.example.com`,
      federation: { strategy: 'allowDynamic', useSystemCaStore: false },
      peers,
      ...overrides,
    }),
  );
}

/** Environment `b` with the provided certificate of staging (its SAN is the staging federator domain). */
function providedB(peers: Peer[]): WireFederationConfig {
  return env('b', peers, {
    federatorDomain: 'federator.staging.wire.example.com',
    pki: { mode: 'provided', certificateFile: 'stacks/environments/certs/staging/federator-chain.pem', caFile: STAGING_CA_FILE },
  });
}

const peerA = (extra: Partial<Peer> = {}): Peer => ({ domain: 'a.example.com', caCertificates: [{ environment: 'a' }], ...extra });
const peerB = (extra: Partial<Peer> = {}): Peer => ({ domain: 'b.example.com', caCertificates: [{ environment: 'b' }], ...extra });

/** Findings as `{level, rule, message}` matchers, for an exact comparison of the list. */
const finding = (level: Finding['level'], rule: string, message: RegExp) => ({
  level,
  rule,
  environment: expect.any(String),
  path: expect.any(String),
  message: expect.stringMatching(message),
});

describe('checkPairs', () => {
  test('compliant: the example environments of this repository (red and blue federate) have no finding', () => {
    const configs = environments.map(parse);
    expect(configs.map((c) => c.environment)).toEqual(expect.arrayContaining(['red', 'blue']));
    expect(checkPairs(configs)).toEqual([]);
  });

  test('compliant: environments that do not list each other are not a pair', () => {
    expect(checkPairs([env('a', []), env('b', []), env('c', [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }] }])])).toEqual([]);
  });

  test('noncompliant: one-sided (a lists b, b lists nobody with allowDynamic)', () => {
    expect(checkPairs([env('a', [peerB()]), env('b', [])])).toEqual([
      finding(
        'error',
        'pair-not-mutual',
        /^a \(a\.example\.com\) lists b \(b\.example\.com\) as a peer \(peers\[0\] in the config of environment a\), but b does not list a\.example\.com and its federation\.strategy is allowDynamic, so b refuses a\. To federate, add \{domain: 'a\.example\.com', caCertificates: \[\{environment: 'a'\}\]\} to peers in the config of environment b; otherwise remove peers\[0\] in the config of environment a\.$/,
      ),
    ]);
  });

  test('the order of the configs does not matter', () => {
    const configs = [env('a', [peerB({ searchPolicy: 'full_search' })]), env('b', [peerA()]), env('c', [peerA()]), env('d', [])];
    expect(checkPairs([...configs].reverse())).toEqual(checkPairs(configs));
    expect(checkPairs(configs).map((f) => f.rule)).toEqual(['pair-search-policy', 'pair-not-mutual']);
  });

  test("b on allowAll: no not-mutual error when b trusts a's CA through another peer entry", () => {
    const b = env('b', [{ domain: 'other.example.com', caCertificates: [{ environment: 'a' }] }], {
      federation: { strategy: 'allowAll', useSystemCaStore: false },
    });
    expect(checkPairs([env('a', [peerB()]), b])).toEqual([]);
  });

  test("noncompliant: b on allowAll without a CA of a refuses a's client certificate", () => {
    const b = env('b', [], { federation: { strategy: 'allowAll', useSystemCaStore: false } });
    expect(checkPairs([env('a', [peerB()]), b])).toEqual([
      finding(
        'error',
        'pair-untrusted-ca',
        /^a \(a\.example\.com\) lists b \(b\.example\.com\) as a peer \(peers\[0\] in the config of environment a\); b allows all backends \(federation\.strategy allowAll\) but does not list a\.example\.com and trusts no CA of a, so its ingress \(nginx-ingress-services secrets\.tlsClientCA.*\) refuses a's client certificate\. To federate, add \{domain: 'a\.example\.com', caCertificates: \[\{environment: 'a'\}\]\} to peers in the config of environment b\.$/,
      ),
    ]);
  });

  test('noncompliant: allowNone on one side', () => {
    const b = env('b', [peerA()], { federation: { strategy: 'allowNone', useSystemCaStore: false } });
    expect(checkPairs([env('a', [peerB()]), b])).toEqual([
      finding(
        'error',
        'pair-blocked',
        /^a \(a\.example\.com\) lists b \(b\.example\.com\) as a peer \(peers\[0\] in the config of environment a\), but b has federation\.strategy allowNone: federation is off there, so b refuses a\. Set federation\.strategy to allowDynamic in the config of environment b, or remove peers\[0\] in the config of environment a\.$/,
      ),
    ]);
  });

  test('noncompliant: allowNone on a side that does not list the other also asks to list it', () => {
    const b = env('b', [], { federation: { strategy: 'allowNone', useSystemCaStore: false } });
    expect(checkPairs([env('a', [peerB()]), b])).toEqual([
      finding(
        'error',
        'pair-blocked',
        /Set federation\.strategy to allowDynamic in the config of environment b and add \{domain: 'a\.example\.com', caCertificates: \[\{environment: 'a'\}\]\} to peers in the config of environment b, or remove peers\[0\] in the config of environment a\.$/,
      ),
    ]);
  });

  test('noncompliant: a lists b without a CA', () => {
    expect(checkPairs([env('a', [peerB({ caCertificates: [] })]), env('b', [peerA()])])).toEqual([
      finding(
        'error',
        'pair-untrusted-ca',
        /^a \(a\.example\.com\) lists b \(b\.example\.com\) as a peer \(peers\[0\] in the config of environment a\) but trusts no CA of b: peers\[0\]\.caCertificates is empty, and b generates its CA at apply time \(pki\.mode private-ca\), so only \{environment: 'b'\} names it\. Add \{environment: 'b'\} to peers\[0\]\.caCertificates in the config of environment a\.$/,
      ),
    ]);
  });

  test('noncompliant: a trusts another environment instead of b; the system CA store is named as no help', () => {
    const a = env('a', [peerB({ caCertificates: [{ environment: 'c' }] })], { federation: { strategy: 'allowDynamic', useSystemCaStore: true } });
    expect(checkPairs([a, env('b', [peerA()])])).toEqual([
      finding(
        'error',
        'pair-untrusted-ca',
        /trusts no CA of b: peers\[0\]\.caCertificates holds \{environment: 'c'\}, and b generates .* federation\.useSystemCaStore of a does not help: a private CA is not in the system CA store.* Add \{environment: 'b'\} to peers\[0\]\.caCertificates in the config of environment a\.$/,
      ),
    ]);
  });

  test("compliant: a trusts b's provided CA by PEM file", () => {
    const a = env('a', [peerB({ caCertificates: [{ file: STAGING_CA_FILE }] })]);
    expect(checkPairs([a, providedB([peerA()])])).toEqual([]);
  });

  test("compliant: a trusts b's provided CA by environment", () => {
    expect(checkPairs([env('a', [peerB()]), providedB([peerA()])])).toEqual([]);
  });

  test('compliant: a trusts a previous CA that b still publishes', () => {
    const b = env('b', [peerA()], { pki: { mode: 'private-ca', previousCaCertificates: [{ pem: PEER_CA_PEM }] } });
    expect(checkPairs([env('a', [peerB({ caCertificates: [{ pem: PEER_CA_PEM }] })]), b])).toEqual([]);
  });

  test("noncompliant: a trusts a PEM that is not b's provided CA, even with the system CA store", () => {
    const a = env('a', [peerB({ caCertificates: [{ pem: PEER_CA_PEM }] })], { federation: { strategy: 'allowDynamic', useSystemCaStore: true } });
    expect(checkPairs([a, providedB([peerA()])])).toEqual([
      finding(
        'error',
        'pair-untrusted-ca',
        /^a \(a\.example\.com\) lists b \(b\.example\.com\) as a peer \(peers\[0\] in the config of environment a\) but trusts no CA of b: peers\[0\]\.caCertificates holds a PEM \(inline, SHA-256 [0-9a-f]{16}…\), and b publishes the CA of pki\.caFile stacks\/environments\/certs\/staging\/ca\.pem \(SHA-256 [0-9a-f]{16}…\)\. federation\.useSystemCaStore of a does not help: .* Add \{environment: 'b'\} \(or \{file: …\} with the CA certificate of b's pki\.caFile stacks\/environments\/certs\/staging\/ca\.pem\) to peers\[0\]\.caCertificates in the config of environment a\.$/,
      ),
    ]);
  });

  test('different search policies: a warning only', () => {
    expect(checkPairs([env('a', [peerB({ searchPolicy: 'full_search' })]), env('b', [peerA({ searchPolicy: 'exact_handle_search' })])])).toEqual([
      finding(
        'warning',
        'pair-search-policy',
        /^a \(a\.example\.com\) lets users of b search with full_search \(peers\[0\]\.searchPolicy in the config of environment a\), but b \(b\.example\.com\) lets users of a search with exact_handle_search \(peers\[0\]\.searchPolicy in the config of environment b\)\. Set both to the same policy unless the difference is intended\.$/,
      ),
    ]);
  });

  test('findings are sorted by environment pair, then rule; files come from sourceOf', () => {
    const a = env('a', [peerB({ caCertificates: [] }), { domain: 'c.example.com', caCertificates: [{ environment: 'c' }] }]);
    const b = env('b', [], { federation: { strategy: 'allowNone', useSystemCaStore: false } });
    const c = env('c', [peerA({ searchPolicy: 'full_search' })]);
    const findings = checkPairs([c, b, a], { sourceOf: (x) => `envs/${x.environment}.yaml` });
    expect(findings.map((f) => [f.rule, f.level])).toEqual([
      ['pair-blocked', 'error'], // a–b
      ['pair-untrusted-ca', 'error'], // a–b
      ['pair-search-policy', 'warning'], // a–c
    ]);
    expect(findings[0].message).toContain('in envs/b.yaml');
  });

  test('each finding carries the environment and the path of the entry to fix as data (the ones its message names)', () => {
    const a = env(
      'a',
      [
        peerB({ caCertificates: [], searchPolicy: 'full_search' }),
        { domain: 'c.example.com', caCertificates: [{ environment: 'c' }], allowedTeams: ['0d8c2a3e-0000-4000-8000-000000000001'] },
      ],
      { remotes: { mode: 'api' } },
    );
    const b = env('b', [peerA({ searchPolicy: 'exact_handle_search' })]);
    const c = env('c', [], { federation: { strategy: 'allowNone', useSystemCaStore: false } });
    const findings = checkPairs([a, b, c]);
    expect(findings.map((f) => [f.rule, f.environment, f.path])).toEqual([
      ['pair-search-policy', 'a', 'peers[0].searchPolicy'],
      ['pair-untrusted-ca', 'a', 'peers[0]'],
      ['pair-blocked', 'a', 'peers[1]'],
      ['pair-teams-undeclared', 'c', 'teams'],
    ]);
    // The same environment and path the message names first (what the pipeline once parsed out of it).
    for (const f of findings.filter((x) => x.rule !== 'pair-teams-undeclared')) {
      expect(f.message.startsWith(`${f.environment} (`)).toBe(true);
      expect(f.message.match(/peers\[\d+\](?:\.searchPolicy)?/)?.[0]).toBe(f.path);
    }
  });
});
