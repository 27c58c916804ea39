/**
 * `wire-federation verify --serve` as a process: it serves metrics of the same checks, logs one
 * line per round without the key (read from an environment variable here), and stops cleanly
 * on SIGTERM. Usage errors exit 2 with one line, in process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { METRIC_NAMES } from '../../lib/verify/serve';
import { REPO_ROOT } from '../support/config';
import { startDnsServer } from '../support/dns-server';
import { FakeFederation, FakeFederationPki, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { parseMetrics, valueOf } from '../support/prometheus-text';
import { TempDir, run, writeConfig } from '../verify/harness';

const PEER = 'wire.beta.test';
let pki: FakeFederationPki;
let federation: FakeFederation;
let dir: TempDir;
let config: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, [{ domain: PEER, kind: 'healthy' }]);
  dir = new TempDir();
  config = writeConfig(dir, federation.config);
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await federation?.close();
  dir?.cleanup();
});

/** Resolves when `text()` matches, at most `timeoutMs` (checked every 100 ms). */
async function waitForOutput(text: () => string, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  for (let i = 0; i < timeoutMs / 100; i++) {
    const m = pattern.exec(text());
    if (m) return m;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${pattern} in the output within ${timeoutMs} ms:\n${text()}`);
}

describe('verify --serve as a process', () => {
  test('serves the checks as metrics, logs rounds without secrets, stops on SIGTERM with exit 0', async () => {
    const args = [
      join(REPO_ROOT, 'bin', 'wire-federation.js'),
      'verify',
      '--config',
      config,
      '--peers',
      '--serve',
      '--listen',
      '127.0.0.1:0',
      '--interval',
      '1h',
      '--dns-server',
      federation.dns.address,
      '--timeout',
      '1500',
      '--ca',
      dir.file('ca.pem', pki.ca.certPem),
      '--client-cert',
      dir.file('tls.crt', pki.federator.chainPem),
      '--client-key-env',
      'FEDERATOR_KEY',
    ];
    child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, FEDERATOR_KEY: pki.federator.keyPem, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((done) => child!.once('exit', (code) => done(code)));

    const [, url] = await waitForOutput(
      () => out + err,
      /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics and \/healthz: environment alpha, 1 peer, a round every 3600 s/,
    );
    await waitForOutput(() => out, /round: \d+ passed, 0 failed, 0 could not run/);
    const metrics = parseMetrics(await (await fetch(`${url}/metrics`)).text());
    expect(valueOf(metrics, METRIC_NAMES.checkOk, { check: 'federation.call', peer: PEER })).toBe(1);
    expect(valueOf(metrics, METRIC_NAMES.checkOk, { check: 'mtls.client', peer: '' })).toBe(1);

    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r('still running'), 15_000)))]);
    clearTimeout(timer);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toContain('SIGTERM: stopping');
    expect(out + err).not.toContain('PRIVATE KEY');
    expect(out + err).not.toContain(pki.federator.keyPem.split('\n')[1]);
  }, 90_000);
});

describe('verify --serve stops promptly', () => {
  test('SIGTERM during a round that waits on a silent DNS server: exit 0 without waiting for the round', async () => {
    // Each lookup would wait 20 s (a round: a minute and more); the pod's grace period is 30 s.
    const silent = await startDnsServer({}, { silent: true });
    try {
      const args = [
        join(REPO_ROOT, 'bin', 'wire-federation.js'),
        'verify',
        '--config',
        config,
        '--peers',
        '--serve',
        '--listen',
        '127.0.0.1:0',
        '--interval',
        '1h',
        '--dns-server',
        silent.address,
        '--timeout',
        '20000',
      ];
      const stopping = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      child = stopping;
      let out = '';
      stopping.stdout.on('data', (d: Buffer) => (out += d.toString()));
      stopping.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((done) => stopping.once('exit', (code) => done(code)));
      await waitForOutput(() => out, /serving http:\/\/127\.0\.0\.1:\d+\/metrics/);
      // The first round starts before that line is written, and waits for its lookups now.
      stopping.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([exited, new Promise<string>((r) => (timer = setTimeout(() => r('still running'), 15_000)))]);
      clearTimeout(timer);
      expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining('SIGTERM: stopping') });
      expect(out).not.toMatch(/^round:/m);
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('verify --serve usage errors exit 2 with one line', () => {
  test.each([
    ['--listen without --serve', ['--listen', '127.0.0.1:9464'], /^error: --listen needs --serve$/],
    ['--interval without --serve', ['--interval', '60s'], /^error: --interval needs --serve$/],
    ['--json with --serve', ['--serve', '--json'], /^error: --json and --serve exclude each other/],
    ['a bad --interval', ['--serve', '--interval', 'hourly'], /--interval must be a duration between 1s and 24h such as 60s, 5m or 1h; received "hourly"/],
    ['an interval below 1s', ['--serve', '--interval', '500ms'], /received "500ms"/],
    ['a bad --listen', ['--serve', '--listen', 'localhost'], /--listen must be <address>:<port> .*received "localhost"/],
    ['a bad --concurrency', ['--serve', '--concurrency', '0'], /--concurrency must be a whole number between 1 and 256; received "0"/],
    [
      '--client-key-env unset',
      ['--serve', '--client-cert', '<cert>', '--client-key-env', 'WFC_UNSET_VARIABLE_FOR_TEST'],
      /^error: --client-key-env: the environment variable WFC_UNSET_VARIABLE_FOR_TEST is not set or empty$/,
    ],
    ['--client-key and --client-key-env', ['--client-key', 'k.pem', '--client-key-env', 'K'], /^error: give --client-key or --client-key-env, not both/],
  ])('%s', async (_name, extra, pattern) => {
    const args = extra.map((a) => (a === '<cert>' ? dir.file('client.pem', pki.federator.chainPem) : a));
    const { code, out, err } = await run(['verify', '--config', config, ...args]);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err.trim()).toMatch(pattern);
  });
});
