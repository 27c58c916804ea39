/**
 * Issue 16: `peers[].allowedTeams` names teams OF THE PEER whose users may find ours (brig's
 * restrict_by_team); `restrictToTeams` is its deprecated name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkPairs } from '../../lib/checks/pairs';
import type { WireFederationConfig, WireFederationInput } from '../../lib/config';
import { peerSchema, wireFederationConfigSchema } from '../../lib/config/schema';
import { desiredRemotes, describeRestriction } from '../../lib/remotes/desired-remotes';
import { syncScript } from '../../lib/remotes/sync-script';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { PEER_CA_PEM, REPO_ROOT, baseInput, parse, problemsOf, resourceAt, synthStack } from '../support/config';

const TEAM = '6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c';
const OTHER = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
type Peer = NonNullable<WireFederationInput['peers']>[number];

const withPeer = (peer: Partial<Peer>): WireFederationInput =>
  baseInput({ remotes: { mode: 'api' }, peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }], ...peer }] });

describe('allowedTeams and the deprecated restrictToTeams', () => {
  test('both keys give the same brig remote config and the same sync script', () => {
    const renamed = parse(withPeer({ allowedTeams: [TEAM] }));
    const deprecated = parse(withPeer({ restrictToTeams: [TEAM] }));
    expect(desiredRemotes(renamed)).toEqual([
      { domain: 'wire.acme.test', search_policy: 'no_search', restriction: { tag: 'restrict_by_team', value: [TEAM] } },
    ]);
    expect(desiredRemotes(deprecated)).toEqual(desiredRemotes(renamed));
    const script = (json: any) => resourceAt(json, 'kubernetes_config_map_v1', 'Federation/RemoteSync/Script').data['sync.js'];
    expect(script(synthStack(withPeer({ restrictToTeams: [TEAM] })))).toBe(script(synthStack(withPeer({ allowedTeams: [TEAM] }))));
    expect(syncScript(desiredRemotes(deprecated), { brigUrl: 'http://brig:8080' })).toBe(syncScript(desiredRemotes(renamed), { brigUrl: 'http://brig:8080' }));
  });

  test('the deprecated key is a warning finding of the pipeline, with a stable rule id, that explains the meaning', () => {
    const { findings, failed } = validateEnvironments([{ input: withPeer({ restrictToTeams: [TEAM] }), baseDir: REPO_ROOT }], { resourceRules: false });
    expect(failed).toBe(false);
    const deprecation = findings.filter((f) => f.rule === 'deprecated-restrict-to-teams');
    expect(deprecation).toEqual([expect.objectContaining({ level: 'warning', environment: 'test', path: 'peers[0].restrictToTeams' })]);
    expect(deprecation[0].message).toMatch(/rename it to allowedTeams/);
    expect(deprecation[0].message).toMatch(/changed in this project's docs, not in brig/);
    expect(deprecation[0].message).toMatch(/teams OF THE PEER whose users may find ours/);
    expect(deprecation[0].message).toContain(TEAM);
    // The renamed key alone: no such warning.
    const renamed = validateEnvironments([{ input: withPeer({ allowedTeams: [TEAM] }), baseDir: REPO_ROOT }], { resourceRules: false });
    expect(renamed.findings.filter((f) => f.rule === 'deprecated-restrict-to-teams')).toEqual([]);
  });

  test('both keys at once are an error naming the field', () => {
    expect(problemsOf(withPeer({ allowedTeams: [TEAM], restrictToTeams: [TEAM] }))).toEqual([
      { path: 'peers[0].restrictToTeams', message: expect.stringMatching(/^is the deprecated name of peers\[0\]\.allowedTeams, and both are set/) },
    ]);
  });

  test('team restrictions need remotes.mode api, under either name', () => {
    const configMode = (peer: Partial<Peer>) => baseInput({ peers: [{ domain: 'wire.acme.test', caCertificates: [{ pem: PEER_CA_PEM }], ...peer }] });
    expect(problemsOf(configMode({ allowedTeams: [TEAM] }))).toEqual([
      { path: 'peers[0].allowedTeams', message: expect.stringMatching(/^needs remotes.mode api/) },
    ]);
    expect(problemsOf(configMode({ restrictToTeams: [TEAM] }))).toEqual([
      { path: 'peers[0].restrictToTeams', message: expect.stringMatching(/^needs remotes.mode api/) },
    ]);
  });

  test('declared teams: each id and name once', () => {
    expect(
      problemsOf(
        baseInput({
          teams: [
            { name: 'ops', id: TEAM },
            { name: 'ops', id: TEAM.toUpperCase() },
          ],
        }),
      ).map((p) => p.path),
    ).toEqual(['teams[1].id', 'teams[1].name']);
  });

  test("the restriction in words names the peer's teams", () => {
    expect(describeRestriction('red.example', { tag: 'restrict_by_team', value: [TEAM, OTHER] })).toBe(
      `restrict_by_team: only users of teams [${OTHER}, ${TEAM}] of red.example may find ours`,
    );
    expect(describeRestriction('red.example', { tag: 'allow_all', value: null })).toMatch(/^allow_all: all users of red\.example may find ours/);
  });
});

describe('pair check: allowed teams are teams the peer environment declares', () => {
  /** Environment `name` (`<name>.example.com`) with `allowDynamic` and API-managed remotes. */
  const env = (name: string, peers: Peer[], overrides: Partial<WireFederationInput> = {}): WireFederationConfig =>
    parse(
      baseInput({
        environment: name,
        backendDomain: `${name}.example.com`,
        federatorDomain: `federator.${name}.example.com`,
        federation: { strategy: 'allowDynamic', useSystemCaStore: false },
        remotes: { mode: 'api' },
        peers,
        ...overrides,
      }),
    );
  const peer = (to: string, extra: Partial<Peer> = {}): Peer => ({ domain: `${to}.example.com`, caCertificates: [{ environment: to }], ...extra });
  const teamFindings = (configs: WireFederationConfig[]) => checkPairs(configs).filter((f) => f.rule.startsWith('pair-') && /team/.test(f.rule));

  test('a known team id of the peer: no finding', () => {
    const a = env('a', [peer('b', { allowedTeams: [TEAM.toUpperCase()] })]);
    const b = env('b', [peer('a')], { teams: [{ name: 'b-ops', id: TEAM }] });
    expect(teamFindings([a, b])).toEqual([]);
    expect(checkPairs([a, b])).toEqual([]);
  });

  test('an unknown team id is an error naming both environments (e.g. one of our own teams listed by mistake)', () => {
    const a = env('a', [peer('b', { allowedTeams: [TEAM, OTHER] })], { teams: [{ name: 'a-ops', id: OTHER }] });
    const b = env('b', [peer('a')], { teams: [{ name: 'b-ops', id: TEAM }] });
    const findings = teamFindings([a, b]);
    expect(findings).toEqual([expect.objectContaining({ level: 'error', rule: 'pair-unknown-team', environment: 'a', path: 'peers[0].allowedTeams[1]' })]);
    expect(findings[0].message).toMatch(/^a \(a\.example\.com\) allows team 1b4e28ba-2fa1-41d2-883f-0016d3cca427 of b /);
    expect(findings[0].message).toContain('but b declares no such team (its teams: b-ops ' + TEAM + ')');
    expect(findings[0].message).toContain("not a's own");
    // Through the pipeline (synth, validate): an error of environment a.
    const result = validateEnvironments(
      [
        {
          input: baseInput({
            environment: 'a',
            backendDomain: 'a.example.com',
            federatorDomain: 'federator.a.example.com',
            remotes: { mode: 'api' },
            teams: [{ name: 'a-ops', id: OTHER }],
            peers: [peer('b', { allowedTeams: [OTHER] })],
          }),
          baseDir: REPO_ROOT,
        },
        {
          input: baseInput({
            environment: 'b',
            backendDomain: 'b.example.com',
            federatorDomain: 'federator.b.example.com',
            teams: [{ name: 'b-ops', id: TEAM }],
            peers: [peer('a')],
          }),
          baseDir: REPO_ROOT,
        },
      ],
      { resourceRules: false },
    );
    expect(result.failed).toBe(true);
    expect(result.findings.filter((f) => f.rule === 'pair-unknown-team')).toEqual([
      expect.objectContaining({ level: 'error', environment: 'a', path: 'peers[0].allowedTeams[0]' }),
    ]);
  });

  test('a peer that restricts us to teams while we declare none: a warning for us', () => {
    const a = env('a', [peer('b', { allowedTeams: [TEAM] })]);
    const b = env('b', [peer('a')]);
    const findings = teamFindings([a, b]);
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', rule: 'pair-teams-undeclared', environment: 'b', path: 'teams' })]);
    expect(findings[0].message).toMatch(/^b \(b\.example\.com\) is restricted by a \(a\.example\.com\) to teams \[6f2a4b1c/);
    expect(findings[0].message).toContain('only users of these teams of b may find users of a');
  });
});

