import { RemoteConfig, desiredRemotes } from '../../lib/remotes/desired-remotes';
import { MAX_REMOTES, SyncScriptOptions, syncScript } from '../../lib/remotes/sync-script';
import { FakeBrig, FakeBrigOptions, startFakeBrig } from './fake-brig';
import { runSyncScript } from './run-sync';

const T1 = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
const T2 = '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b';
const T3 = 'c9a646d3-9c61-4cb7-bfcd-ee2522c8f633';
const REMOTES = '/i/federation/remotes';

const allowAll = (domain: string, search_policy: RemoteConfig['search_policy'] = 'no_search'): RemoteConfig => ({
  domain,
  search_policy,
  restriction: { tag: 'allow_all', value: null },
});
const byTeam = (domain: string, teams: string[], search_policy: RemoteConfig['search_policy'] = 'no_search'): RemoteConfig => ({
  domain,
  search_policy,
  restriction: { tag: 'restrict_by_team', value: teams },
});

/** Fast retries: the suite must stay well under 30 s. */
const FAST: Omit<SyncScriptOptions, 'brigUrl'> = { retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 200 }, timeoutMs: 2000 };

const brigs: FakeBrig[] = [];
async function brig(options: FakeBrigOptions = {}): Promise<FakeBrig> {
  const b = await startFakeBrig(options);
  brigs.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(brigs.splice(0).map((b) => b.close()));
});

const sync = (b: FakeBrig, desired: RemoteConfig[], extra: Partial<SyncScriptOptions> = {}) =>
  runSyncScript(syncScript(desired, { brigUrl: b.url, ...FAST, ...extra }));

describe('syncScript content', () => {
  const peers = [
    { domain: 'b.example.net', searchPolicy: 'full_search' as const, caCertificates: [], allowedTeams: [T2, T1] },
    { domain: 'a.example.net', searchPolicy: 'no_search' as const, caCertificates: [] },
  ];

  it('is identical for the same remotes in any order, and changes with them', () => {
    const script = syncScript(desiredRemotes({ peers }), { brigUrl: 'http://brig:8080' });
    const reordered = [peers[1], { ...peers[0], allowedTeams: [T1, T2] }];
    expect(syncScript(desiredRemotes({ peers: reordered }), { brigUrl: 'http://brig:8080' })).toBe(script);
    expect(syncScript([...desiredRemotes({ peers })].reverse(), { brigUrl: 'http://brig:8080' })).toBe(script);
    const changed = [peers[1], { ...peers[0], searchPolicy: 'exact_handle_search' as const }];
    expect(syncScript(desiredRemotes({ peers: changed }), { brigUrl: 'http://brig:8080' })).not.toBe(script);
  });

  it('embeds the desired list as JSON and uses only Node built-ins', () => {
    const script = syncScript(desiredRemotes({ peers }), { brigUrl: 'http://brig:8080' });
    expect(script).toContain('"domain": "a.example.net"');
    expect(script).toContain('"brigUrl": "http://brig:8080"');
    const required = [...script.matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]);
    expect(required.sort()).toEqual(['http', 'https']);
  });

  it('rejects duplicate domains, too many remotes and a malformed URL', () => {
    expect(() => syncScript([allowAll('a.example.net'), allowAll('a.example.net')], { brigUrl: 'http://brig:8080' })).toThrow(
      /a\.example\.net is listed more than once/,
    );
    const many = Array.from({ length: MAX_REMOTES + 1 }, (_, i) => allowAll(`r${i}.example.net`));
    expect(() => syncScript(many, { brigUrl: 'http://brig:8080' })).toThrow(/at most 10000/);
    expect(() => syncScript([], { brigUrl: 'brig:8080' })).toThrow(/http\(s\) URL/);
    expect(() => syncScript([], { brigUrl: 'http://brig:8080', retry: { attempts: 0 } })).toThrow(/retry\.attempts/);
  });
});

