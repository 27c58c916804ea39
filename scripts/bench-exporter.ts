/**
 * `npm run bench:exporter`: one exporter (`wire-federation verify --serve`, its own process)
 * with 200 fake peers on 127.0.0.1 (each an ingress, a federator and brig, as in the tests) and
 * the test DNS server. Prints each round's duration and the exporter process's memory (RSS, V8
 * heap), read from its own /metrics, and at the end the memory trend over the second half of the
 * rounds and the rounds that missed their deadline. BENCH_PEERS (200), BENCH_ROUNDS (30) and
 * BENCH_INTERVAL_S (10) change the size; `npm run soak:exporter` is the long run that fails on growth.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { makeFederationPki, startFakeFederation } from '../__tests__/support/fake-federation';
import { parseMetrics, valueOf } from '../__tests__/support/prometheus-text';
import { TempDir, writeConfig } from '../__tests__/verify/harness';

const ROOT = resolve(__dirname, '..');
const PEERS = Number(process.env.BENCH_PEERS ?? 200);
const INTERVAL_S = Number(process.env.BENCH_INTERVAL_S ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);

async function main(): Promise<void> {
  const pki = await makeFederationPki();
  const started = Date.now();
  const federation = await startFakeFederation(
    pki,
    Array.from({ length: PEERS }, (_, i) => ({ domain: `peer-${i}.bench.test`, kind: 'healthy' as const })),
  );
  process.stdout.write(`${PEERS} fake peers started in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const dir = new TempDir();
  const config = writeConfig(dir, federation.config);
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bin', 'wire-federation.js'),
      'verify',
      '--config',
      config,
      '--peers',
      '--serve',
      '--listen',
      '127.0.0.1:0',
      '--interval',
      `${INTERVAL_S}s`,
      '--dns-server',
      federation.dns.address,
      '--timeout',
      '5000',
      '--ca',
      dir.file('ca.pem', pki.ca.certPem),
      '--client-cert',
      dir.file('tls.crt', pki.federator.chainPem),
      '--client-key',
      dir.file('tls.key', pki.federator.keyPem),
    ],
    { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + (ROUNDS + 1) * INTERVAL_S * 1000 + 60_000;
    let url: string | undefined;
    const lines: string[] = [];
    const memory: { rss: number; heap: number }[] = [];
    let missed = 0;
    while (Date.now() < deadline) {
      url ??= /serving (http:\/\/[^ ]+)\/metrics/.exec(out)?.[1];
      const rounds = out.split('\n').filter((l) => l.includes(' round: '));
      for (const line of rounds.slice(lines.length)) {
        lines.push(line);
        const m = parseMetrics(await (await fetch(`${url}/metrics`)).text());
        const mib = (name: string): string => (valueOf(m, name) / 1024 / 1024).toFixed(1);
        const seconds = valueOf(m, 'wire_federation_round_duration_seconds');
        const checks = m.samples.filter((s) => s.name === 'wire_federation_check_ok').length;
        memory.push({ rss: valueOf(m, 'process_resident_memory_bytes'), heap: valueOf(m, 'nodejs_heap_size_used_bytes') });
        missed = valueOf(m, 'wire_federation_round_deadline_exceeded_total');
        process.stdout.write(
          `round ${lines.length}: ${seconds.toFixed(2)} s for ${PEERS} peers (${checks} checks, interval ${INTERVAL_S} s: ${seconds < INTERVAL_S ? 'within' : 'NOT within'} the interval); ` +
            `exporter RSS ${mib('process_resident_memory_bytes')} MiB, heap used ${mib('nodejs_heap_size_used_bytes')} MiB of ${mib('nodejs_heap_size_total_bytes')} MiB\n` +
            `  ${line.replace(/: [^:]*\(fail\).*$/, ': …failures')}\n`,
        );
      }
      if (lines.length >= ROUNDS) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (lines.length < ROUNDS) throw new Error(`only ${lines.length} rounds before the deadline; output:\n${out}`);
    const half = memory.slice(Math.floor(memory.length / 2));
    const mib = (b: number): string => (b / 1024 / 1024).toFixed(1);
    process.stdout.write(
      `memory over the second half (rounds ${memory.length - half.length + 1}-${memory.length}): RSS ${mib(half[0].rss)} -> ${mib(half[half.length - 1].rss)} MiB, ` +
        `heap used ${mib(half[0].heap)} -> ${mib(half[half.length - 1].heap)} MiB; rounds that missed the deadline: ${missed} of ${ROUNDS}\n`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => child.once('exit', done));
    await federation.close();
    dir.cleanup();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`bench-exporter: ${e.message}\n`);
  process.exit(1);
});
