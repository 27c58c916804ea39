/**
 * The exporter exposes verify's calling checks: every check id as check_ok / check_status series
 * (our coturn with peer="", a peer's coturn with its domain), and the coturn certificates'
 * expiry (subjects coturn and peer_coturn).
 */
import { Registry } from 'prom-client';
import { RoundResult, checkState, createMetrics, recordRound } from '../../lib/verify/serve';
import type { CheckResult } from '../../lib/verify/report';

const checks: CheckResult[] = [
  { id: 'calling.dtls.connect', status: 'pass', message: 'a DTLS server answers' },
  { id: 'calling.dtls.expiry', status: 'pass', message: 'valid', details: { notAfter: '2027-03-01T00:00:00.000Z' } },
  { id: 'calling.dtls.mutual', status: 'fail', message: 'the handshake completed without a client certificate' },
  { id: 'peer[b.example].calling.dtls', status: 'pass', message: 'answers' },
  { id: 'peer[b.example].calling.expiry', status: 'warn', message: 'soon', details: { notAfter: '2027-01-01T00:00:00.000Z' } },
  { id: 'peer[b.example].calling.accepts-us', status: 'fail', message: 'alert "certificate unknown" (46)' },
  { id: 'peer[c.example].calling.dtls', status: 'fail', message: 'no DTLS answer', inconclusive: true },
];

test('calling checks and coturn certificate expiry as metrics', async () => {
  const registry = new Registry();
  const metrics = createMetrics(registry, { environment: 'red', backendDomain: 'a.example', federatorDomain: 'federator.a.example' });
  const round: RoundResult = {
    report: { environment: 'red', backendDomain: 'a.example', federatorDomain: 'federator.a.example', checks, skipped: [{ id: 'peer[c.example].calling.accepts-us', reason: 'no DTLS server answered' }] },
    states: [...checks.map((c) => ({ id: c.id, state: checkState(c) })), { id: 'peer[c.example].calling.accepts-us', state: 'skipped' as const }],
    startedAt: new Date('2026-12-06T12:00:00Z'),
    durationSeconds: 1,
    missedDeadline: [],
  };
  recordRound(metrics, round, undefined);
  const text = await registry.metrics();
  expect(text).toContain('wire_federation_check_ok{check="calling.dtls.connect",peer=""} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.dtls.mutual",peer="",status="fail"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.accepts-us",peer="b.example",status="fail"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.dtls",peer="c.example",status="error"} 1');
  expect(text).toContain('wire_federation_check_status{check="calling.accepts-us",peer="c.example",status="skipped"} 1');
  expect(text).toContain(`wire_federation_certificate_not_after_timestamp_seconds{subject="coturn",peer=""} ${Date.parse('2027-03-01T00:00:00Z') / 1000}`);
  expect(text).toContain(`wire_federation_certificate_not_after_timestamp_seconds{subject="peer_coturn",peer="b.example"} ${Date.parse('2027-01-01T00:00:00Z') / 1000}`);
});
