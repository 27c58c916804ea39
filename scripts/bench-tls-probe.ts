/**
 * `node --require tsx/cjs scripts/bench-tls-probe.ts`: the native memory of many TLS
 * connections, the way the exporter's probe reads the peer certificate, in a client process of
 * its own per way (the TLS server runs in this process, on 127.0.0.1):
 * - `plain`: `tls.connect`, nothing read;
 * - `x509`: `getPeerCertificate(true)` and `getPeerX509Certificate()` (the probe before 0.2);
 * - `raw`: `getPeerCertificate(true)` and one `new X509Certificate(raw DER)` (the probe now);
 * - `probe`: `probeTls` of lib/verify/tls-probe.ts itself.
 * Prints the client's RSS every PROBE_STEP connections (default 2000) of PROBE_CONNECTIONS
 * (default 16000), and the growth over the second half.
 */
import { fork } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as tls from 'node:tls';
import { makeCa, makeLeaf } from '../__tests__/support/certificates';
import { startFederatorServer } from '../__tests__/support/tls-servers';
import { probeTls } from '../lib/verify/tls-probe';

type Way = 'plain' | 'x509' | 'raw' | 'probe';
const WAYS: readonly Way[] = ['plain', 'x509', 'raw', 'probe'];
const CONNECTIONS = Number(process.env.PROBE_CONNECTIONS ?? 16000);
const STEP = Number(process.env.PROBE_STEP ?? 2000);
const MIB = 1024 * 1024;

function connectOnce(way: Exclude<Way, 'probe'>, port: number, ca: string): Promise<void> {
  return new Promise((done) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      servername: 'federator.wire.alpha.test',
      ca: [ca],
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
    });
    socket.once('secureConnect', () => {
      if (way === 'x509') {
        socket.getPeerCertificate(true);
        socket.getPeerX509Certificate();
      } else if (way === 'raw') {
        new X509Certificate(socket.getPeerCertificate(true).raw);
      }
      socket.end('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', () => undefined);
    socket.on('error', () => done());
    socket.on('close', () => done());
  });
}

async function client(way: Way, port: number, ca: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc!;
  for (let i = 1; i <= CONNECTIONS; i++) {
    if (way === 'probe') await probeTls({ address: '127.0.0.1', port, servername: 'federator.wire.alpha.test', ca: [ca], timeoutMs: 5000 });
    else await connectOnce(way, port, ca);
    if (i % STEP === 0) {
      gc();
      process.send!({ i, rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
    }
  }
}

async function main(): Promise<void> {
  const ca = await makeCa({ commonName: 'Bench CA' });
  const leaf = await makeLeaf({ issuer: ca, dnsNames: ['federator.wire.alpha.test'] });
  const server = await startFederatorServer({ cert: leaf.chainPem, key: leaf.keyPem, clientAuth: 'none' });
  const ways = (process.env.PROBE_WAYS?.split(',') as Way[] | undefined) ?? WAYS;
  try {
    for (const way of ways) {
      const samples: { i: number; rss: number }[] = [];
      const child = fork(__filename, ['--client', way, String(server.port)], {
        execArgv: ['--expose-gc', '--require', 'tsx/cjs'],
        env: { ...process.env, PROBE_CA: ca.certPem },
      });
      child.on('message', (m: { i: number; rss: number; heap: number }) => samples.push(m));
      await new Promise((done) => child.once('exit', done));
      const half = samples.slice(Math.floor(samples.length / 2));
      const growth = half.length > 1 ? (half[half.length - 1].rss - half[0].rss) / MIB : 0;
      const perConnection = half.length > 1 ? (half[half.length - 1].rss - half[0].rss) / (half[half.length - 1].i - half[0].i) / 1024 : 0;
      process.stdout.write(
        `${way.padEnd(6)} RSS MiB: ${samples.map((s) => (s.rss / MIB).toFixed(0)).join(' ')}; second half ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB (${perConnection.toFixed(2)} KiB per connection)\n`,
      );
    }
  } finally {
    await server.close();
  }
}

if (process.argv[2] === '--client') {
  client(process.argv[3] as Way, Number(process.argv[4]), process.env.PROBE_CA!).then(
    () => process.exit(0),
    (e: Error) => {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    },
  );
} else {
  main().catch((e: Error) => {
    process.stderr.write(`bench-tls-probe: ${e.message}\n`);
    process.exit(1);
  });
}
