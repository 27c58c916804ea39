/**
 * `npm run bench`: median wall time of whole-process synth (node start to cdk.tf.json written)
 * for the example environments, and for generated sets of 20 environments with 250, 500 and
 * 1,000 peers each (to show that synth time grows linearly with peers).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'bench.out');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ENVIRONMENTS = 20;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

async function makeCaFiles(count: number): Promise<void> {
  const dir = join(OUT, 'cas');
  if (existsSync(join(dir, `ca-${count - 1}.pem`))) return;
  mkdirSync(dir, { recursive: true });
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
  for (let i = 0; i < count; i++) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: (i + 1).toString(16).padStart(4, '0'),
      name: `CN=peer-${i}.bench.example federation CA`,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2036-01-01T00:00:00Z'),
      signingAlgorithm: alg,
      keys: keys as never,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
    });
    writeFileSync(join(dir, `ca-${i}.pem`), cert.toString('pem'));
  }
}

function environmentSet(peers: number): string {
  const file = join(OUT, `environments-${peers}.json`);
  const hex = (n: number) => n.toString(16).padStart(32, '0');
  const envs = Array.from({ length: ENVIRONMENTS }, (_, e) => ({
    environment: `env-${e}`,
    backendDomain: `env-${e}.bench.example`,
    federatorDomain: `federator.env-${e}.bench.example`,
    ingress: { ipv4: `198.51.100.${e + 1}` },
    dns: { backendZoneId: hex(e + 1), infrastructureZoneId: hex(e + 1) },
    charts: { wireServer: { version: '5.32.0' }, nginxIngressServices: { version: '5.32.0' } },
    peers: Array.from({ length: peers }, (_, p) => ({
      domain: `peer-${p}.bench.example`,
      searchPolicy: 'no_search',
      caCertificates: [{ file: `cas/ca-${p}.pem` }],
    })),
  }));
  writeFileSync(file, JSON.stringify(envs));
  return file;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(args: string[], outdir: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rmSync(outdir, { recursive: true, force: true });
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, ['--require', 'tsx/cjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(samples);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  await makeCaFiles(1000);
  console.log(`median of ${RUNS} runs, whole process (node start to cdk.tf.json written)`);
  // Machines differ (and shared ones vary by the minute): this figure puts the others in scale.
  const calibration = time(['-e', "require('cdktf')"], join(OUT, 'unused'));
  console.log(`calibration (node --require tsx/cjs -e "require('cdktf')"): ${calibration.toFixed(2)} s`);
  const examples = time(['main.ts'], join(OUT, 'cdktf.out-examples'));
  console.log(`example environments (4 stacks):              ${examples.toFixed(2)} s   target <= 1.5 s`);
  const results: [number, number][] = [];
  for (const peers of [250, 500, 1000]) {
    const t = time(['scripts/bench-app.ts', environmentSet(peers)], join(OUT, `cdktf.out-${peers}`));
    results.push([peers, t]);
    console.log(
      `${ENVIRONMENTS} environments x ${String(peers).padStart(4)} peers:               ${t.toFixed(2)} s${peers === 1000 ? '   target <= 4 s' : ''}`,
    );
  }
  // Linear growth: the per-peer cost between the sizes stays about constant.
  const [[p1, t1], [p2, t2], [p3, t3]] = results;
  const slope = (a: number, b: number, pa: number, pb: number) => ((b - a) / (pb - pa) / ENVIRONMENTS) * 1e6;
  console.log(`marginal cost per peer: ${slope(t1, t2, p1, p2).toFixed(1)} µs (250→500), ${slope(t2, t3, p2, p3).toFixed(1)} µs (500→1000)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
