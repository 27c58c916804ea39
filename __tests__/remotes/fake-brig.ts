/**
 * A fake of brig's internal federation remotes API (docs/chart-facts.md, section 6) for tests, on 127.0.0.1
 * with a random port. It models brig's behaviour as implemented in wire-server:
 * libs/wire-subsystems/src/Wire/FederationConfigStore/Cassandra.hs (`getFederationConfigs'`,
 * `getFederationConfig'`, `addFederationConfig'`, `updateFederationConfig'`,
 * `addFederationRemoteTeam'`), services/brig/src/Brig/API/Internal.hs (`addFederationRemote`,
 * `updateFederationRemote`, `addFederationRemoteTeam`: the 533 `federation-unexpected-error`
 * texts) and services/brig/src/Brig/Options.hs (`ImplicitNoFederationRestriction`: a config-list
 * entry has no restriction field and reads as `allow_all`):
 *
 * - `GET /i/federation/remotes` answers `{strategy, remotes, update_interval}`: the UNION of the
 *   database rows (in insertion order, not sorted; a `restrict_by_team` value is read from the
 *   team entries) followed by the config-list remotes (`setFederationDomainConfigs`), a domain
 *   in both appearing twice (`getFederationConfigs'` concatenates the two lists);
 * - `POST /i/federation/remotes` upserts a database row (it adds the body's team ids, never drops
 *   any), also for a config-list domain when the body EQUALS the list entry (the row is then
 *   written: it survives the removal of the list); it fails with 533 when the domain is a
 *   config-list remote with other settings or when the database already holds `maxRemotes` rows;
 * - `PUT /i/federation/remotes/{domain}` fails with 533 when the body's domain differs from the
 *   path, when the domain is a config-file remote (even with equal settings), or when the domain
 *   is unknown; otherwise it replaces the settings and all team entries;
 * - team endpoints: `GET`/`POST …/{domain}/teams`, `DELETE …/{domain}/teams/{team}`; adding a
 *   team fails with 533 for an unknown domain and for an `allow_all` remote, which a config-list
 *   domain always is (`getFederationConfig'` prefers the list entry over the database row);
 * - `restart` models a new brig config (a deploy): the config list changes, the database stays;
 * - there is no delete of a remote (405);
 * - malformed bodies answer 400, unknown paths 404.
 *
 * Errors carry brig's JSON error body `{code, label, message}`.
 */
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RemoteConfig } from '../../lib/remotes/desired-remotes';

export type Strategy = 'allowNone' | 'allowDynamic' | 'allowAll';

/** A request the fake received (also the ones it refused or failed on purpose). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  /** The parsed JSON body; undefined without a body. */
  readonly body?: unknown;
}

/** Makes matching requests fail with brig's error answer instead of being handled. */
export interface InjectedFailure {
  readonly method: string;
  /** Exact path or a pattern. @default every path */
  readonly path?: string | RegExp;
  /** @default 533 */
  readonly status?: number;
  /** @default 'federation-unexpected-error' */
  readonly label?: string;
  readonly message: string;
  /** How many requests fail. @default every matching request */
  readonly times?: number;
}

export interface FakeBrigOptions {
  /** @default 'allowDynamic' */
  readonly strategy?: Strategy;
  /** Rows already in brig's database. */
  readonly remotes?: readonly RemoteConfig[];
  /** brig's `setFederationDomainConfigs` (read only through the API). */
  readonly configFileRemotes?: readonly RemoteConfig[];
  /** @default 10000 */
  readonly maxRemotes?: number;
  /** Close the first N connections without an answer (the client sees ECONNRESET). @default 0 */
  readonly dropConnections?: number;
  /**
   * Do not listen until `listen()` is called; until then connections are refused
   * (ECONNREFUSED) on the port of `url`. @default false
   */
  readonly deferListen?: boolean;
  /**
   * Behave like a brig that stores only the restriction kind on POST/PUT: team entries change
   * only through the team endpoints. @default false
   */
  readonly ignoreRestrictionValue?: boolean;
}

export interface FakeBrig {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** The requests other than GET, as `METHOD path` lines. */
  writes(): string[];
  /** What `GET /i/federation/remotes` answers now (remotes sorted by domain, team ids sorted). */
  state(): { strategy: Strategy; remotes: RemoteConfig[] };
  /** The database rows alone (without the config list), sorted by domain, team ids sorted. */
  database(): RemoteConfig[];
  /** A brig restarted with a new config list (`setFederationDomainConfigs`); the database stays. */
  restart(config: { configFileRemotes: readonly RemoteConfig[] }): void;
  /** Starts listening (with `deferListen`). */
  listen(): Promise<void>;
  /** The team entries of a database remote, sorted. */
  teams(domain: string): string[];
  /** Adds a failure rule (checked before a request is handled). */
  inject(failure: InjectedFailure): void;
  /** Connections dropped so far because of `dropConnections`. */
  readonly droppedConnections: number;
  close(): Promise<void>;
}

