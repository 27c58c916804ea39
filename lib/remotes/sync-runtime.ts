/**
 * The fixed part of the generated brig remote sync script (see `sync-script.ts`): plain
 * CommonJS for Node.js 18+, Node built-ins only. It expects two constants defined before it:
 * `DESIRED` (sorted `RemoteConfig[]`) and `OPTIONS` (`{brigUrl, keepConfigList, retry: {attempts,
 * initialDelayMs, maxDelayMs}, timeoutMs}`).
 *
 * With `keepConfigList` (step 2 of the migration to API-managed remotes) brig still reads every
 * peer from `setFederationDomainConfigs`, and `GET /i/federation/remotes` answers the union of
 * its database rows and that list (wire-server:
 * libs/wire-subsystems/src/Wire/FederationConfigStore/Cassandra.hs, `getFederationConfigs'`):
 * every peer looks known although the database may hold none. So the script then POSTs every
 * peer unconditionally, as its config-list entry (`allow_all`: the list has no restriction;
 * brig accepts a POST equal to the entry, `addFederationConfig'`, and refuses PUTs and team
 * writes for a listed domain). Team restrictions follow in step 3, when the list is gone.
 *
 * Kept as text (not a compiled function) so the script is byte-for-byte the same whichever
 * TypeScript toolchain builds it: the Job is re-run when a hash of the script changes.
 * The text must contain no backtick and no dollar-brace: it sits in a template literal.
 */
