import type { WireFederationInput } from '../../lib/config';
import { callingInput } from '../support/calling';
import { callingEndpoints, ownCoturnIssuerCommonName } from '../../lib/calling';
import { runConfigRules } from '../../lib/checks/pack';
import { PEER_CA_PEM, baseInput, parse, problemsOf } from '../support/config';

const rulesOf = (input: WireFederationInput) => runConfigRules({ config: parse(input) }).filter((f) => f.rule.startsWith('calling-'));

describe('calling config', () => {
  test('off by default: nothing required, nothing found', () => {
    const c = parse(baseInput());
    expect(c.calling).toEqual({ enabled: false, sftd: {} });
    expect(callingEndpoints(c)).toBeUndefined();
    expect(rulesOf(baseInput())).toEqual([]);
  });

  test('defaults: port 9191, DTLS on, TURN 3478, federation listener on the host IP, DNS records', () => {
    const c = parse(callingInput());
    expect(c.calling.coturn).toEqual({
      host: 'coturn.wire.example.org',
      publicIps: ['203.0.113.20'],
      federationPort: 9191,
      dtls: true,
      turnPort: 3478,
      federationListeningIp: '__COTURN_HOST_IP__',
      dnsRecords: true,
    });
    expect(c.charts.coturn?.releaseName).toBe('coturn');
    expect(c.charts.sftd?.releaseName).toBe('sftd');
    expect(rulesOf(callingInput())).toEqual([]);
  });

  test('the endpoints model: ours and each peer with known endpoints', () => {
    const c = parse(
      callingInput({
        peers: [
          ...callingInput().peers!,
          { domain: 'b.example.net', caCertificates: [{ pem: PEER_CA_PEM }] },
          { domain: 'c.example.net', caCertificates: [{ pem: PEER_CA_PEM }], calling: false },
        ],
      }),
    );
    expect(callingEndpoints(c)).toEqual({
      own: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'], port: 9191, dtls: true },
      peers: [
        {
          domain: 'wire.acme.test',
          host: 'coturn.wire.acme.test',
          publicIps: ['198.51.100.40'],
          port: 9191,
          dtls: true,
          issuerCommonName: 'wire.acme.test federation CA',
        },
      ],
      unknownPeers: ['b.example.net'],
    });
    expect(ownCoturnIssuerCommonName(c)).toBe('example.com federation CA');
  });

  test('enabled without coturn, or without the releases: errors that name the field', () => {
    expect(problemsOf(callingInput({ calling: { enabled: true } }))).toEqual([
      { path: 'calling.coturn', message: expect.stringMatching(/is required when calling.enabled is true/) },
    ]);
    const problems = problemsOf(callingInput({ charts: { wireServer: { version: '5.34.0' }, nginxIngressServices: { version: '5.34.0' } } }));
    expect(problems.map((p) => p.path)).toEqual(['charts.coturn', 'charts.sftd']);
    expect(problems[0].message).toMatch(/required with calling.enabled/);
  });

  test('a peer without endpoints: a warning that says what to ask for; calling: false silences it', () => {
    const input = callingInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }] }] });
    const [finding] = rulesOf(input);
    expect(finding).toMatchObject({ level: 'warning', rule: 'calling-peer-endpoints', path: 'peers[0].calling' });
    expect(finding.message).toMatch(
      /Ask wire\.acme\.test's operator for the host name of its coturn federation listener.*public IP addresses.*common name of the CA/,
    );
    expect(rulesOf(callingInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }], calling: false }] }))).toEqual([]);
  });

  test('DTLS must agree; DTLS off is a warning', () => {
    const peer = callingInput().peers![0];
    const mismatch = rulesOf(
      callingInput({ peers: [{ ...peer, calling: { coturnHost: 'coturn.wire.acme.test', publicIps: ['198.51.100.40'], dtls: false } }] }),
    );
    expect(mismatch.map((f) => [f.rule, f.level, f.path])).toEqual([['calling-dtls-mismatch', 'error', 'peers[0].calling.dtls']]);
    const off = rulesOf(
      callingInput({
        calling: {
          enabled: true,
          coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'], dtls: false },
          sftd: { publicIps: ['203.0.113.30'] },
        },
      }),
    );
    expect(off.map((f) => f.rule)).toEqual(['calling-dtls-mismatch', 'calling-dtls-off']);
  });

  test('private coturn addresses, a duplicate host, no SFT addresses: findings', () => {
    const found = rulesOf(
      callingInput({
        calling: { enabled: true, coturn: { host: 'coturn.wire.acme.test', publicIps: ['10.0.0.5'] } },
      }),
    );
    expect(found.map((f) => [f.rule, f.path])).toEqual([
      ['calling-sft-ips', 'calling.sftd.publicIps'],
      ['calling-address-not-public', 'calling.coturn.publicIps[0]'],
      ['calling-duplicate-host', 'peers[0].calling.coturnHost'],
    ]);
  });

  test('schema: bad addresses, an issuer CN with a comma, a coturn host that is the federator domain', () => {
    expect(problemsOf(callingInput({ calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: [] } } }))).toEqual([
      { path: 'calling.coturn.publicIps', message: expect.stringMatching(/at least one address/) },
    ]);
    expect(problemsOf(callingInput({ calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['300.1.1.1'] } } }))[0].path).toBe(
      'calling.coturn.publicIps[0]',
    );
    const peer = callingInput().peers![0];
    expect(
      problemsOf(
        callingInput({ peers: [{ ...peer, calling: { coturnHost: 'coturn.wire.acme.test', publicIps: ['198.51.100.40'], issuerCommonName: 'CA, Inc' } }] }),
      )[0].message,
    ).toMatch(/must not contain ","/);
    expect(problemsOf(callingInput({ calling: { enabled: true, coturn: { host: 'federator.wire.example.org', publicIps: ['203.0.113.20'] } } }))).toEqual([
      { path: 'calling.coturn.host', message: expect.stringMatching(/is the federator domain.*coturn\.wire\.example\.org/) },
    ]);
  });

  test('pki.mode provided needs a brought coturn certificate; the other modes refuse one', () => {
    expect(
      problemsOf(
        callingInput({
          calling: { enabled: true, coturn: { host: 'coturn.wire.example.org', publicIps: ['203.0.113.20'], certificate: { certificateFile: 'x.pem' } } },
        }),
      ),
    ).toEqual([{ path: 'calling.coturn.certificate', message: expect.stringMatching(/pki.mode provided only/) }]);
  });

  test('RFC 2136 / Azure: the coturn host must be inside the zone that gets the records', () => {
    const dns = { provider: 'rfc2136' as const, server: 'ns1.example.org', backendZone: 'example.com', infrastructureZone: 'wire.example.org' };
    expect(problemsOf(callingInput({ dns, calling: { enabled: true, coturn: { host: 'coturn.other.example', publicIps: ['203.0.113.20'] } } }))).toEqual([
      { path: 'calling.coturn.host', message: expect.stringMatching(/not inside the DNS zone wire\.example\.org/) },
    ]);
    expect(
      problemsOf(callingInput({ dns, calling: { enabled: true, coturn: { host: 'coturn.other.example', publicIps: ['203.0.113.20'], dnsRecords: false } } })),
    ).toEqual([]);
  });
});
