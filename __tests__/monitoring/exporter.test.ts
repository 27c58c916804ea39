/**
 * The exporter (`lib/verify/serve.ts`) against real components on 127.0.0.1: our ingress, fake
 * peers (healthy, refusing our certificate, denying federation, with an expiring certificate,
 * one that never answers) and the test DNS server. `/metrics` is fetched over HTTP and parsed
 * back; every assertion names a check and a peer.
 */
import { parseFederationConfig } from '../../lib/config';
import { CHECK_STATES, RunningExporter, METRIC_NAMES, startExporter } from '../../lib/verify/serve';
import { BACKEND } from '../verify/harness';
import { FakeFederation, FakeFederationPki, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { ParsedMetrics, parseMetrics, select, valueOf } from '../support/prometheus-text';

const HEALTHY = 'wire.beta.test';
const REFUSES = 'wire.gamma.test';
const DENIES = 'wire.delta.test';
const EXPIRING = 'wire.epsilon.test';
const SILENT = 'wire.zeta.test';
const DAY = 86_400;

let pki: FakeFederationPki;
let federation: FakeFederation;
const exporters: RunningExporter[] = [];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, [
    { domain: SILENT, kind: 'silent' },
    { domain: HEALTHY, kind: 'healthy' },
    { domain: REFUSES, kind: 'refuses-certificate' },
    { domain: DENIES, kind: 'denies-federation' },
    { domain: EXPIRING, kind: 'expiring', expiresInDays: 5 },
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(exporters.splice(0).map((e) => e.stop()));
  await federation?.close();
});

function exporterOptions(overrides: { dnsServer?: string; timeoutMs?: number; roundDeadlineMs?: number; concurrency?: number } = {}) {
  return {
    config: parseFederationConfig(federation.config),
    dnsServer: overrides.dnsServer ?? federation.dns.address,
    timeoutMs: overrides.timeoutMs ?? 1500,
    ca: { pems: [pki.ca.certPem], origin: 'ca.pem' },
    clientCertificate: { cert: pki.federator.chainPem, key: pki.federator.keyPem, origin: 'tls.crt' },
    peers: true,
    port: 0,
    intervalMs: 3_600_000,
    roundDeadlineMs: overrides.roundDeadlineMs,
    concurrency: overrides.concurrency,
  };
}

async function start(overrides: Parameters<typeof exporterOptions>[0] = {}): Promise<RunningExporter> {
  const exporter = await startExporter(exporterOptions(overrides));
  exporters.push(exporter);
  return exporter;
}

