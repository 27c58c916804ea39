import { checkPairs } from '../../lib/checks/pairs';
import type { WireFederationInput } from '../../lib/config';
import { blue } from '../../stacks/environments/blue';
import { red } from '../../stacks/environments/red';
import { parse } from '../support/config';

type Peer = NonNullable<WireFederationInput['peers']>[number];

/** red and blue as the repository has them, with red's peer entry for blue and blue's calling changed. */
function pair(redPeer: Partial<Peer> = {}, blueCalling?: WireFederationInput['calling'], bluePeer: Partial<Peer> = {}) {
  const r = { ...red, peers: [{ ...red.peers![0], ...redPeer }] };
  const b = { ...blue, ...(blueCalling !== undefined ? { calling: blueCalling } : {}), peers: [{ ...blue.peers![0], ...bluePeer }] };
  return checkPairs([parse(r), parse(b)]).filter((f) => f.rule.startsWith('pair-calling'));
}
const blueEndpoints = red.peers![0].calling as Exclude<Peer['calling'], false | undefined>;

describe('check-pairs covers calling', () => {
  test('compliant: red and blue agree on coturn hosts, IPs, DTLS and issuers', () => {
    expect(pair()).toEqual([]);
  });

  test('noncompliant 1: red lists another host and IP for blue than blue has', () => {
    const f = pair({ calling: { ...blueEndpoints, coturnHost: 'turn.blue.wire.example.dev', publicIps: ['198.51.100.99'] } });
    expect(f).toEqual([expect.objectContaining({ level: 'error', rule: 'pair-calling-endpoints', environment: 'red', path: 'peers[0].calling' })]);
    expect(f[0].message).toMatch(
      /coturnHost is turn\.blue\.wire\.example\.dev, blue's coturn host is coturn\.blue\.wire\.example\.dev; publicIps are \[198\.51\.100\.99\], blue's coturn public IPs are \[198\.51\.100\.22\]/,
    );
    expect(f[0].message).toContain("Set peers[0].calling to {coturnHost: 'coturn.blue.wire.example.dev', publicIps: ['198.51.100.22']");
  });

  test("noncompliant 2: red whitelists blue's coturn with another issuer CN", () => {
    const f = pair({ calling: { ...blueEndpoints, issuerCommonName: 'Some Other CA' } });
    expect(f).toEqual([expect.objectContaining({ rule: 'pair-calling-issuer', path: 'peers[0].calling.issuerCommonName' })]);
    expect(f[0].message).toContain('"blue.wire.example.dev federation CA"');
  });

  test('noncompliant 3: blue does not federate calls while red lists its endpoints', () => {
    const f = pair({}, { enabled: false });
    expect(f).toEqual([expect.objectContaining({ rule: 'pair-calling-off', environment: 'red' })]);
  });

  test('noncompliant 4: blue says calling: false for red: its coturn does not whitelist red', () => {
    const f = pair({}, undefined, { calling: false });
    expect(f).toEqual([expect.objectContaining({ rule: 'pair-calling-off', environment: 'blue', path: 'peers[0].calling' })]);
    expect(f[0].message).toContain(
      "{coturnHost: 'coturn.red.wire.example.dev', publicIps: ['198.51.100.21'], issuerCommonName: 'red.wire.example.dev federation CA'}",
    );
  });

  test('noncompliant 5: DTLS on one side only', () => {
    const f = pair({ calling: { ...blueEndpoints, dtls: false } });
    expect(f.map((x) => x.rule)).toEqual(['pair-calling-endpoints']);
    expect(f[0].message).toContain("dtls is false, blue's is true");
  });
});