describe('sync script against a fake brig', () => {
  const desired = [allowAll('a.example.net', 'full_search'), byTeam('b.example.net', [T1, T2])];

  it('adds every remote to an empty brig, then does nothing on a second run', async () => {
    const b = await brig({ strategy: 'allowDynamic' });
    const first = await sync(b, desired);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(b.writes()).toEqual([`POST ${REMOTES}`, `POST ${REMOTES}`]);
    expect(b.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual(desired);
    expect(b.state().remotes).toEqual(desired);
    expect(first.lines).toEqual([
      'brig at ' + b.url + ': strategy allowDynamic, 0 remote(s) known, 2 in the config',
      'add a.example.net (search_policy full_search, allow_all)',
      `add b.example.net (search_policy no_search, restrict_by_team: only users of teams [${T1}, ${T2}] of b.example.net may find ours)`,
      'summary: 2 added, 0 updated, 0 unchanged, 0 team entr(ies) added, 0 removed, 0 warning(s); brig matches the config',
    ]);

    const requestsBefore = b.requests.length;
    const second = await sync(b, desired);
    expect(second.code).toBe(0);
    expect(b.requests.slice(requestsBefore)).toEqual([{ method: 'GET', path: REMOTES }]);
    expect(second.lines).toContain('unchanged a.example.net (search_policy full_search, allow_all)');
    expect(second.lines.at(-1)).toMatch(/^summary: 0 added, 0 updated, 2 unchanged, 0 team entr\(ies\) added, 0 removed, 0 warning\(s\)/);
  });

  it('lists what brig knows sorted, whatever order brig answers in', async () => {
    const b = await brig({ remotes: [allowAll('z.example.net'), byTeam('m.example.net', [T2, T1])], strategy: 'allowAll' });
    const run = await sync(b, [allowAll('z.example.net'), byTeam('m.example.net', [T1, T2])]);
    expect(run.code).toBe(0);
    expect(run.lines.slice(0, 3)).toEqual([
      'brig at ' + b.url + ': strategy allowAll, 2 remote(s) known, 2 in the config',
      `  known m.example.net (search_policy no_search, restrict_by_team: only users of teams [${T1}, ${T2}] of m.example.net may find ours)`,
      '  known z.example.net (search_policy no_search, allow_all)',
    ]);
    expect(b.writes()).toEqual([]);
  });

  it('PUTs a remote whose search policy changed', async () => {
    const b = await brig({ remotes: [allowAll('a.example.net', 'no_search'), byTeam('b.example.net', [T1, T2])] });
    const run = await sync(b, desired);
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([`PUT ${REMOTES}/a.example.net`]);
    expect(b.requests.find((r) => r.method === 'PUT')?.body).toEqual(desired[0]);
    expect(run.lines).toContain('update a.example.net: search_policy no_search -> full_search');
    expect(b.state().remotes).toEqual(desired);
  });

  it('adds and removes team entries through the team endpoints, without a PUT', async () => {
    const b = await brig({ remotes: [byTeam('b.example.net', [T3, T1])] });
    const run = await sync(b, [byTeam('b.example.net', [T2, T1])]);
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([`POST ${REMOTES}/b.example.net/teams`, `DELETE ${REMOTES}/b.example.net/teams/${T3}`]);
    expect(b.requests.find((r) => r.method === 'POST')?.body).toEqual({ team_id: T2 });
    expect(run.lines).toEqual(expect.arrayContaining([`team add b.example.net: ${T2}`, `team remove b.example.net: ${T3}`]));
    expect(run.lines.at(-1)).toMatch(/^summary: 0 added, 1 updated, 0 unchanged, 1 team entr\(ies\) added, 1 removed/);
    expect(b.teams('b.example.net')).toEqual([T1, T2]);
  });

  it('switches between allow_all and restrict_by_team with a PUT carrying the team ids', async () => {
    const b = await brig({ remotes: [allowAll('b.example.net'), byTeam('c.example.net', [T1])] });
    const run = await sync(b, [byTeam('b.example.net', [T1, T2]), allowAll('c.example.net')]);
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([`PUT ${REMOTES}/b.example.net`, `PUT ${REMOTES}/c.example.net`]);
    expect(run.lines).toContain('update b.example.net: restriction allow_all -> restrict_by_team');
    expect(run.lines).toContain('update c.example.net: restriction restrict_by_team -> allow_all');
    expect(b.state().remotes).toEqual([byTeam('b.example.net', [T1, T2]), allowAll('c.example.net')]);
    expect(b.teams('c.example.net')).toEqual([]);
  });

  it('writes the team entries itself when brig keeps only the restriction kind', async () => {
    const b = await brig({ ignoreRestrictionValue: true });
    const run = await sync(b, [byTeam('b.example.net', [T1, T2])]);
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([`POST ${REMOTES}`, `POST ${REMOTES}/b.example.net/teams`, `POST ${REMOTES}/b.example.net/teams`]);
    expect(b.teams('b.example.net')).toEqual([T1, T2]);
    const writes = b.writes().length;
    expect((await sync(b, [byTeam('b.example.net', [T1, T2])])).code).toBe(0);
    expect(b.writes().length).toBe(writes);
  });

  it('warns about a remote brig has but the config dropped, deletes nothing, exits 0', async () => {
    const b = await brig({ remotes: [allowAll('a.example.net', 'full_search'), allowAll('gone.example.net')] });
    const run = await sync(b, [allowAll('a.example.net', 'full_search')]);
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([]);
    expect(run.lines).toContain(
      'WARNING brig still federates with gone.example.net: it is not among the peers, but brig has no delete; ' +
        'see docs/remote-backends.md ("Removing a peer") to remove it by hand, and list it in remotes.removedPeers',
    );
    expect(run.lines.at(-1)).toMatch(/1 warning\(s\); brig matches the config$/);
  });

  it("exits 1 with the request and brig's error when brig answers 533", async () => {
    const b = await brig();
    b.inject({ method: 'POST', path: REMOTES, message: 'Maximum number of remote backends reached.' });
    const run = await sync(b, desired);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'ERROR POST /i/federation/remotes failed: HTTP 533 from brig: federation-unexpected-error: Maximum number of remote backends reached.',
    );
    expect(run.stderr).toContain('deploy again');
    expect(b.writes()).toEqual([`POST ${REMOTES}`]);
    expect(run.output).not.toContain('summary:');
  });

  it('exits 1 when a PUT contradicts setFederationDomainConfigs (mode api without keepConfigList)', async () => {
    const b = await brig({ configFileRemotes: [allowAll('file.example.net', 'no_search')] });
    const run = await sync(b, [allowAll('file.example.net', 'full_search')]);
    expect(run.code).toBe(1);
    expect(b.writes()).toEqual([`PUT ${REMOTES}/file.example.net`]);
    expect(run.stderr).toContain('ERROR PUT /i/federation/remotes/file.example.net failed: HTTP 533 from brig');
    expect(run.stderr).toContain('removing or updating items listed in the config file is not allowed');
    expect(run.stderr).toContain('brig.config.optSettings.setFederationDomainConfigs');
  });

  it('retries while brig is not listening yet, then succeeds', async () => {
    const b = await brig({ deferListen: true });
    let started: Promise<void> | undefined;
    const script = syncScript(desired, { brigUrl: b.url, ...FAST, retry: { attempts: 10, initialDelayMs: 20, maxDelayMs: 200 } });
    // brig starts only once the script has reported its first refused attempt: no race with a timer.
    const run = await runSyncScript(script, 15000, (soFar) => {
      if (!started && soFar.includes('attempt 1 of 10')) started = b.listen();
    });
    await started;
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/brig not reachable \(.*ECONNREFUSED.*\), attempt 1 of 10; retrying in 20 ms/);
    expect(b.state().remotes).toEqual(desired);
  });

  it('retries dropped connections, then succeeds', async () => {
    const b = await brig({ dropConnections: 2 });
    const run = await sync(b, desired);
    expect(run.code).toBe(0);
    expect(b.droppedConnections).toBe(2);
    expect(run.lines.filter((l) => l.startsWith('brig not reachable'))).toHaveLength(2);
    expect(b.state().remotes).toEqual(desired);
  });

  it('gives up after the configured attempts and exits 1', async () => {
    const b = await brig({ dropConnections: 100 });
    const run = await sync(b, desired, { retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`ERROR GET /i/federation/remotes: brig at ${b.url} not reachable after 3 attempt(s)`);
    expect(b.droppedConnections).toBe(3);
  });

  it('notes when brig federates with nobody', async () => {
    const b = await brig({ strategy: 'allowNone' });
    const run = await sync(b, []);
    expect(run.code).toBe(0);
    expect(run.lines).toContain(
      'note: strategy allowNone: brig federates with nobody; the remotes are stored but unused until federation.strategy is allowDynamic or allowAll',
    );
  });
});