async function scrape(exporter: RunningExporter): Promise<ParsedMetrics> {
  const res = await fetch(`${exporter.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return parseMetrics(await res.text());
}

const ok = (m: ParsedMetrics, check: string, peer = ''): number[] => select(m, METRIC_NAMES.checkOk, { check, peer }).map((s) => s.value);
const status = (m: ParsedMetrics, check: string, peer = ''): string[] =>
  select(m, METRIC_NAMES.checkStatus, { check, peer })
    .filter((s) => s.value === 1)
    .map((s) => s.labels.status);

describe('one round against healthy and broken peers', () => {
  let exporter: RunningExporter;
  let metrics: ParsedMetrics;

  beforeAll(async () => {
    exporter = await start();
    await exporter.runRound();
    metrics = await scrape(exporter);
  }, 30_000);

  test('our own backend: DNS, certificate and mutual TLS pass', () => {
    for (const check of [
      'dns.srv',
      'dns.srv.target',
      'dns.srv.port',
      'dns.a',
      'tls.connect',
      'tls.san',
      'tls.expiry',
      'tls.chain',
      'mtls.required',
      'mtls.client',
    ]) {
      expect({ check, ok: ok(metrics, check), status: status(metrics, check) }).toEqual({ check, ok: [1], status: ['pass'] });
    }
  });

  test('the healthy peer: every check passes, versions overlap', () => {
    for (const check of ['remote', 'srv', 'tls', 'san', 'expiry', 'chain', 'accepts-us', 'federation.call']) {
      expect({ check, ok: ok(metrics, check, HEALTHY), status: status(metrics, check, HEALTHY) }).toEqual({ check, ok: [1], status: ['pass'] });
    }
    expect(valueOf(metrics, METRIC_NAMES.versionsOverlap, { peer: HEALTHY })).toBe(4);
    expect(valueOf(metrics, METRIC_NAMES.versionNegotiated, { peer: HEALTHY })).toBe(3);
  });

  test('a peer that refuses our certificate: accepts-us and federation.call are 0 (fail)', () => {
    expect(status(metrics, 'accepts-us', REFUSES)).toEqual(['fail']);
    expect(ok(metrics, 'accepts-us', REFUSES)).toEqual([0]);
    expect(status(metrics, 'federation.call', REFUSES)).toEqual(['fail']);
    expect(ok(metrics, 'srv', REFUSES)).toEqual([1]);
  });

  test('a peer whose federator does not list us: federation.call 0, its refusal in its own series', () => {
    const call = select(metrics, METRIC_NAMES.checkOk, { check: 'federation.call', peer: DENIES });
    expect(call.map((s) => [s.labels, s.value])).toEqual([[{ check: 'federation.call', peer: DENIES }, 0]]);
    expect(select(metrics, METRIC_NAMES.callRefusal, { peer: DENIES }).map((s) => [s.labels.refusal, s.value])).toEqual([['federation-denied', 1]]);
    // Only failing calls have one.
    expect(select(metrics, METRIC_NAMES.callRefusal, {}).map((s) => s.labels.peer)).toEqual([DENIES]);
    expect(ok(metrics, 'accepts-us', DENIES)).toEqual([1]);
  });

  test('an expiring peer certificate: its absolute expiry time, and a warning that still counts as working', () => {
    const seconds = valueOf(metrics, METRIC_NAMES.certificateNotAfter, { subject: 'peer', peer: EXPIRING }) - Date.now() / 1000;
    expect(valueOf(metrics, METRIC_NAMES.certificateLastSeen, { subject: 'peer', peer: EXPIRING })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(seconds).toBeGreaterThan(4 * DAY);
    expect(seconds).toBeLessThanOrEqual(5 * DAY); // notAfter has whole seconds
    expect(status(metrics, 'expiry', EXPIRING)).toEqual(['warn']);
    expect(ok(metrics, 'expiry', EXPIRING)).toEqual([1]);
    expect(valueOf(metrics, METRIC_NAMES.certificateNotAfter, { subject: 'peer_ca', peer: EXPIRING }) - Date.now() / 1000).toBeGreaterThan(3000 * DAY);
  });

  test('our certificate and CA: absolute expiry times', () => {
    const now = Date.now() / 1000;
    expect(valueOf(metrics, METRIC_NAMES.certificateNotAfter, { subject: 'federator', peer: '' }) - now).toBeGreaterThan(360 * DAY);
    expect(valueOf(metrics, METRIC_NAMES.certificateNotAfter, { subject: 'ca', peer: '' }) - now).toBeGreaterThan(3600 * DAY);
  });

  test('a peer that never answers is an error, never a pass; the checks after it are skipped', () => {
    expect(status(metrics, 'tls', SILENT)).toEqual(['error']);
    expect(ok(metrics, 'tls', SILENT)).toEqual([0]);
    for (const check of ['accepts-us', 'federation.call']) expect(status(metrics, check, SILENT)).toEqual(['skipped']);
    expect(
      select(metrics, METRIC_NAMES.checkStatus, { peer: SILENT, status: 'pass' })
        .filter((s) => s.value === 1)
        .map((s) => s.labels.check),
    ).toEqual(['remote', 'srv']);
  });

  test('every check has exactly one status set, out of the five', () => {
    const byCheck = new Map<string, number[]>();
    for (const s of select(metrics, METRIC_NAMES.checkStatus)) {
      const key = `${s.labels.peer}/${s.labels.check}`;
      byCheck.set(key, [...(byCheck.get(key) ?? []), s.value]);
    }
    expect(byCheck.size).toBeGreaterThan(40);
    for (const [key, values] of byCheck)
      expect({ key, values: values.length, set: values.filter((v) => v === 1).length }).toEqual({ key, values: CHECK_STATES.length, set: 1 });
  });

  test("round metrics, the info metric, prom-client's process metrics", () => {
    expect(valueOf(metrics, METRIC_NAMES.rounds)).toBe(1);
    expect(valueOf(metrics, METRIC_NAMES.roundDuration)).toBeGreaterThan(0);
    expect(valueOf(metrics, METRIC_NAMES.lastRound)).toBeGreaterThan(Date.now() / 1000 - 120);
    // Some checks fail: no successful round yet.
    expect(valueOf(metrics, METRIC_NAMES.lastSuccess)).toBe(0);
    expect(select(metrics, METRIC_NAMES.info)[0].labels).toMatchObject({ environment: 'alpha', backend_domain: BACKEND });
    expect(metrics.types.get(METRIC_NAMES.rounds)).toBe('counter');
    expect(metrics.types.get(METRIC_NAMES.checkOk)).toBe('gauge');
    expect(select(metrics, 'process_resident_memory_bytes')).toHaveLength(1);
  });

  test('no private key in the metrics', async () => {
    const text = await (await fetch(`${exporter.url}/metrics`)).text();
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(pki.federator.keyPem.split('\n')[1]);
  });

  test('/healthz answers ok, other paths 404', async () => {
    const health = await fetch(`${exporter.url}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
    expect((await fetch(`${exporter.url}/nope`)).status).toBe(404);
  });
});