const REMOTES = '/i/federation/remotes';
const SEARCH_POLICIES = ['no_search', 'exact_handle_search', 'full_search'];

interface Row {
  searchPolicy: string;
  tag: 'allow_all' | 'restrict_by_team';
}

class BrigError extends Error {
  constructor(
    readonly status: number,
    readonly label: string,
    message: string,
  ) {
    super(message);
  }
}

const unexpected = (message: string) => new BrigError(533, 'federation-unexpected-error', message);

/** Starts a fake brig; resolves once its URL is known (before it listens with `startAfterMs`). */
export async function startFakeBrig(options: FakeBrigOptions = {}): Promise<FakeBrig> {
  const strategy = options.strategy ?? 'allowDynamic';
  const maxRemotes = options.maxRemotes ?? 10000;
  let configFile = [...(options.configFileRemotes ?? [])];
  const rows = new Map<string, Row>();
  const teamTable = new Map<string, Set<string>>();
  const requests: RecordedRequest[] = [];
  const failures: { rule: InjectedFailure; left: number }[] = [];
  let toDrop = options.dropConnections ?? 0;
  let dropped = 0;

  const teamsOf = (domain: string): Set<string> => {
    if (!teamTable.has(domain)) teamTable.set(domain, new Set());
    return teamTable.get(domain)!;
  };
  const store = (config: RemoteConfig, replaceTeams: boolean) => {
    rows.set(config.domain, { searchPolicy: config.search_policy, tag: config.restriction.tag });
    if (options.ignoreRestrictionValue) return;
    if (replaceTeams) teamTable.delete(config.domain);
    if (config.restriction.tag === 'restrict_by_team') config.restriction.value.forEach((t) => teamsOf(config.domain).add(t));
  };
  const dbRemotes = (): RemoteConfig[] =>
    [...rows].map(([domain, row]) => ({
      domain,
      search_policy: row.searchPolicy as RemoteConfig['search_policy'],
      restriction: row.tag === 'allow_all' ? { tag: 'allow_all', value: null } : { tag: 'restrict_by_team', value: [...teamsOf(domain)] },
    }));
  const find = (domain: string): RemoteConfig | undefined => configFile.find((r) => r.domain === domain) ?? dbRemotes().find((r) => r.domain === domain);
  for (const remote of options.remotes ?? []) store(remote, true);

  function handle(method: string, path: string, body: unknown): unknown {
    if (path === REMOTES) {
      if (method === 'GET') return { strategy, remotes: [...dbRemotes(), ...configFile], update_interval: 10 };
      if (method === 'POST') {
        const config = remoteConfig(body);
        const inFile = configFile.find((r) => r.domain === config.domain);
        if (inFile && !sameConfig(inFile, config)) {
          throw unexpected(
            'keeping track of remote domains in the brig config file is deprecated, but as long as we do that, adding a ' +
              `domain with different settings than in the config file is not allowed.  want ${JSON.stringify(config)} or Nothing, got ${JSON.stringify(inFile)}`,
          );
        }
        if (!rows.has(config.domain) && rows.size >= maxRemotes) {
          throw unexpected('Maximum number of remote backends reached.  If you need to create more connections, please contact wire.com.');
        }
        store(config, false);
        return [];
      }
      throw new BrigError(405, 'method-not-allowed', 'Method not allowed');
    }
    const match = /^\/i\/federation\/remotes\/([^/]+)(?:\/teams(?:\/([^/]+))?)?$/.exec(path);
    if (!match) throw new BrigError(404, 'no-endpoint', 'The requested endpoint does not exist');
    const domain = decodeURIComponent(match[1]);
    const isTeams = path.includes('/teams');
    const team = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    if (!isTeams) {
      if (method !== 'PUT') throw new BrigError(405, 'method-not-allowed', 'Method not allowed');
      const config = remoteConfig(body);
      if (config.domain !== domain) {
        throw unexpected(`federation domain of a given peer cannot be changed from ${JSON.stringify(config.domain)} to ${JSON.stringify(domain)}.`);
      }
      if (configFile.some((r) => r.domain === domain)) {
        throw unexpected(
          'keeping track of remote domains in the brig config file is deprecated, but as long as we do that, removing or updating items listed in the config file is not allowed.',
        );
      }
      if (!rows.has(domain)) throw unexpected(`federation domain does not exist and cannot be updated: ${JSON.stringify([domain, config])}`);
      store(config, true);
      return [];
    }
    if (team === undefined && method === 'GET') return [...(teamTable.get(domain) ?? [])].map((t) => ({ team_id: t }));
    if (team === undefined && method === 'POST') {
      const teamId = teamIdOf(body);
      const remote = find(domain);
      if (!remote) throw unexpected('Federation domain does not exist.  Please add it first.');
      if (remote.restriction.tag === 'allow_all') {
        throw unexpected('Federation is not configured to be restricted by teams. Therefore adding a team to a remote domain is not allowed.');
      }
      teamsOf(domain).add(teamId);
      return [];
    }
    if (team !== undefined && method === 'DELETE') {
      teamTable.get(domain)?.delete(team);
      return [];
    }
    throw new BrigError(405, 'method-not-allowed', 'Method not allowed');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      let status = 200;
      let answer: unknown;
      try {
        if (text !== '') {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
            throw new BrigError(400, 'bad-request', 'Error in $: request body is not JSON');
          }
        }
        const failure = failures.find((f) => f.left > 0 && f.rule.method === method && pathMatches(f.rule.path, path));
        if (failure) {
          failure.left--;
          throw new BrigError(failure.rule.status ?? 533, failure.rule.label ?? 'federation-unexpected-error', failure.rule.message);
        }
        answer = handle(method, path, body);
      } catch (e) {
        if (!(e instanceof BrigError)) throw e;
        status = e.status;
        answer = { code: e.status, label: e.label, message: e.message };
      } finally {
        requests.push(body === undefined ? { method, path } : { method, path, body });
      }
      const out = JSON.stringify(answer);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  server.on('connection', (socket: Socket) => {
    if (toDrop > 0) {
      toDrop--;
      dropped++;
      socket.destroy();
    }
  });

  const port = await freePort();
  let started = false;
  const listen = () => {
    started = true;
    return new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  };
  let listening: Promise<void> | undefined;
  if (!options.deferListen) {
    listening = listen();
    await listening;
  }
  const sortedRemotes = (list: RemoteConfig[]) =>
    list
      .map((r) => (r.restriction.tag === 'restrict_by_team' ? { ...r, restriction: { ...r.restriction, value: [...r.restriction.value].sort() } } : r))
      .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
    state: () => ({ strategy, remotes: sortedRemotes([...dbRemotes(), ...configFile]) }),
    database: () => sortedRemotes(dbRemotes()),
    restart: (config) => {
      configFile = [...config.configFileRemotes];
    },
    listen: async () => {
      if (!listening) listening = listen();
      await listening;
    },
    teams: (domain) => [...(teamTable.get(domain) ?? [])].sort(),
    inject: (rule) => failures.push({ rule, left: rule.times ?? Infinity }),
    get droppedConnections() {
      return dropped;
    },
    close: async () => {
      if (!started) return;
      await listening;
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function pathMatches(rule: string | RegExp | undefined, path: string): boolean {
  if (rule === undefined) return true;
  return typeof rule === 'string' ? rule === path : rule.test(path);
}

/** Validates a remote config body the way brig's JSON parser does (all three fields). */
function remoteConfig(body: unknown): RemoteConfig {
  const bad = (why: string) => new BrigError(400, 'bad-request', `Error in $: ${why}`);
  if (typeof body !== 'object' || body === null) throw bad('expected an object');
  const b = body as Record<string, unknown>;
  if (typeof b.domain !== 'string' || b.domain === '') throw bad('domain: expected a domain');
  if (typeof b.search_policy !== 'string' || !SEARCH_POLICIES.includes(b.search_policy)) throw bad('search_policy: unexpected value');
  const r = b.restriction as Record<string, unknown> | undefined;
  if (typeof r !== 'object' || r === null) throw bad('restriction: key missing');
  if (r.tag === 'allow_all' && r.value === null) {
    return { domain: b.domain, search_policy: b.search_policy as RemoteConfig['search_policy'], restriction: { tag: 'allow_all', value: null } };
  }
  if (r.tag === 'restrict_by_team' && Array.isArray(r.value) && r.value.every((t) => typeof t === 'string')) {
    return {
      domain: b.domain,
      search_policy: b.search_policy as RemoteConfig['search_policy'],
      restriction: { tag: 'restrict_by_team', value: r.value },
    };
  }
  throw bad('restriction: expected {"tag": "allow_all", "value": null} or {"tag": "restrict_by_team", "value": [team ids]}');
}

function teamIdOf(body: unknown): string {
  const id = (body as { team_id?: unknown } | null)?.team_id;
  if (typeof id !== 'string') throw new BrigError(400, 'bad-request', 'Error in $: key "team_id" not found');
  return id;
}

function sameConfig(a: RemoteConfig, b: RemoteConfig): boolean {
  const teams = (r: RemoteConfig) => (r.restriction.tag === 'restrict_by_team' ? [...r.restriction.value].sort().join(',') : '');
  return a.search_policy === b.search_policy && a.restriction.tag === b.restriction.tag && teams(a) === teams(b);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = http.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