describe('migration to API-managed remotes against a fake brig', () => {
  const desired = [allowAll('a.example.net', 'full_search'), byTeam('b.example.net', [T1, T2]), allowAll('c.example.net')];
  /** What remotes.mode config (and keepConfigList) puts into setFederationDomainConfigs: no restriction. */
  const configList = desired.map((r) => allowAll(r.domain, r.search_policy));

  it('step 1 -> 2 -> 3: after step 3 the database holds every peer with its restriction', async () => {
    // Step 1 (mode config): brig knows the peers from its config list only; its database is empty.
    const b = await brig({ configFileRemotes: configList });
    expect(b.database()).toEqual([]);

    // Step 2 (mode api, keepConfigList): every peer looks known (the union), yet each is POSTed.
    const step2 = await sync(b, desired, { keepConfigList: true });
    expect(step2.stderr).toBe('');
    expect(step2.code).toBe(0);
    expect(b.writes()).toEqual([`POST ${REMOTES}`, `POST ${REMOTES}`, `POST ${REMOTES}`]);
    expect(b.requests.filter((r) => r.method === 'POST').map((r) => r.body)).toEqual(configList);
    expect(b.database()).toEqual(configList);
    expect(step2.lines[0]).toBe('brig at ' + b.url + ': strategy allowDynamic, 3 remote(s) known, 3 in the config');
    expect(step2.lines).toContain('upsert a.example.net (search_policy full_search, allow_all) into the database (equal to its config-list entry)');
    expect(step2.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^upsert b\\.example\\.net \\(search_policy no_search, allow_all\\).*only users of teams \\[${T1}, ${T2}\\] of b\\.example\\.net may find ours\\) is applied in step 3`,
        ),
      ),
    );
    expect(step2.lines.at(-1)).toMatch(/^summary: 3 upserted, 1 team restriction\(s\) waiting for step 3, 0 warning\(s\)/);
    // Idempotent: a second run of step 2 writes the same rows again and still succeeds.
    expect((await sync(b, desired, { keepConfigList: true })).code).toBe(0);
    expect(b.database()).toEqual(configList);

    // Step 3 (mode api): the config list is gone (brig restarted with the new values).
    b.restart({ configFileRemotes: [] });
    const step3 = await sync(b, desired);
    expect(step3.stderr).toBe('');
    expect(step3.code).toBe(0);
    expect(b.writes().slice(6)).toEqual([`PUT ${REMOTES}/b.example.net`]);
    expect(b.database()).toEqual(desired);
    expect(b.state().remotes).toEqual(desired);
    expect(step3.lines).toContain('update b.example.net: restriction allow_all -> restrict_by_team');
  });

  it('without the step-2 copy (the old behaviour) step 3 would leave the database empty', async () => {
    const b = await brig({ configFileRemotes: configList });
    const run = await sync(
      b,
      desired.filter((r) => r.restriction.tag === 'allow_all'),
    );
    expect(run.code).toBe(0);
    expect(b.writes()).toEqual([]);
    b.restart({ configFileRemotes: [] });
    expect(b.database()).toEqual([]);
  });

  it('step 2 stops with the hint when the config list disagrees with the config', async () => {
    const b = await brig({ configFileRemotes: [allowAll('a.example.net', 'no_search')] });
    const run = await sync(b, [allowAll('a.example.net', 'full_search')], { keepConfigList: true });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ERROR POST /i/federation/remotes failed: HTTP 533 from brig');
    expect(run.stderr).toContain('adding a domain with different settings than in the config file is not allowed');
    expect(run.stderr).toContain('same search_policy');
  });
});

describe('fake brig', () => {
  const post = (b: FakeBrig, path: string, body: unknown, method = 'POST') =>
    fetch(`${b.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('models the config list as brig does: union on GET, equal POST accepted, other writes refused', async () => {
    const b = await brig({ configFileRemotes: [allowAll('file.example.net', 'full_search')] });
    expect((await post(b, REMOTES, allowAll('file.example.net', 'no_search'))).status).toBe(533);
    expect(b.database()).toEqual([]);
    expect((await post(b, REMOTES, byTeam('file.example.net', [T1], 'full_search'))).status).toBe(533);
    expect((await post(b, REMOTES, allowAll('file.example.net', 'full_search'))).status).toBe(200);
    expect(b.database()).toEqual([allowAll('file.example.net', 'full_search')]);
    const all = (await (await fetch(`${b.url}${REMOTES}`)).json()) as { remotes: RemoteConfig[] };
    expect(all.remotes.map((r) => r.domain)).toEqual(['file.example.net', 'file.example.net']);
    expect((await post(b, `${REMOTES}/file.example.net`, allowAll('file.example.net', 'full_search'), 'PUT')).status).toBe(533);
    const team = await post(b, `${REMOTES}/file.example.net/teams`, { team_id: T1 });
    expect(team.status).toBe(533);
    expect(((await team.json()) as { message: string }).message).toMatch(/not configured to be restricted by teams/);
    b.restart({ configFileRemotes: [] });
    expect(b.state().remotes).toEqual([allowAll('file.example.net', 'full_search')]);
  });

  it('refuses to delete a remote and to PUT a body for another domain', async () => {
    const b = await brig({ remotes: [allowAll('a.example.net')] });
    const del = await fetch(`${b.url}${REMOTES}/a.example.net`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    const put = await fetch(`${b.url}${REMOTES}/a.example.net`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(allowAll('b.example.net')),
    });
    expect(put.status).toBe(533);
    expect(((await put.json()) as { message: string }).message).toMatch(/cannot be changed/);
    const unknown = await fetch(`${b.url}${REMOTES}/b.example.net`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(allowAll('b.example.net')),
    });
    expect(unknown.status).toBe(533);
    const team = await fetch(`${b.url}${REMOTES}/a.example.net/teams`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ team_id: T1 }),
    });
    expect(team.status).toBe(533);
    expect(b.state().remotes).toEqual([allowAll('a.example.net')]);
  });

  it('keeps at most maxRemotes remotes', async () => {
    const b = await brig({ maxRemotes: 1, remotes: [allowAll('a.example.net')] });
    const run = await sync(b, [allowAll('a.example.net'), allowAll('b.example.net')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Maximum number of remote backends reached');
  });
});
