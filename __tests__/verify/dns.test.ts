/**
 * `wire-federation verify`: DNS checks against a DNS server and a federator-like TLS server on
 * 127.0.0.1.
 */
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { startFederatorServer, TestServer } from '../support/tls-servers';
import { FEDERATOR, Pki, SRV_ALPHA, TempDir, configInput, goodZone, idsWith, makePki, run, srv, verifyJson, writeConfig } from './harness';

let pki: Pki;
let dns: TestDnsServer;
let server: TestServer;
let dir: TempDir;
let caFile: string;
let certFile: string;
let keyFile: string;

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  server = await startFederatorServer({ cert: pki.federator.chainPem, key: pki.federator.keyPem, clientCa: [pki.ca.certPem] });
  dir = new TempDir();
  caFile = dir.file('ca.pem', pki.ca.certPem);
  certFile = dir.file('federator.pem', pki.federator.chainPem);
  keyFile = dir.file('federator.key', pki.federator.keyPem);
});

afterAll(async () => {
  await Promise.all([dns?.close(), server?.close()]);
  dir?.cleanup();
});

const common = (config: string): string[] => [
  '--config',
  config,
  '--dns-server',
  dns.address,
  '--ca',
  caFile,
  '--client-cert',
  certFile,
  '--client-key',
  keyFile,
  '--timeout',
  '2000',
];

