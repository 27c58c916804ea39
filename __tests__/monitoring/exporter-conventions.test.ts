/**
 * The exporter's conventions (lib/verify/serve.ts): rounds start where the last one was cut off,
 * /metrics is gzip-compressed for clients that accept it, half-open connections are closed,
 * unreadable certificate files are a metric, expiry series keep their last value while a peer is
 * down, an expired peer certificate fails the federation call, and the round's log line is
 * bounded. Against the fake federation and the test DNS server on 127.0.0.1.
 */
import * as net from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ROUND_LINE_MAX_IDS, roundLine } from '../../bin/commands/verify';
import { HTTP_TIMEOUTS, METRIC_NAMES, RoundResult, RunningExporter, acceptsGzip, nextStart, runChecks, startExporter } from '../../lib/verify/serve';
import { FakeFederation, FakeFederationPki, exporterOptionsFor, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { parseMetrics, valueOf } from '../support/prometheus-text';

const HEALTHY = 'wire.beta.test';
const EXPIRED = 'wire.expired.test';
let pki: FakeFederationPki;
let federation: FakeFederation;
const exporters: RunningExporter[] = [];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, [
    { domain: HEALTHY, kind: 'healthy' },
    { domain: EXPIRED, kind: 'expiring', expiresInDays: -2 },
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(exporters.splice(0).map((e) => e.stop()));
  await federation?.close();
});

async function start(overrides: Record<string, unknown> = {}): Promise<RunningExporter> {
  const exporter = await startExporter({ ...exporterOptionsFor(federation, pki, 1500, 3_600_000), ...overrides });
  exporters.push(exporter);
  return exporter;
}

describe('rounds fair to every peer', () => {
  const peers = ['a', 'b', 'c', 'd'].map((domain) => ({ domain }));
  test('the next round starts at the first peer the deadline cut off', () => {
    expect(nextStart(0, ['c', 'd'], peers)).toBe(2);
    // Rotated: this round started at c (c, d, a, b); a and b were late: a first.
    expect(nextStart(2, ['b', 'a'], peers)).toBe(0);
  });
  test('without late peers it moves on by one, so no peer is always last', () => {
    expect(nextStart(0, [], peers)).toBe(1);
    expect(nextStart(3, [], peers)).toBe(0);
    expect(nextStart(5, ['wire.alpha.test'], [])).toBe(0);
  });
  test('runChecks reports the peers in config order whatever the start', async () => {
    const options = { ...exporterOptionsFor(federation, pki, 1500, 3_600_000), now: new Date() };
    const round = await runChecks({ ...options, startAt: 1 });
    const peerOrder = [...new Set(round.report.checks.map((c) => /^peer\[([^\]]+)\]/.exec(c.id)?.[1]).filter(Boolean))];
    expect(peerOrder).toEqual([HEALTHY, EXPIRED]);
  }, 30_000);
});

describe('the round log line', () => {
  test('names at most ROUND_LINE_MAX_IDS checks and counts the rest', () => {
    const states = Array.from({ length: 200 }, (_, i) => ({ id: `peer[p${i}.example].federation.call`, state: 'error' as const }));
    const round = { states, startedAt: new Date(0), durationSeconds: 1, missedDeadline: states.map((_, i) => `p${i}.example`) } as unknown as RoundResult;
    const line = roundLine(round);
    expect(line).toContain(`and ${200 - ROUND_LINE_MAX_IDS} more`);
    expect(line.length).toBeLessThan(3000);
    expect(line).toContain('200 could not run');
  });
});

