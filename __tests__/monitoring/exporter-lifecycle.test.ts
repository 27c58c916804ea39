/**
 * The exporter's life cycle (lib/verify/serve.ts): options checked at start, a failing round
 * does not wedge the schedule, stop() does not wait for a round and frees its registry, an
 * empty listen address is dual stack, a deadline-missed part reports every check id, and the
 * refusal label values stay bounded. Against the fake federation and the test DNS server on
 * 127.0.0.1.
 */
import * as net from 'node:net';
import { PEER_CHECKS, VERIFY_CHECKS } from '../../lib/verify/checks';
import { FEDERATOR_REFUSAL_LABELS, judgeFederationCall } from '../../lib/verify/federation-call-check';
import { leafOf } from '../../lib/verify/verify';
import { METRIC_NAMES, OWN_IDS, PEER_IDS, RunningExporter, processMetricsRegistry, refusalLabel, runChecks, startExporter } from '../../lib/verify/serve';
import { parseListen } from '../../bin/options';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { FakeFederation, FakeFederationPki, exporterOptionsFor, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { parseMetrics, valueOf } from '../support/prometheus-text';

const HEALTHY = 'wire.beta.test';
let pki: FakeFederationPki;
let federation: FakeFederation;
let silentDns: TestDnsServer;
const exporters: RunningExporter[] = [];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, [{ domain: HEALTHY, kind: 'healthy' }]);
  silentDns = await startDnsServer({}, { silent: true });
}, 60_000);

afterAll(async () => {
  await Promise.all(exporters.splice(0).map((e) => e.stop()));
  await Promise.all([federation?.close(), silentDns?.close()]);
});

const options = (overrides: Record<string, unknown> = {}) => ({ ...exporterOptionsFor(federation, pki, 1500, 3_600_000), ...overrides });

async function start(overrides: Record<string, unknown> = {}): Promise<RunningExporter> {
  const exporter = await startExporter(options(overrides));
  exporters.push(exporter);
  return exporter;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!condition()) throw new Error(`never happened: ${what}`);
}

describe('startExporter checks its options', () => {
  test.each([
    ['intervalMs', 0, /intervalMs must be at least 1000 .*; received 0/],
    ['intervalMs', 500, /intervalMs must be at least 1000 .*; received 500/],
    ['intervalMs', 90_000_000, /intervalMs must be at most 86400000 .*; received 90000000/],
    ['roundDeadlineMs', 0, /roundDeadlineMs must be a number of milliseconds above 0; received 0/],
    ['timeoutMs', -1, /timeoutMs must be a number of milliseconds above 0; received -1/],
    ['timeoutMs', Number.NaN, /timeoutMs must be .*; received NaN/],
    ['concurrency', 0, /concurrency must be a whole number of at least 1; received 0/],
  ])('%s %p is refused with the value received', async (name, value, message) => {
    await expect(startExporter(options({ [name]: value }))).rejects.toThrow(message);
  });
});

describe('a round that fails', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown): void => void unhandled.push(e);
  beforeAll(() => process.on('unhandledRejection', onUnhandled));
  afterAll(() => process.off('unhandledRejection', onUnhandled));

  test('is reported through onError and counted; the next round runs; no unhandled rejection', async () => {
    const errors: string[] = [];
    let rounds = 0;
    const exporter = await start({
      intervalMs: 1000,
      onRound: () => {
        rounds++;
        if (rounds === 1) throw new Error('onRound broke');
      },
      onError: (e: Error, during: string) => errors.push(`${during}: ${e.message}`),
    });
    await until(() => rounds >= 2, 'a second round after the failed one');
    expect(errors).toEqual(['round: onRound broke']);
    const metrics = parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text());
    expect(valueOf(metrics, METRIC_NAMES.roundErrors)).toBe(1);
    expect(valueOf(metrics, METRIC_NAMES.rounds)).toBeGreaterThanOrEqual(2);
    await exporter.stop();
    expect(unhandled).toEqual([]);
  }, 30_000);

  test('runRound() after a failed round starts a new one instead of returning the failure again', async () => {
    let calls = 0;
    const exporter = await start({
      onRound: () => {
        calls++;
        if (calls === 1) throw new Error('first round broke');
      },
    });
    // The first round starts at once; join it (it fails), then ask for another.
    await expect(exporter.runRound()).rejects.toThrow('first round broke');
    const second = await exporter.runRound();
    expect(second.states.length).toBeGreaterThan(0);
    expect(calls).toBe(2);
  }, 30_000);
});