describe('a slow peer does not hold up the others', () => {
  test('a peer without a verdict by the round deadline is an error; the healthy peer, checked after it, passes', async () => {
    // The silent peer waits for its TLS timeout (15 s), far beyond the round deadline (6 s); one
    // peer at a time after it would never get its turn, two workers leave one for the others.
    // (The other peers are quick, but on a loaded machine one of them may miss the deadline too.)
    const exporter = await start({ timeoutMs: 15_000, roundDeadlineMs: 6000, concurrency: 2 });
    const round = await exporter.runRound();
    expect(round.missedDeadline).toContain(SILENT);
    expect(round.missedDeadline).not.toContain(HEALTHY);
    const metrics = await scrape(exporter);
    for (const check of ['srv', 'tls', 'accepts-us', 'federation.call']) expect(status(metrics, check, SILENT)).toEqual(['error']);
    expect(status(metrics, 'federation.call', HEALTHY)).toEqual(['pass']);
    expect(valueOf(metrics, METRIC_NAMES.deadlineExceeded)).toBe(1);
  }, 30_000);
});

describe('a DNS server that does not answer', () => {
  let silentDns: TestDnsServer;
  beforeAll(async () => {
    silentDns = await startDnsServer({}, { silent: true });
  });
  afterAll(() => silentDns?.close());

  test('every lookup is an error (no verdict), nothing passes but the configured remotes', async () => {
    const exporter = await start({ dnsServer: silentDns.address, timeoutMs: 400 });
    await exporter.runRound();
    const metrics = await scrape(exporter);
    expect(status(metrics, 'dns.srv')).toEqual(['error']);
    expect(status(metrics, 'dns.a')).toEqual(['error']);
    expect(status(metrics, 'srv', HEALTHY)).toEqual(['error']);
    const passing = select(metrics, METRIC_NAMES.checkOk)
      .filter((s) => s.value === 1)
      .map((s) => s.labels.check);
    expect([...new Set(passing)]).toEqual(['remote']);
  }, 30_000);
});

describe('a peer that recovers', () => {
  test('its series turn from 0 to 1 in the next round; its refusal series disappears; the last success is set', async () => {
    const exporter = await start();
    await exporter.runRound(); // the first round, started with the exporter
    const before = await scrape(exporter);
    expect(select(before, METRIC_NAMES.checkOk, { check: 'federation.call', peer: DENIES }).map((s) => s.value)).toEqual([0]);
    expect(select(before, METRIC_NAMES.callRefusal, { peer: DENIES }).map((s) => [s.labels.refusal, s.value])).toEqual([['federation-denied', 1]]);
    expect(valueOf(before, METRIC_NAMES.peerLastSuccess, { peer: DENIES })).toBe(0);
    await federation.replacePeer({ domain: DENIES, kind: 'healthy' });
    await exporter.runRound();
    const after = await scrape(exporter);
    expect(select(after, METRIC_NAMES.checkOk, { check: 'federation.call', peer: DENIES }).map((s) => s.value)).toEqual([1]);
    expect(select(after, METRIC_NAMES.callRefusal, { peer: DENIES })).toEqual([]);
    expect(valueOf(after, METRIC_NAMES.peerLastSuccess, { peer: DENIES })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(valueOf(after, METRIC_NAMES.rounds)).toBe(2);
    await federation.replacePeer({ domain: DENIES, kind: 'denies-federation' });
  }, 30_000);
});
