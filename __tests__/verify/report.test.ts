/**
 * lib/verify/report.ts and the pure DNS check functions.
 */
import { checkAddresses, checkSrv } from '../../lib/verify/dns-checks';
import { parseDnsServer } from '../../lib/verify/dns-lookup';
import { exitCodeOf, fail, pass, renderHuman, renderJson, warn } from '../../lib/verify/report';

const report = {
  environment: 'alpha',
  backendDomain: 'wire.alpha.test',
  federatorDomain: 'federator.wire.alpha.test',
  checks: [
    pass('dns.srv', 'found'),
    warn('tls.key', 'RSA 2048 bits', 'use 3072'),
    fail('dns.srv.weight', 'SRV weight is 0', 'the federator ignores weights; set weight > 0'),
  ],
  skipped: [{ id: 'tls.chain', reason: 'no handshake' }],
};

test('human rendering: one line per check with symbol, hint after failures and warnings, summary', () => {
  expect(renderHuman(report)).toBe(
    [
      'Verifying federation of wire.alpha.test (environment alpha, federator federator.wire.alpha.test)',
      '✔ dns.srv         found',
      '⚠ tls.key         RSA 2048 bits → use 3072',
      '✖ dns.srv.weight  SRV weight is 0 → the federator ignores weights; set weight > 0',
      '- tls.chain       skipped: no handshake',
      '1 passed, 1 failed, 1 warning, 1 skipped: federation is NOT ready',
      '',
    ].join('\n'),
  );
});

test('JSON rendering and exit codes', () => {
  expect(JSON.parse(renderJson(report))).toMatchObject({ ok: false, exitCode: 1, summary: { pass: 1, fail: 1, warn: 1, skip: 1 } });
  expect(exitCodeOf({ checks: [pass('dns.srv', ''), warn('dns.srv.weight', '')] })).toBe(0);
});

test('SRV target comparison ignores the trailing dot and case', () => {
  const outcome = checkSrv(
    { kind: 'records', records: [{ priority: 0, weight: 10, port: 443, name: 'Federator.Wire.Alpha.Test.' }] },
    { backendDomain: 'wire.alpha.test', federatorDomain: 'federator.wire.alpha.test', port: 443, priority: 0, weight: 10 },
  );
  expect(outcome.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
});

test('no A record when one is configured fails; none configured and none present passes', () => {
  expect(checkAddresses({ kind: 'none', reason: 'nodata' }, 4, 'f.test', '192.0.2.1').status).toBe('fail');
  expect(checkAddresses({ kind: 'none', reason: 'nxdomain' }, 6, 'f.test', undefined).status).toBe('pass');
});

test.each([
  ['127.0.0.1', '127.0.0.1'],
  ['127.0.0.1:5353', '127.0.0.1:5353'],
  ['::1', '::1'],
  ['[::1]:53', '[::1]:53'],
])('--dns-server %s', (input, server) => {
  expect(parseDnsServer(input)).toEqual({ server });
});