describe("docs name the peer's teams", () => {
  test("the schema's descriptions", () => {
    expect(peerSchema.shape.allowedTeams.description).toMatch(/^Teams of this peer whose users may find ours/);
    expect(peerSchema.shape.allowedTeams.description).toMatch(/the PEER's team ids, not ours/);
    expect(peerSchema.shape.restrictToTeams.description).toMatch(/^Deprecated name of allowedTeams: Teams of this peer/);
    expect(wireFederationConfigSchema.shape.teams.description).toMatch(/^Teams of this backend/);
    const source = readFileSync(join(REPO_ROOT, 'lib/config/schema/peers.ts'), 'utf8');
    expect(source).toContain('Teams OF THIS PEER whose users may find ours');
    expect(source).not.toMatch(/teams of ours/i);
  });

  test('the docs and the example', () => {
    const reference = readFileSync(join(REPO_ROOT, 'docs/reference/config.md'), 'utf8');
    const guide = readFileSync(join(REPO_ROOT, 'docs/remote-backends.md'), 'utf8');
    expect(reference).toMatch(/\| `peers\[\]\.allowedTeams` \| [^|]+ \| all users of the peer \(`allow_all`\) \| Teams OF THIS PEER whose users may find ours/);
    expect(guide).toMatch(
      /`peers\[\]\.allowedTeams` lists team ids \*\*of the peer\*\*: only users of those teams of the peer may\s+find users of this backend/,
    );
    for (const text of [reference, guide]) expect(text).not.toMatch(/our teams may talk|teams of ours/i);
    expect(guide).toContain('restrictToTeams');
    const blue = readFileSync(join(REPO_ROOT, 'stacks/environments/blue.ts'), 'utf8');
    expect(blue).toContain('allowedTeams');
    expect(blue).not.toContain('restrictToTeams');
    expect(blue).not.toMatch(/of our teams/);
  });
});
