/**
 * `wire-federation verify --serve`: the HTTP server of the exporter (`/metrics` in the
 * Prometheus text format, `/healthz`) and its schedule: a round (`./round.ts`) right away and
 * then one every interval, its results set on the metrics (`./metrics.ts`). Plain Node and
 * prom-client on its own registry: no cdktf.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Registry } from 'prom-client';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS } from '../../core/durations';
import { DEFAULT_INTERVAL_MS, staleRoundBoundMs } from '../checks/exporter';
import { createMetrics, processMetricsRegistry, recordRound } from './metrics';
import { ExporterCredentials, ExporterOptions, RoundResult, nextStart, runChecks } from './round';

/** Default `--listen`. 9464 is the port Prometheus' exporter list gives OpenTelemetry-style exporters; any free port works. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 9464 } as const;

/** A started exporter. */
export interface RunningExporter {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  /** The exporter's own registry (not prom-client's global one; emptied by `stop`). /metrics adds {@link processMetricsRegistry}. */
  readonly registry: Registry;
  /** The last completed round. */
  readonly lastRound: RoundResult | undefined;
  /** Runs a round now, or joins the one that is running; resolves when its metrics are set. */
  runRound(): Promise<RoundResult>;
  /**
   * Stops the schedule, ends a running round at once (its unfinished checks are not recorded)
   * and closes the listener and the metrics of the registry: it does not wait for a round, so a
   * pod stops well within its termination grace period.
   */
  stop(): Promise<void>;
}

/**
 * Timeouts of the metrics server, in milliseconds: a connection that does not send its request
 * headers within `headersMs` (or the whole request within `requestMs`) gets a 408 and is closed,
 * an idle keep-alive connection after `keepAliveMs`, any connection without traffic after `idleMs`.
 */
export const HTTP_TIMEOUTS = { headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000, idleMs: 30_000 } as const;

const gzipAsync = promisify(gzip);

/** The client accepts gzip (`Accept-Encoding: gzip`, without `;q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}

/** Checks the options of {@link startExporter}. @throws Error naming the option, the value received and what is allowed */
export function checkExporterOptions(options: Pick<ExporterOptions, 'intervalMs' | 'roundDeadlineMs' | 'timeoutMs' | 'concurrency' | 'port'>): void {
  const problems: string[] = [];
  const positive = (name: string, value: number | undefined, min: number, what: string): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= min)) problems.push(`${name} must be ${what}; received ${String(value)}`);
  };
  positive('intervalMs', options.intervalMs, MIN_INTERVAL_MS, `at least ${MIN_INTERVAL_MS} (1 s between two rounds)`);
  if (options.intervalMs !== undefined && options.intervalMs > MAX_INTERVAL_MS)
    problems.push(`intervalMs must be at most ${MAX_INTERVAL_MS} (24 h); received ${options.intervalMs}`);
  positive('roundDeadlineMs', options.roundDeadlineMs, Number.MIN_VALUE, 'a number of milliseconds above 0');
  positive('timeoutMs', options.timeoutMs, Number.MIN_VALUE, 'a number of milliseconds above 0');
  if (options.concurrency !== undefined && !(Number.isInteger(options.concurrency) && options.concurrency >= 1))
    problems.push(`concurrency must be a whole number of at least 1; received ${String(options.concurrency)}`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535))
    problems.push(`port must be a whole number between 0 and 65535; received ${String(options.port)}`);
  if (problems.length > 0) throw new Error(`startExporter: ${problems.join('; ')}`);
}