describe('verify: DNS', () => {
  test('all good: every check passes, human output, exit 0', async () => {
    dns.setZone(goodZone(server.port));
    const config = writeConfig(dir, configInput(server.port));
    const { code, out, err } = await run(['verify', ...common(config)]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    const ids = [
      'dns.srv',
      'dns.srv.target',
      'dns.srv.port',
      'dns.srv.weight',
      'dns.a',
      'dns.aaaa',
      'tls.connect',
      'tls.san',
      'tls.expiry',
      'tls.eku',
      'tls.key',
      'tls.chain',
      'mtls.required',
      'mtls.client',
    ];
    for (const id of ids) expect(lines.some((l) => l.startsWith(`✔ ${id} `))).toBe(true);
    expect(out).not.toMatch(/[✖⚠]/);
    expect(lines.at(-1)).toBe(`${ids.length} passed, 0 failed, 0 warnings: federation is ready`);
  });

  test('all good as JSON', async () => {
    dns.setZone(goodZone(server.port));
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks, raw } = await verifyJson(common(config));
    expect(code).toBe(0);
    expect(idsWith(checks, 'fail')).toEqual([]);
    expect(idsWith(checks, 'warn')).toEqual([]);
    expect(JSON.parse(raw.out)).toMatchObject({ ok: true, exitCode: 0, environment: 'alpha', summary: { pass: 14, fail: 0, warn: 0, skip: 0 } });
  });

  test('SRV record missing: dns.srv fails, the certificate is still checked on the configured port', async () => {
    dns.setZone({ [FEDERATOR]: [{ type: 'A', address: '127.0.0.1' }] });
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(checks.get('dns.srv')).toMatchObject({ status: 'fail', message: expect.stringContaining('NXDOMAIN') });
    expect(checks.get('dns.srv')?.hint).toContain(`SRV ${SRV_ALPHA} 0 10 ${server.port} ${FEDERATOR}.`);
    expect(idsWith(checks, 'fail')).toEqual(['dns.srv']);
    expect(checks.get('tls.chain')?.status).toBe('pass');
  });

  test('SRV weight 0 is a warning with the hint, not a failure (the federator ignores weights)', async () => {
    dns.setZone(goodZone(server.port, { [SRV_ALPHA]: [srv(FEDERATOR, server.port, 0)] }));
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks, raw } = await verifyJson(common(config));
    expect(code).toBe(0);
    expect(idsWith(checks, 'fail')).toEqual([]);
    expect(idsWith(checks, 'warn')).toEqual(['dns.srv.weight']);
    expect(checks.get('dns.srv.weight')).toMatchObject({
      message: 'SRV weight is 0',
      hint: expect.stringContaining('the federator ignores weights today, but RFC 2782 ranks a weight-0 record last; set weight > 0'),
    });
    expect(raw.code).toBe(0);
    expect(JSON.stringify(raw)).not.toMatch(/never connect/);
  });

  test('wrong SRV target fails dns.srv.target only', async () => {
    const other = 'federator.elsewhere.test';
    dns.setZone(goodZone(server.port, { [SRV_ALPHA]: [srv(other, server.port)], [other]: [{ type: 'A', address: '127.0.0.1' }] }));
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['dns.srv.target']);
    expect(checks.get('dns.srv.target')?.message).toBe(`SRV target is ${other}, expected the federator domain ${FEDERATOR}`);
  });

  test('SRV port differs from the config: dns.srv.port fails', async () => {
    dns.setZone(goodZone(server.port));
    const config = writeConfig(dir, configInput(443));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['dns.srv.port']);
    expect(checks.get('dns.srv.port')?.message).toBe(`SRV port is ${server.port}, the config says 443 (dns.srv.port)`);
  });

  test('A record differs from ingress.ipv4: dns.a fails', async () => {
    dns.setZone(goodZone(server.port));
    const config = writeConfig(dir, configInput(server.port, { ingress: { ipv4: '192.0.2.10' } }));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['dns.a']);
    expect(checks.get('dns.a')?.message).toBe(`${FEDERATOR} → 127.0.0.1, expected 192.0.2.10 (ingress.ipv4)`);
    expect(checks.get('dns.a')?.hint).toContain('proxy');
  });

  test('an extra A record fails dns.a', async () => {
    dns.setZone(
      goodZone(server.port, {
        [FEDERATOR]: [
          { type: 'A', address: '127.0.0.1' },
          { type: 'A', address: '192.0.2.99' },
        ],
      }),
    );
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(idsWith(checks, 'fail')).toEqual(['dns.a']);
    expect(checks.get('dns.a')?.hint).toBe('remove 192.0.2.99: peers connect to any of the addresses');
  });

  test('AAAA configured and matching (written differently) passes; unconfigured AAAA is a warning', async () => {
    dns.setZone(
      goodZone(server.port, {
        [FEDERATOR]: [
          { type: 'A', address: '127.0.0.1' },
          { type: 'AAAA', address: '2001:db8:0:0::10' },
        ],
      }),
    );
    const withV6 = writeConfig(dir, configInput(server.port, { ingress: { ipv4: '127.0.0.1', ipv6: '2001:db8::10' } }));
    const a = await verifyJson(common(withV6));
    expect(a.code).toBe(0);
    expect(a.checks.get('dns.aaaa')).toMatchObject({ status: 'pass', message: `${FEDERATOR} → 2001:db8::10 (ingress.ipv6)` });

    const withoutV6 = writeConfig(dir, configInput(server.port));
    const b = await verifyJson(common(withoutV6));
    expect(b.code).toBe(0);
    expect(idsWith(b.checks, 'warn')).toEqual(['dns.aaaa']);
  });

  test('two SRV records fail dns.srv', async () => {
    dns.setZone(goodZone(server.port, { [SRV_ALPHA]: [srv(FEDERATOR, server.port), srv('old.wire.alpha.test', 443)] }));
    const config = writeConfig(dir, configInput(server.port));
    const { code, checks } = await verifyJson(common(config));
    expect(code).toBe(1);
    expect(checks.get('dns.srv')?.status).toBe('fail');
    expect(checks.get('dns.srv')?.message).toMatch(/^2 SRV records/);
  });

  test('answers truncated over UDP are fetched over TCP', async () => {
    const truncating = await startDnsServer(goodZone(server.port), { truncateUdp: true });
    try {
      const config = writeConfig(dir, configInput(server.port));
      const { code } = await verifyJson([...common(config), '--dns-server', truncating.address]);
      expect(code).toBe(0);
      expect(truncating.queries.filter((q) => q.transport === 'tcp').map((q) => q.type)).toEqual(expect.arrayContaining(['SRV', 'A']));
    } finally {
      await truncating.close();
    }
  });

  test('a DNS server that never answers: lookups fail after --timeout, no hang', async () => {
    const silent = await startDnsServer({}, { silent: true });
    try {
      const config = writeConfig(dir, configInput(server.port));
      const started = Date.now();
      const { code, checks, skipped } = await verifyJson([...common(config), '--dns-server', silent.address, '--timeout', '300']);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(code).toBe(1);
      expect(checks.get('dns.srv')).toMatchObject({ status: 'fail', message: expect.stringContaining('ETIMEOUT') });
      expect(checks.get('dns.a')?.status).toBe('fail');
      // No address because DNS did not answer: tls.connect has no verdict (a fail for the exit code), the rest is skipped.
      expect(checks.get('tls.connect')).toMatchObject({
        status: 'fail',
        message: expect.stringContaining('the address lookup of'),
        hint: expect.stringContaining('--dns-server'),
      });
      expect(skipped).toContain('tls.chain');
    } finally {
      await silent.close();
    }
  });
});
