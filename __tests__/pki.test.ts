import { Testing } from 'cdktf';
import { FederatorCertificate } from '../lib/pki/federator-certificate';
import { PrivateCa } from '../lib/pki/private-ca';
import { orderedCertificates, trustBundle } from '../lib/pki/trust-bundle';
import { splitPemCertificates } from '../lib/core/pem';
import { OTHER_CA_PEM, PEER_CA_PEM } from './support/config';

function synth(build: (scope: any) => void): any {
  return JSON.parse(Testing.synthScope(build)).resource;
}

describe('PrivateCa', () => {
  test('ECDSA P-256 key protected from destroy, self-signed CA certificate', () => {
    const r = synth((s) => new PrivateCa(s, 'Ca', { commonName: 'example.com federation CA', organization: 'Example' }));
    const key = Object.values(r.tls_private_key)[0] as any;
    expect(key).toMatchObject({ algorithm: 'ECDSA', ecdsa_curve: 'P256', lifecycle: { prevent_destroy: true } });
    const cert = Object.values(r.tls_self_signed_cert)[0] as any;
    expect(cert).toMatchObject({
      is_ca_certificate: true,
      validity_period_hours: 87600,
      allowed_uses: ['cert_signing', 'crl_signing', 'digital_signature'],
      subject: [{ common_name: 'example.com federation CA', organization: 'Example' }],
    });
    expect(cert.private_key_pem).toMatch(/^\$\{tls_private_key\..*\.private_key_pem\}$/);
  });
});

describe('FederatorCertificate', () => {
  const r = synth((s) => {
    const ca = new PrivateCa(s, 'Ca', { commonName: 'ca' });
    new FederatorCertificate(s, 'Cert', {
      ca,
      federatorDomain: 'federator.wire.example.org',
      extraSans: ['*.wire.example.org', 'federator.wire.example.org'],
      validityHours: 100,
      earlyRenewalHours: 10,
    });
  });

  test('P-256 key, SAN = federator domain first plus extra SANs (no duplicates)', () => {
    const keys: any[] = Object.values(r.tls_private_key);
    expect(keys.every((k) => k.algorithm === 'ECDSA' && k.ecdsa_curve === 'P256')).toBe(true);
    const csr = Object.values(r.tls_cert_request)[0] as any;
    expect(csr.dns_names).toEqual(['federator.wire.example.org', '*.wire.example.org']);
    expect(csr.subject[0].common_name).toBe('federator.wire.example.org');
  });

  test('usages for server AND client authentication, validity and early renewal', () => {
    const cert = Object.values(r.tls_locally_signed_cert)[0] as any;
    expect(cert.allowed_uses).toEqual(['digital_signature', 'key_encipherment', 'server_auth', 'client_auth']);
    expect(cert.validity_period_hours).toBe(100);
    expect(cert.early_renewal_hours).toBe(10);
    expect(cert.ca_cert_pem).toMatch(/tls_self_signed_cert\..*\.cert_pem/);
  });
});

describe('trustBundle', () => {
  const literal = (pems: string[]) => {
    let out = '';
    Testing.synthScope((s) => {
      out = trustBundle(s, 'cas', pems);
    });
    return out;
  };

  test('is empty for no CAs', () => {
    expect(literal([])).toBe('');
  });

  test('deduplicates and orders independently of input order', () => {
    const a = literal([PEER_CA_PEM, OTHER_CA_PEM, PEER_CA_PEM.replace(/\n/g, '\r\n')]);
    const b = literal([OTHER_CA_PEM, PEER_CA_PEM]);
    expect(a).toBe(b);
    expect(splitPemCertificates(a)).toHaveLength(2);
    expect(a.endsWith('-----END CERTIFICATE-----\n')).toBe(true);
    expect(orderedCertificates([OTHER_CA_PEM, PEER_CA_PEM])).toEqual(orderedCertificates([PEER_CA_PEM, OTHER_CA_PEM]));
  });

  test('apply-time CAs: known ones go to a local, the expression deduplicates and orders by key', () => {
    const json = JSON.parse(
      Testing.synthScope((s) => {
        const ca = new PrivateCa(s, 'Ca', { commonName: 'ca' });
        const { TerraformOutput } = require('cdktf');
        const bundle = trustBundle(
          s,
          'cas',
          [PEER_CA_PEM, PEER_CA_PEM],
          [
            { key: 'z', pem: ca.certificatePem },
            { key: 'a', pem: 'x' },
          ],
        );
        new TerraformOutput(s, 'bundle', { value: bundle });
      }),
    );
    const [localId, knownList] = Object.entries(json.locals)[0] as [string, string[]];
    expect(knownList).toEqual([PEER_CA_PEM.trim()]);
    const expr: string = json.output.bundle.value;
    expect(expr).toBe(
      `\${format("%s\\n", join("\\n", distinct(compact(concat(local.${localId}, [trimspace("x"), trimspace(${'tls_self_signed_cert'}.${Object.keys(json.resource.tls_self_signed_cert)[0]}.cert_pem)])))))}`,
    );
  });
});