/** Starts the exporter: listens, runs a first round right away and then one every interval. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  checkExporterOptions(options);
  const registry = new Registry();
  const metrics = createMetrics(registry, options.config);
  metrics.credentialsReadOk.set(1);
  metrics.credentialsReadErrors.inc(0);
  const clock = options.clock ?? ((): Date => new Date());
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  let credentials: ExporterCredentials = {
    ca: options.ca,
    clientCertificate: options.clientCertificate,
    peerCas: options.peerCas,
    coturnCertificate: options.coturnCertificate,
  };
  let lastRound: RoundResult | undefined;
  let running: Promise<RoundResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let startAt = 0;
  const abort = new AbortController();
  const startedAt = Date.now();
  const reportError = (e: unknown, during: 'credentials' | 'round'): void => {
    try {
      options.onError?.(e instanceof Error ? e : new Error(String(e)), during);
    } catch {
      // A failing error callback must not end the exporter either.
    }
  };

  const runRound = (): Promise<RoundResult> => {
    if (running) return running;
    if (options.reloadCredentials) {
      try {
        credentials = options.reloadCredentials();
        metrics.credentialsReadOk.set(1);
      } catch (e) {
        metrics.credentialsReadOk.set(0);
        metrics.credentialsReadErrors.inc();
        reportError(e, 'credentials');
      }
    }
    const round = (async (): Promise<RoundResult> => {
      const result = await runChecks({ ...options, ...credentials, now: clock(), signal: abort.signal, startAt });
      if (stopped) return result;
      startAt = nextStart(startAt, result.missedDeadline, options.config.peers);
      recordRound(metrics, result, credentials.clientCertificate);
      lastRound = result;
      options.onRound?.(result);
      return result;
    })();
    running = round.finally(() => {
      running = undefined;
    });
    return running;
  };
  const schedule = (): void => {
    if (stopped) return;
    const began = Date.now();
    runRound()
      .catch((e: unknown) => {
        metrics.errors.inc();
        reportError(e, 'round');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(schedule, Math.max(0, intervalMs - (Date.now() - began)));
      });
  };

  const server = http.createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersMs,
      requestTimeout: HTTP_TIMEOUTS.requestMs,
      keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      } else if (path === '/metrics') {
        const served = Registry.merge([registry, processMetricsRegistry()]);
        const gzip = acceptsGzip(req.headers['accept-encoding']);
        served
          .metrics()
          .then(async (text) => {
            const headers = { 'Content-Type': served.contentType, Vary: 'Accept-Encoding' };
            const body = gzip ? await gzipAsync(text) : Buffer.from(text, 'utf8');
            res.writeHead(200, { ...headers, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), 'Content-Length': String(body.length) }).end(body);
          })
          .catch((e: Error) => {
            if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${e.message}\n`);
            else res.destroy();
          });
      } else if (path === '/healthz') {
        // Healthy while rounds keep completing: a scheduler that hangs fails the liveness probe.
        const since = lastRound ? Date.now() - (lastRound.startedAt.getTime() + lastRound.durationSeconds * 1000) : Date.now() - startedAt;
        const ok = since <= staleRoundBoundMs(intervalMs, options.roundDeadlineMs ?? intervalMs);
        res
          .writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' })
          .end(ok ? (lastRound ? 'ok\n' : 'ok: first round running\n') : `no round completed for ${Math.round(since / 1000)} s\n`);
      } else {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: see /metrics and /healthz\n');
      }
    },
  );
  // A connection that stays open without a request (half-open, a slow client) is closed.
  server.setTimeout(HTTP_TIMEOUTS.idleMs, (socket) => socket.destroy());
  const listenHost = options.host ?? DEFAULT_LISTEN.host;
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      // An empty host: every address. Without a host Node listens on :: dual stack (IPv6 and
      // IPv4), or on 0.0.0.0 where the machine has no IPv6.
      if (listenHost === '') server.listen(options.port ?? DEFAULT_LISTEN.port, () => done());
      else server.listen(options.port ?? DEFAULT_LISTEN.port, listenHost, () => done());
    });
  } catch (e) {
    registry.clear();
    throw e;
  }
  const { port, address } = server.address() as AddressInfo;
  const host = listenHost === '' ? address : listenHost;
  schedule();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    registry,
    get lastRound() {
      return lastRound;
    },
    runRound,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      // Ends the running round's wait at once: its checks stop being waited for, nothing is recorded.
      abort.abort();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      registry.clear();
    },
  };
}