describe('the metrics server', () => {
  test('Accept-Encoding decides gzip', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  test('/metrics is gzip for a client that accepts it, plain text otherwise', async () => {
    const exporter = await start();
    await exporter.runRound();
    const url = new URL(`${exporter.url}/metrics`);
    const get = (encoding?: string) =>
      new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((done, fail) => {
        const socket = net.connect(Number(url.port), url.hostname, () =>
          socket.write(`GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${encoding ? `Accept-Encoding: ${encoding}\r\n` : ''}\r\n`),
        );
        const chunks: Buffer[] = [];
        socket.on('data', (d: Buffer) => chunks.push(d));
        socket.on('error', fail);
        socket.on('end', () => {
          const raw = Buffer.concat(chunks);
          const end = raw.indexOf('\r\n\r\n');
          const head = raw.subarray(0, end).toString('latin1').split('\r\n').slice(1);
          const headers = Object.fromEntries(head.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
          let body = raw.subarray(end + 4);
          if (headers['transfer-encoding'] === 'chunked') {
            const parts: Buffer[] = [];
            for (let i = 0; ;) {
              const lineEnd = body.indexOf('\r\n', i);
              const size = parseInt(body.subarray(i, lineEnd).toString(), 16);
              if (!size) break;
              parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
              i = lineEnd + 2 + size + 2;
            }
            body = Buffer.concat(parts);
          }
          done({ headers, body });
        });
      });
    const zipped = await get('gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    const text = gunzipSync(zipped.body).toString('utf8');
    expect(text).toContain(METRIC_NAMES.checkOk);
    const plain = await get();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toContain(METRIC_NAMES.checkOk);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
  }, 30_000);

  test('the server has timeouts for requests that never complete', () => {
    expect(HTTP_TIMEOUTS.headersMs).toBeLessThanOrEqual(HTTP_TIMEOUTS.requestMs);
    expect(HTTP_TIMEOUTS.idleMs).toBeLessThanOrEqual(60_000);
  });

  test(
    'a connection that never sends a whole request is closed',
    async () => {
      const exporter = await start();
      const url = new URL(exporter.url);
      const began = Date.now();
      const closed = await new Promise<number>((done) => {
        const socket = net.connect(Number(url.port), url.hostname, () => socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n'));
        socket.on('data', () => undefined);
        socket.on('error', () => undefined);
        socket.on('close', () => done(Date.now() - began));
      });
      expect(closed).toBeLessThan(HTTP_TIMEOUTS.requestMs + 5_000);
    },
    HTTP_TIMEOUTS.requestMs + 20_000,
  );
});

describe('what the metrics keep', () => {
  test('certificate files that cannot be read: credentials_read_ok 0 and a count; the previous ones stay', async () => {
    let fail = false;
    const errors: string[] = [];
    const base = exporterOptionsFor(federation, pki, 1500, 3_600_000);
    const exporter = await start({
      reloadCredentials: () => {
        if (fail) throw new Error('--client-cert: cannot read "tls.crt" (EACCES)');
        return { ca: base.ca, clientCertificate: base.clientCertificate };
      },
      onError: (e: Error) => errors.push(e.message),
    });
    await exporter.runRound();
    const scrape = async () => parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text());
    expect(valueOf(await scrape(), METRIC_NAMES.credentialsReadOk)).toBe(1);
    fail = true;
    await exporter.runRound();
    const m = await scrape();
    expect(valueOf(m, METRIC_NAMES.credentialsReadOk)).toBe(0);
    expect(valueOf(m, METRIC_NAMES.credentialsReadErrors)).toBe(1);
    expect(valueOf(m, METRIC_NAMES.checkOk, { check: 'federation.call', peer: HEALTHY })).toBe(1);
    expect(errors).toEqual(['--client-cert: cannot read "tls.crt" (EACCES)']);
  }, 30_000);

  test('a peer that goes down keeps its expiry (last value) with the time it was last seen', async () => {
    const exporter = await start();
    await exporter.runRound();
    const scrape = async () => parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text());
    const before = await scrape();
    const notAfter = valueOf(before, METRIC_NAMES.certificateNotAfter, { subject: 'peer', peer: HEALTHY });
    const seen = valueOf(before, METRIC_NAMES.certificateLastSeen, { subject: 'peer', peer: HEALTHY });
    await federation.replacePeer({ domain: HEALTHY, kind: 'silent' });
    try {
      await exporter.runRound();
      const after = await scrape();
      expect(valueOf(after, METRIC_NAMES.checkStatus, { check: 'tls', peer: HEALTHY, status: 'error' })).toBe(1);
      expect(valueOf(after, METRIC_NAMES.certificateNotAfter, { subject: 'peer', peer: HEALTHY })).toBe(notAfter);
      expect(valueOf(after, METRIC_NAMES.certificateLastSeen, { subject: 'peer', peer: HEALTHY })).toBe(seen);
    } finally {
      await federation.replacePeer({ domain: HEALTHY, kind: 'healthy' });
    }
  }, 60_000);
});

describe('an expired peer certificate', () => {
  test('fails the federation call (our federator would refuse it), and its expiry check', async () => {
    const round = await runChecks({ ...exporterOptionsFor(federation, pki, 1500, 3_600_000), now: new Date() });
    const call = round.report.checks.find((c) => c.id === `peer[${EXPIRED}].federation.call`)!;
    expect(call.status).toBe('fail');
    expect(call.message).toMatch(/would refuse wire\.expired\.test's certificate, which expired on \d{4}-\d\d-\d\d/);
    expect(round.report.checks.find((c) => c.id === `peer[${EXPIRED}].expiry`)!.status).toBe('fail');
    expect(round.report.checks.find((c) => c.id === `peer[${HEALTHY}].federation.call`)!.status).toBe('pass');
  }, 30_000);
});
