import { desiredRemotes, restrictionOf } from '../../lib/remotes/desired-remotes';
import { PEER_CA_PEM, baseInput, parse } from '../support/config';

const T1 = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const T2 = '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b';
const ca = [{ pem: PEER_CA_PEM }];

describe('desiredRemotes', () => {
  it('maps peers to brig remote configs, sorted by domain', () => {
    const config = parse(
      baseInput({
        remotes: { mode: 'api' },
        peers: [
          { domain: 'wire.zeta.test', caCertificates: ca, searchPolicy: 'full_search' },
          { domain: 'wire.acme.test', caCertificates: ca, allowedTeams: [T2, T1] },
        ],
      }),
    );
    expect(desiredRemotes(config)).toEqual([
      { domain: 'wire.acme.test', search_policy: 'no_search', restriction: { tag: 'restrict_by_team', value: [T1, T2] } },
      { domain: 'wire.zeta.test', search_policy: 'full_search', restriction: { tag: 'allow_all', value: null } },
    ]);
  });

  it('gives no remotes without peers', () => {
    expect(desiredRemotes(parse(baseInput({ peers: [] })))).toEqual([]);
  });

  it('lowercases, deduplicates and sorts team ids', () => {
    expect(restrictionOf([T2.toUpperCase(), T1, T2])).toEqual({ tag: 'restrict_by_team', value: [T1, T2] });
    expect(restrictionOf(undefined)).toEqual({ tag: 'allow_all', value: null });
  });

  it('does not depend on the order of peers or team ids', () => {
    const a = { domain: 'a.example.net', searchPolicy: 'exact_handle_search' as const, caCertificates: [], allowedTeams: [T1, T2] };
    const b = { domain: 'b.example.net', searchPolicy: 'no_search' as const, caCertificates: [] };
    const one = desiredRemotes({ peers: [a, b] });
    const two = desiredRemotes({ peers: [b, { ...a, allowedTeams: [T2, T1] }] });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });

  it('rejects a domain listed twice, naming it', () => {
    const peer = { domain: 'a.example.net', searchPolicy: 'no_search' as const, caCertificates: [] };
    expect(() => desiredRemotes({ peers: [peer, { ...peer, searchPolicy: 'full_search' }] })).toThrow(/a\.example\.net is listed more than once/);
  });
});
