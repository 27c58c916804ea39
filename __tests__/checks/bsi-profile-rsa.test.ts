/**
 * The rule `bsi-profile-rsa`: wire-ingress's BSI TR-02102-2 profile accepts ECDSA client chains
 * only; validate and synth warn when our chain or a peer's CA is RSA.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateEnvironments } from '../../lib/validation/pipeline';
import { makeCa } from '../support/certificates';
import { REPO_ROOT } from '../support/config';
import { wireIngressInput } from '../ingress/support';

let dir: string;
let rsaCa: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wfc-bsi-'));
  rsaCa = (await makeCa({ commonName: 'RSA Peer CA', key: { type: 'rsa', bits: 2048 } })).certPem;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const findingsOf = (profile: boolean, peerCa?: string) => {
  const values = join(dir, `wire-ingress-${profile}.yaml`);
  writeFileSync(values, `${profile ? 'FIPS_202205_tls_profile: true\n' : ''}config: {dns: {https: nginz-https.example.com}}\n`);
  const base = wireIngressInput();
  const input = {
    ...base,
    charts: { ...base.charts, wireIngress: { version: '5.36.0', valuesFiles: [values] } },
    ...(peerCa ? { peers: [...base.peers!, { domain: 'rsa.example.org', caCertificates: [{ pem: peerCa }] }] } : {}),
  };
  return validateEnvironments([{ input, baseDir: REPO_ROOT }]).findings.filter((f) => f.rule === 'bsi-profile-rsa');
};

test('noncompliant: the BSI profile with an RSA peer CA is a warning naming the peer', () => {
  const f = findingsOf(true, rsaCa);
  expect(f).toEqual([expect.objectContaining({ level: 'warning', path: 'charts.wireIngress.valuesFiles' })]);
  expect(f[0].message).toContain('the CA of peer rsa.example.org');
  expect(f[0].message).not.toContain('wire.acme.test');
});

test('compliant: ECDSA peers under the profile, or an RSA peer without it', () => {
  expect(findingsOf(true)).toEqual([]);
  expect(findingsOf(false, rsaCa)).toEqual([]);
});