describe('stop()', () => {
  test('does not wait for a running round: the round is abandoned, nothing of it recorded', async () => {
    // Every lookup waits for its timeout of 20 s against a DNS server that never answers; the
    // round deadline is the interval (1 h). stop() must not wait for it (the test would time out).
    const exporter = await start({ dnsServer: silentDns.address, timeoutMs: 20_000 });
    const round = exporter.runRound();
    await exporter.stop();
    const result = await round;
    expect(result.missedDeadline.length).toBeGreaterThan(0);
    expect(exporter.lastRound).toBeUndefined();
  }, 15_000);

  test('empties the exporter registry; start and stop in a loop share one set of process metrics', async () => {
    const before = processMetricsRegistry().getMetricsAsArray().length;
    for (let i = 0; i < 5; i++) {
      const exporter = await startExporter(options({ dnsServer: silentDns.address, timeoutMs: 200 }));
      const text = await (await fetch(`${exporter.url}/metrics`)).text();
      expect(text).toContain('process_resident_memory_bytes');
      await exporter.stop();
      expect(exporter.registry.getMetricsAsArray()).toEqual([]);
    }
    expect(processMetricsRegistry().getMetricsAsArray().length).toBe(before);
  }, 30_000);
});

describe('listening', () => {
  test('--listen :9464 is every address', () => {
    expect(parseListen(':9464')).toEqual({ host: '', port: 9464 });
  });

  test('an empty host answers on IPv4 and, where the machine has IPv6, on IPv6 too', async () => {
    const exporter = await start({ host: '' });
    expect((await fetch(`http://127.0.0.1:${exporter.port}/healthz`)).status).toBe(200);
    const ipv6 = await new Promise<boolean>((done) => {
      const probe = net.createServer().once('error', () => done(false));
      probe.listen(0, '::1', () => probe.close(() => done(true)));
    });
    if (!ipv6) {
      console.log('SKIPPED: no IPv6 loopback (::1) on this machine: the IPv6 half of the dual-stack listener is not checked');
      return;
    }
    expect((await fetch(`http://[::1]:${exporter.port}/healthz`)).status).toBe(200);
  }, 30_000);
});

describe('a part without a verdict by the round deadline', () => {
  test('reports every check id verify reports for it as error (not the card-only ones)', async () => {
    const round = await runChecks({ ...options({ dnsServer: silentDns.address, timeoutMs: 20_000, roundDeadlineMs: 300 }), now: new Date() });
    const errors = new Set(round.states.filter((s) => s.state === 'error').map((s) => s.id));
    const ownIds = Object.keys(VERIFY_CHECKS).filter((id) => id !== 'peers');
    const peerIds = Object.keys(PEER_CHECKS).filter((id) => !['srv.target', 'srv.port', 'chain.depth', 'versions'].includes(id));
    expect([...OWN_IDS].sort()).toEqual(ownIds.sort());
    expect([...PEER_IDS].sort()).toEqual(peerIds.sort());
    // Calling is off in this config: its checks are not reported at all.
    expect(ownIds.filter((id) => !id.startsWith('calling.') && !errors.has(id))).toEqual([]);
    expect(peerIds.filter((id) => !id.startsWith('calling.') && !errors.has(`peer[${HEALTHY}].${id}`))).toEqual([]);
    expect([...errors].filter((id) => id.includes('calling.'))).toEqual([]);
    expect([...errors].filter((id) => /\.(srv\.target|srv\.port|chain\.depth|versions)$/.test(id) && id.startsWith('peer['))).toEqual([]);
  }, 15_000);
});

describe('refusal labels', () => {
  test('the labels verify knows are kept; anything else a peer sends is "other"', () => {
    for (const label of FEDERATOR_REFUSAL_LABELS) expect(refusalLabel(label)).toBe(label);
    expect(refusalLabel('made-up-by-the-peer')).toBe('other');
    expect(refusalLabel('x'.repeat(200))).toBe('other');
    expect(refusalLabel(42)).toBe('other');
    expect(refusalLabel(undefined)).toBe('');
  });

  test('the allowlist is what verify explains: each of its labels has its own fix, an unknown one the generic one', () => {
    const hint = (label: string): string | undefined =>
      judgeFederationCall(
        {
          endpoint: 'f.blue.test:443 at 192.0.2.1',
          handshake: true,
          timeoutMs: 1000,
          response: { status: 400, statusText: 'Bad Request', contentType: 'application/json', body: JSON.stringify({ code: 400, label, message: '' }) },
        },
        {
          id: 'live[red→blue]',
          caller: { name: 'red', domain: 'red.test' },
          callee: { name: 'blue', domain: 'blue.test' },
          callerCertificate: leafOf(pki.federator.chainPem),
          callerCertificateOrigin: 'red.pem',
          versions: { list: [0, 1, 2, 3], source: 'test' },
        },
      ).hint;
    const generic = hint('made-up-by-the-peer');
    expect(generic).toContain('its operator finds the cause');
    expect(FEDERATOR_REFUSAL_LABELS.filter((label) => hint(label) === generic)).toEqual([]);
  });
});
