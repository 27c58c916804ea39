/**
 * `npm run soak:exporter`: is the exporter's memory flat over many rounds?
 *
 * Starts a fake federation on 127.0.0.1 (SOAK_PEERS healthy peers: ingress, federator and brig
 * as in the tests, and the test DNS server) and, in a process of its own, the exporter
 * (`startExporter`, as `verify --serve` runs it: certificates read again from files before every
 * round, a log line per round), which runs SOAK_ROUNDS rounds back to back (no wait between
 * them: the interval only spaces rounds out, the work per round is the same) and is scraped
 * (gzip) after each one. After every round the exporter process reports its V8 heap in use
 * (after a full garbage collection), RSS, external memory and open file descriptors.
 *
 * The first half of the rounds is warm-up; over the second half a least-squares line is fitted to
 * each series, and the growth it predicts over those rounds is compared with a bound. Exits 1
 * when any series grows (heap, RSS or file descriptors), 0 when flat; prints the figures either
 * way. Environment: SOAK_PEERS (default 200), SOAK_ROUNDS (1000), SOAK_CONCURRENCY (16),
 * SOAK_TIMEOUT_MS (5000), SOAK_HEAP_MIB / SOAK_RSS_MIB / SOAK_FDS (bounds of the predicted
 * growth over the second half; defaults 1 MiB + 2 % of the mean, 4 MiB + 3 %, 2), SOAK_JSON (write the
 * samples to this file as they come, one JSON line each).
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFederationPki, startFakeFederation } from '../__tests__/support/fake-federation';
import { TempDir, writeConfig } from '../__tests__/verify/harness';
import type { SoakSample, WorkerSetup } from './soak-exporter-worker';

/** The least-squares line through (x, y). */
export function fitLine(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, intercept: points[0]?.y ?? 0 };
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - mx) * (p.y - my);
    sxx += (p.x - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** One series' verdict: the growth the fitted line predicts over the second half, against a bound. */
export interface Trend {
  readonly name: string;
  readonly first: number;
  readonly warmedUp: number;
  readonly last: number;
  readonly perRound: number;
  readonly growth: number;
  readonly bound: number;
  readonly grows: boolean;
}

/** Fits `value` over the second half of `samples` (the first half is warm-up). */
export function trendOf(name: string, samples: readonly SoakSample[], value: (s: SoakSample) => number, bound: (mean: number) => number): Trend {
  const half = samples.slice(Math.floor(samples.length / 2));
  const { slope } = fitLine(half.map((s) => ({ x: s.round, y: value(s) })));
  const mean = half.reduce((a, s) => a + value(s), 0) / Math.max(1, half.length);
  const span = half.length > 1 ? half[half.length - 1].round - half[0].round : 0;
  const growth = slope * span;
  const limit = bound(mean);
  return {
    name,
    first: value(samples[0]),
    warmedUp: value(half[0]),
    last: value(samples[samples.length - 1]),
    perRound: slope,
    growth,
    bound: limit,
    grows: growth > limit,
  };
}

const MIB = 1024 * 1024;
const num = (name: string, fallback: number): number => (process.env[name] !== undefined && process.env[name] !== '' ? Number(process.env[name]) : fallback);

async function parent(): Promise<void> {
  const peers = num('SOAK_PEERS', 200);
  const rounds = num('SOAK_ROUNDS', 1000);
  const concurrency = num('SOAK_CONCURRENCY', 16);
  const timeoutMs = num('SOAK_TIMEOUT_MS', 5000);
  const heapMib = num('SOAK_HEAP_MIB', 1);
  const rssMib = num('SOAK_RSS_MIB', 4);
  const fdBound = num('SOAK_FDS', 2);
  if (!(rounds >= 10)) throw new Error(`SOAK_ROUNDS must be at least 10; received ${rounds}`);
  const began = Date.now();
  const pki = await makeFederationPki();
  const federation = await startFakeFederation(
    pki,
    Array.from({ length: peers }, (_, i) => ({ domain: `peer-${i}.soak.test`, kind: 'healthy' as const })),
  );
  const dir = new TempDir();
  const samples: SoakSample[] = [];
  if (process.env.SOAK_JSON) writeFileSync(process.env.SOAK_JSON, '');
  let workerExit: number | null;
  try {
    const setup: WorkerSetup = {
      configFile: writeConfig(dir, federation.config),
      dnsServer: federation.dns.address,
      caFile: dir.file('ca.pem', pki.ca.certPem),
      certFile: dir.file('tls.crt', pki.federator.chainPem),
      keyFile: dir.file('tls.key', pki.federator.keyPem),
      rounds,
      concurrency,
      timeoutMs,
    };
    process.stdout.write(
      `soak: ${peers} fake peers started in ${((Date.now() - began) / 1000).toFixed(1)} s; ${rounds} rounds back to back, concurrency ${concurrency}\n`,
    );
    const child = fork(join(__dirname, 'soak-exporter-worker.ts'), [JSON.stringify(setup)], {
      execArgv: ['--expose-gc', '--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const step = Math.max(1, Math.floor(rounds / 10));
    workerExit = await new Promise<number | null>((done) => {
      child.on('message', (msg: SoakSample | { done: true }) => {
        if ('done' in msg) return;
        samples.push(msg);
        if (process.env.SOAK_JSON) appendFileSync(process.env.SOAK_JSON, `${JSON.stringify(msg)}\n`);
        if (msg.round === 1 || msg.round % step === 0) {
          process.stdout.write(
            `round ${String(msg.round).padStart(5)}: ${msg.roundSeconds.toFixed(2)} s, heap ${(msg.heapUsed / MIB).toFixed(1)} MiB, RSS ${(msg.rss / MIB).toFixed(1)} MiB, external ${(msg.external / MIB).toFixed(1)} MiB, fds ${msg.fds}, scrape ${(msg.scrapeBytes / 1024).toFixed(0)} KiB on the wire (gzip)\n`,
          );
        }
      });
      child.once('exit', (code) => done(code));
    });
  } finally {
    await federation.close();
    dir.cleanup();
  }
  if (workerExit !== 0 || samples.length < rounds) {
    process.stderr.write(`soak: the exporter process ended with ${String(workerExit)} after ${samples.length} of ${rounds} rounds\n`);
    process.exit(1);
  }
  const trends = [
    trendOf(
      'heap used (MiB)',
      samples,
      (s) => s.heapUsed / MIB,
      (mean) => heapMib + 0.02 * mean,
    ),
    trendOf(
      'RSS (MiB)',
      samples,
      (s) => s.rss / MIB,
      (mean) => rssMib + 0.03 * mean,
    ),
    trendOf(
      'external (MiB)',
      samples,
      (s) => s.external / MIB,
      (mean) => heapMib + 0.02 * mean,
    ),
    ...(samples[0].fds >= 0
      ? [
          trendOf(
            'open fds',
            samples,
            (s) => s.fds,
            () => fdBound,
          ),
        ]
      : []),
  ];
  const times = samples.map((s) => s.roundSeconds).sort((a, b) => a - b);
  const q = (p: number): number => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const healthz = samples.map((s) => s.healthzMs).sort((a, b) => a - b);
  process.stdout.write(
    `/healthz during rounds: median of the slowest per round ${healthz[Math.floor(healthz.length / 2)].toFixed(0)} ms, max ${healthz[healthz.length - 1].toFixed(0)} ms; peak RSS ${(Math.max(...samples.map((s) => s.rss)) / MIB).toFixed(0)} MiB\n`,
  );
  process.stdout.write(
    `round duration: median ${q(0.5).toFixed(2)} s, p95 ${q(0.95).toFixed(2)} s, max ${q(1).toFixed(2)} s; soak took ${((Date.now() - began) / 1000).toFixed(0)} s\n`,
  );
  process.stdout.write(`trend over rounds ${samples[Math.floor(samples.length / 2)].round}-${rounds} (least squares; growth = slope x rounds):\n`);
  for (const t of trends) {
    process.stdout.write(
      `  ${t.name.padEnd(16)} round 1 ${t.first.toFixed(1)}, warmed up ${t.warmedUp.toFixed(1)}, last ${t.last.toFixed(1)}; ${t.perRound >= 0 ? '+' : ''}${(t.perRound * 1000).toFixed(2)} per 1000 rounds, growth ${t.growth.toFixed(2)} (bound ${t.bound.toFixed(2)}): ${t.grows ? 'GROWS' : 'flat'}\n`,
    );
  }
  const growing = trends.filter((t) => t.grows);
  if (growing.length > 0) {
    process.stderr.write(`soak: ${growing.map((t) => t.name).join(', ')} grow after warm-up\n`);
    process.exit(1);
  }
  process.stdout.write('soak: flat\n');
}

if (require.main === module) {
  parent().catch((e: Error) => {
    process.stderr.write(`soak-exporter: ${e.message}\n`);
    process.exit(1);
  });
}