export const SYNC_RUNTIME_SOURCE = String.raw`
const http = require('http');
const https = require('https');

const REMOTES = '/i/federation/remotes';
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH',
  'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE']);
const base = new URL(OPTIONS.brigUrl);
const client = base.protocol === 'https:' ? https : http;
const prefix = base.pathname.replace(/\/+$/, '');

function log(line) { process.stdout.write(line + '\n'); }
function fail(line) { process.stderr.write(line + '\n'); }
function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
function byString(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
function remotePath(domain) { return REMOTES + '/' + encodeURIComponent(domain); }
function teamsPath(domain) { return remotePath(domain) + '/teams'; }

/** A failed step: printed as is, then the script exits 1. */
class SyncError extends Error {}

/** One HTTP exchange; resolves with {status, text}, rejects on connection errors. */
function exchange(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const req = client.request(new URL(prefix + path, base), { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(OPTIONS.timeoutMs, () => {
      const error = new Error('no answer within ' + OPTIONS.timeoutMs + ' ms');
      error.code = 'ETIMEDOUT';
      req.destroy(error);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function describeConnectionError(error) {
  const message = error && error.message ? error.message : String(error);
  const code = error && error.code ? error.code : '';
  return code === '' || message.includes(code) ? message : code + ': ' + message;
}

/** brig's error text: "label: message" from its JSON error body, else the raw body. */
function brigErrorText(text) {
  try {
    const body = JSON.parse(text);
    if (body && (body.label || body.message)) {
      return [body.label, body.message].filter(Boolean).join(': ');
    }
  } catch (e) {
    // not JSON: show the text
  }
  const trimmed = text.trim();
  if (trimmed === '') return '(empty answer)';
  return trimmed.length > 1000 ? trimmed.slice(0, 1000) + '...' : trimmed;
}

/**
 * Sends a request, retrying connection errors (brig may still be starting) with exponential
 * backoff. Every request the sync sends is idempotent, so a retried write is safe.
 * Resolves with the parsed JSON answer; throws SyncError on a non-2xx answer.
 */
async function request(method, path, body, hint) {
  let delay = OPTIONS.retry.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await exchange(method, path, body);
    } catch (error) {
      const what = describeConnectionError(error);
      if (!RETRYABLE.has(error && error.code) || attempt >= OPTIONS.retry.attempts) {
        throw new SyncError('ERROR ' + method + ' ' + path + ': brig at ' + OPTIONS.brigUrl + ' not reachable after ' +
          attempt + ' attempt(s): ' + what + '. Check that brig is running and remotes.brigUrl is right, then deploy again.');
      }
      log('brig not reachable (' + what + '), attempt ' + attempt + ' of ' + OPTIONS.retry.attempts +
        '; retrying in ' + delay + ' ms');
      await sleep(delay);
      delay = Math.min(delay * 2, OPTIONS.retry.maxDelayMs);
      continue;
    }
    if (res.status < 200 || res.status > 299) {
      const lines = ['ERROR ' + method + ' ' + path + ' failed: HTTP ' + res.status + ' from brig: ' + brigErrorText(res.text)];
      if (hint) lines.push('  ' + hint);
      lines.push('  The sync stopped here (earlier steps are done). Fix the cause and deploy again: the sync is idempotent.');
      throw new SyncError(lines.join('\n'));
    }
    if (res.text.trim() === '') return null;
    try {
      return JSON.parse(res.text);
    } catch (e) {
      throw new SyncError('ERROR ' + method + ' ' + path + ': brig answered HTTP ' + res.status + ' with text that is not JSON: ' +
        brigErrorText(res.text));
    }
  }
}

function teamsOf(restriction) {
  if (!restriction || restriction.tag !== 'restrict_by_team' || !Array.isArray(restriction.value)) return [];
  return restriction.value.map((t) => String(t).toLowerCase()).sort(byString);
}

function tagOf(restriction) { return restriction && restriction.tag ? restriction.tag : 'allow_all'; }

function describeRemote(remote) {
  const tag = tagOf(remote.restriction);
  const teams = tag === 'restrict_by_team'
    ? ': only users of teams [' + teamsOf(remote.restriction).join(', ') + '] of ' + remote.domain + ' may find ours'
    : '';
  return remote.domain + ' (search_policy ' + remote.search_policy + ', ' + tag + teams + ')';
}

function sameTeams(a, b) {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function sameConfig(current, desired) {
  return current.search_policy === desired.search_policy &&
    tagOf(current.restriction) === desired.restriction.tag &&
    sameTeams(teamsOf(current.restriction), teamsOf(desired.restriction));
}

function differences(current, desired) {
  const out = [];
  if (current.search_policy !== desired.search_policy) {
    out.push('search_policy ' + current.search_policy + ' -> ' + desired.search_policy);
  }
  if (tagOf(current.restriction) !== desired.restriction.tag) {
    out.push('restriction ' + tagOf(current.restriction) + ' -> ' + desired.restriction.tag);
  }
  return out.join(', ');
}

const CONFIG_FILE_HINT = 'If this remote is listed in brig.config.optSettings.setFederationDomainConfigs (the deprecated ' +
  'list of remotes.mode config), brig refuses to update it through the API: change it there, or finish the migration ' +
  'in docs/remote-backends.md ("Migrating to API-managed remotes": remove it from setFederationDomainConfigs), then deploy again.';

/** Makes brig's team entries for a restrict_by_team remote equal the desired team ids. */
async function syncTeams(desired, counts) {
  const answer = await request('GET', teamsPath(desired.domain));
  if (!Array.isArray(answer)) {
    throw new SyncError('ERROR GET ' + teamsPath(desired.domain) + ': expected a list of {"team_id": ...}, got ' + JSON.stringify(answer));
  }
  const have = new Set(answer.map((entry) => String(entry && entry.team_id).toLowerCase()));
  const want = new Set(desired.restriction.value);
  let changes = 0;
  for (const team of [...want].sort(byString)) {
    if (have.has(team)) continue;
    await request('POST', teamsPath(desired.domain), { team_id: team },
      'brig adds team entries only to a remote it knows with restriction restrict_by_team.');
    log('team add ' + desired.domain + ': ' + team);
    counts.teamsAdded++;
    changes++;
  }
  for (const team of [...have].sort(byString)) {
    if (want.has(team)) continue;
    await request('DELETE', teamsPath(desired.domain) + '/' + encodeURIComponent(team));
    log('team remove ' + desired.domain + ': ' + team);
    counts.teamsRemoved++;
    changes++;
  }
  return changes;
}

/** The entry brig's config list (setFederationDomainConfigs) holds for a peer: no restriction. */
function configListEntry(desired) {
  return { domain: desired.domain, search_policy: desired.search_policy, restriction: { tag: 'allow_all', value: null } };
}

/**
 * Migration step 2 (keepConfigList): copy every peer into brig's database as its config-list
 * entry. GET cannot tell database rows from list entries, so nothing is skipped: a POST equal to
 * the list entry is an idempotent upsert.
 */
async function copyConfigList(counts) {
  log('remotes.keepConfigList: brig still reads the peers from setFederationDomainConfigs and answers them as known ' +
    'whether or not its database holds them; writing every peer into the database (migration step 2)');
  for (const desired of DESIRED) {
    const entry = configListEntry(desired);
    await request('POST', REMOTES, entry,
      'In migration step 2 every peer must be listed in brig.config.optSettings.setFederationDomainConfigs with the same ' +
      'search_policy: brig refuses a POST that differs from the list entry.');
    let line = 'upsert ' + describeRemote(entry) + ' into the database (equal to its config-list entry)';
    if (desired.restriction.tag === 'restrict_by_team') {
      line += '; later ' + describeRemote(desired).slice(desired.domain.length + 1) +
        ' is applied in step 3 (drop remotes.keepConfigList): brig refuses team restrictions for a domain in its config list';
      counts.deferred++;
    }
    log(line);
    counts.upserted++;
  }
}

async function main() {
  const state = await request('GET', REMOTES);
  if (!state || !Array.isArray(state.remotes)) {
    throw new SyncError('ERROR GET ' + REMOTES + ': expected {"strategy": ..., "remotes": [...]}, got ' + JSON.stringify(state) +
      '. Is ' + OPTIONS.brigUrl + ' brig\'s internal API?');
  }
  const current = new Map();
  for (const remote of state.remotes) {
    if (!current.has(remote.domain)) current.set(remote.domain, []);
    current.get(remote.domain).push(remote);
  }
  const known = [...state.remotes].sort((a, b) => byString(a.domain, b.domain) || byString(describeRemote(a), describeRemote(b)));
  log('brig at ' + OPTIONS.brigUrl + ': strategy ' + state.strategy + ', ' + known.length + ' remote(s) known, ' +
    DESIRED.length + ' in the config');
  for (const remote of known) log('  known ' + describeRemote(remote));
  if (state.strategy === 'allowNone') {
    log('note: strategy allowNone: brig federates with nobody; the remotes are stored but unused until ' +
      'federation.strategy is allowDynamic or allowAll');
  }

  const counts = { added: 0, updated: 0, unchanged: 0, teamsAdded: 0, teamsRemoved: 0, warnings: 0, upserted: 0, deferred: 0 };
  if (OPTIONS.keepConfigList) {
    await copyConfigList(counts);
  } else for (const desired of DESIRED) {
    const entries = current.get(desired.domain) || [];
    let changed = false;
    if (entries.length === 0) {
      await request('POST', REMOTES, desired,
        'brig refuses a remote that differs from its entry in brig.config.optSettings.setFederationDomainConfigs, ' +
        'and more than 10000 remotes.');
      log('add ' + describeRemote(desired));
      counts.added++;
      changed = true;
    } else if (!entries.some((e) => e.search_policy === desired.search_policy && tagOf(e.restriction) === desired.restriction.tag)) {
      await request('PUT', remotePath(desired.domain), desired, CONFIG_FILE_HINT);
      log('update ' + desired.domain + ': ' + differences(entries[0], desired));
      counts.updated++;
      changed = true;
    }
    // Team ids go through the team endpoints: a PUT would drop every team entry of the remote
    // and insert them again. After a POST or PUT this only checks that brig has them all.
    if (desired.restriction.tag === 'restrict_by_team' && !entries.some((e) => sameConfig(e, desired))) {
      const teamChanges = await syncTeams(desired, counts);
      if (teamChanges > 0 && !changed) {
        counts.updated++;
        changed = true;
      }
    }
    if (!changed) {
      log('unchanged ' + describeRemote(desired));
      counts.unchanged++;
    }
  }

  const wanted = new Set(DESIRED.map((d) => d.domain));
  for (const domain of [...current.keys()].sort(byString)) {
    if (wanted.has(domain)) continue;
    log('WARNING brig still federates with ' + domain + ': it is not among the peers, but brig has no delete; ' +
      'see docs/remote-backends.md ("Removing a peer") to remove it by hand, and list it in remotes.removedPeers');
    counts.warnings++;
  }

  if (OPTIONS.keepConfigList) {
    log('summary: ' + counts.upserted + ' upserted, ' + counts.deferred + ' team restriction(s) waiting for step 3, ' +
      counts.warnings + ' warning(s); brig\'s database holds every peer: drop remotes.keepConfigList and deploy again');
    return;
  }
  log('summary: ' + counts.added + ' added, ' + counts.updated + ' updated, ' + counts.unchanged + ' unchanged, ' +
    counts.teamsAdded + ' team entr(ies) added, ' + counts.teamsRemoved + ' removed, ' + counts.warnings + ' warning(s); ' +
    'brig matches the config');
}

main().catch((error) => {
  fail(error instanceof SyncError ? error.message : 'ERROR unexpected failure: ' + (error && error.stack ? error.stack : String(error)));
  process.exitCode = 1;
});
`;
