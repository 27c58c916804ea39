/**
 * The exporter's process of `scripts/soak-exporter.ts`: only what `verify --serve` loads (no test
 * support, no fakes), so that its memory is the exporter's. Runs the rounds back to back and
 * sends a sample to the parent after each one.
 */
import { readdirSync } from 'node:fs';
import { roundLine } from '../bin/commands/verify';
import { readCertificates, readClientCertificate } from '../bin/options';
import { loadConfigFile } from '../lib/config/load';
import { startExporter } from '../lib/verify/serve';
import { meshRoundExtra } from '../lib/mesh/exporter';

/** One sample of the exporter process, after a round. */
export interface SoakSample {
  readonly round: number;
  readonly heapUsed: number;
  readonly rss: number;
  readonly external: number;
  readonly fds: number;
  readonly roundSeconds: number;
  readonly scrapeBytes: number;
  /** The slowest /healthz answer while the round ran (asked every 250 ms), in milliseconds. */
  readonly healthzMs: number;
}

export interface WorkerSetup {
  readonly configFile: string;
  readonly dnsServer: string;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly rounds: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

/** The exporter's process: rounds back to back, a sample after each. */
export async function worker(setup: WorkerSetup): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run the worker with --expose-gc');
  const config = loadConfigFile(setup.configFile);
  const credentials = () => ({
    ca: readCertificates('--ca', setup.caFile),
    clientCertificate: readClientCertificate(setup.certFile, setup.keyFile),
    peerCas: new Map(),
  });
  let logged = 0;
  const exporter = await startExporter({
    config,
    // As verify --serve runs it: with the federation mesh in every round.
    extras: [meshRoundExtra()],
    dnsServer: setup.dnsServer,
    timeoutMs: setup.timeoutMs,
    peers: true,
    port: 0,
    // Rounds are started here, one after the other; the schedule only runs the first one.
    intervalMs: 24 * 3600 * 1000,
    concurrency: setup.concurrency,
    ...credentials(),
    reloadCredentials: credentials,
    onRound: (round) => (logged += roundLine(round).length),
    onError: (e) => process.stderr.write(`soak worker: ${e.message}\n`),
  });
  const fdCount = (): number => {
    try {
      return readdirSync('/proc/self/fd').length;
    } catch {
      return -1;
    }
  };
  for (let round = 1; round <= setup.rounds; round++) {
    const running = exporter.runRound();
    let ended = false;
    void running.finally(() => (ended = true));
    let healthzMs = 0;
    // What the kubelet's probes see: /healthz while a round keeps the event loop busy.
    const probing = (async (): Promise<void> => {
      while (!ended) {
        const began = performance.now();
        await (await fetch(`${exporter.url}/healthz`)).text();
        healthzMs = Math.max(healthzMs, performance.now() - began);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const result = await running;
    await probing;
    const res = await fetch(`${exporter.url}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } });
    const body = Buffer.from(await res.arrayBuffer());
    // fetch decompresses by itself; the length is what went over the wire when it did not.
    const scrapeBytes = Number(res.headers.get('content-length') ?? body.length);
    gc();
    const m = process.memoryUsage();
    const sample: SoakSample = {
      round,
      heapUsed: m.heapUsed,
      rss: m.rss,
      external: m.external,
      fds: fdCount(),
      roundSeconds: result.durationSeconds,
      scrapeBytes,
      healthzMs,
    };
    process.send!(sample);
  }
  await exporter.stop();
  process.send!({ done: true, logged });
}

if (require.main === module) {
  worker(JSON.parse(process.argv[2]) as WorkerSetup).catch((e: Error) => {
    process.stderr.write(`soak worker: ${e.stack ?? e.message}\n`);
    process.exit(1);
  });
}
