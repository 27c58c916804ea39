/**
 * `npm run bench:mesh`: the federation mesh with 50 fake peers on 127.0.0.1 (each an ingress, a
 * federator and a brig that answers get-not-fully-connected-backends, as in the tests): 50 calls
 * per round, 2,450 directed links between the peers (plus 100 with us). Each peer lacks one other
 * (peer i does not list peer i+1), so every round finds 50 missing links.
 *
 * Prints each round's duration against the exporter's interval, the links by state, the time to
 * render the matrix as text, JSON and DOT, and the memory of this process; then whole exporter
 * rounds (`startExporter`: every verify check of every peer AND the mesh, the same deadline) with
 * the mesh series they publish. All in one process with the fake peers, so the figures are an
 * upper bound for the exporter alone. BENCH_PEERS (50),
 * BENCH_ROUNDS (10), BENCH_INTERVAL_S (60, the exporter's default) and BENCH_CONCURRENCY (16)
 * change the size.
 */
import 'reflect-metadata';
import { parseFederationConfig } from '../lib/config';
import { countLinks } from '../lib/mesh/matrix';
import { measureMesh } from '../lib/mesh/measure';
import { renderMeshDot, renderMeshJson, renderMeshText } from '../lib/mesh/render';
import { MESH_METRIC_NAMES } from '../lib/mesh/metrics';
import { startExporter } from '../lib/verify/serve';
import { meshRoundExtra } from '../lib/mesh/exporter';
import { exporterOptionsFor, makeFederationPki, startFakeFederation } from '../__tests__/support/fake-federation';
import { parseMetrics, select } from '../__tests__/support/prometheus-text';

const PEERS = Number(process.env.BENCH_PEERS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const pki = await makeFederationPki();
  const domains = Array.from({ length: PEERS }, (_, i) => `peer-${i}.bench.test`);
  const started = Date.now();
  const federation = await startFakeFederation(
    pki,
    domains.map((domain, i) => ({ domain, kind: 'healthy' as const, federatesWith: domains.filter((_, j) => j !== i && j !== (i + 1) % PEERS) })),
  );
  process.stdout.write(
    `${PEERS} fake peers started in ${((Date.now() - started) / 1000).toFixed(1)} s; ${PEERS * (PEERS - 1)} directed links between peers, ${2 * PEERS} with us; concurrency ${CONCURRENCY}\n`,
  );
  const config = parseFederationConfig(federation.config);
  const durations: number[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const began = process.hrtime.bigint();
      const matrix = await measureMesh({
        config,
        clientCertificate: { cert: pki.federator.chainPem, key: pki.federator.keyPem, origin: 'tls.crt' },
        dnsServer: federation.dns.address,
        timeoutMs: 5000,
        concurrency: CONCURRENCY,
        deadlineMs: INTERVAL_S * 1000,
      });
      const seconds = Number(process.hrtime.bigint() - began) / 1e9;
      durations.push(seconds);
      const renderBegan = process.hrtime.bigint();
      const sizes = [renderMeshText(matrix), renderMeshJson(matrix), renderMeshDot(matrix)].map((t) => Buffer.byteLength(t));
      const renderMs = Number(process.hrtime.bigint() - renderBegan) / 1e6;
      const c = countLinks(matrix.links);
      const answered = matrix.answers.filter((a) => a.kind === 'answered').length;
      const mem = process.memoryUsage();
      process.stdout.write(
        `round ${round}: ${seconds.toFixed(2)} s for ${PEERS} peers (${answered} answered; ${matrix.links.length} links: ${c.connected} connected, ${c.missing} missing, ${c.unknown} unknown); ` +
          `${seconds < INTERVAL_S ? 'within' : 'NOT within'} the ${INTERVAL_S} s interval; render text/JSON/DOT ${renderMs.toFixed(1)} ms (${sizes.map((s) => `${(s / 1024).toFixed(0)} KiB`).join('/')}); ` +
          `RSS ${(mem.rss / 1048576).toFixed(1)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(1)} MiB\n`,
      );
    }
    const summary = (label: string, values: number[]): string => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${label}: min ${sorted[0].toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s; interval ${INTERVAL_S} s\n`;
    };
    process.stdout.write(summary('mesh rounds', durations));

    // Whole exporter rounds: the checks of every peer and the mesh, within the round deadline.
    const exporter = await startExporter({
      ...exporterOptionsFor(federation, pki, 5000, INTERVAL_S * 1000),
      concurrency: CONCURRENCY,
      extras: [meshRoundExtra()],
    });
    const exporterDurations: number[] = [];
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const result = await exporter.runRound();
        exporterDurations.push(result.durationSeconds);
        const m = parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text());
        const series = select(m, MESH_METRIC_NAMES.linkMissing);
        const states = Object.fromEntries(select(m, MESH_METRIC_NAMES.links).map((x) => [x.labels.state, x.value]));
        const mem = process.memoryUsage();
        process.stdout.write(
          `exporter round ${round}: ${result.durationSeconds.toFixed(2)} s (${result.states.length} check states and the mesh of ${PEERS} peers; ${result.durationSeconds < INTERVAL_S ? 'within' : 'NOT within'} the ${INTERVAL_S} s interval, deadline misses: ${result.missedDeadline.length}); ` +
            `${series.length} link series, ${series.filter((x) => x.value === 1).length} missing; links ${JSON.stringify(states)}; RSS ${(mem.rss / 1048576).toFixed(1)} MiB\n`,
        );
      }
    } finally {
      await exporter.stop();
    }
    process.stdout.write(summary('exporter rounds (checks and mesh)', exporterDurations));
  } finally {
    await federation.close();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench-mesh: ${e.message}\n`);
  process.exit(1);
});
