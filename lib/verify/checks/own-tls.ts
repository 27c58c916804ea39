/**
 * Our federator as a peer meets it: the TLS connection, the certificate it serves, and whether it
 * requires and accepts client certificates (`tls-checks.ts` and `verify.ts` run them).
 */
import { CERTIFICATE_METRICS, CertificateExpiryDetails, ChainAnchorDetails, certificateSamples, isoSeconds } from './certificate-metrics';
import { SampleInput, defineCheck, defineGroup } from './types';

export const OWN_TLS_CHECKS = defineGroup({
  scope: 'own',
  metrics: CERTIFICATE_METRICS,
  checks: [
    defineCheck({
      id: 'tls.connect',
      level: 'error',
      description: 'a TLS handshake with the SRV target and port, at the address DNS gave for the target, SNI = federator domain',
      fix: 'is the ingress reachable? firewall? load balancer?',
      needs: 'address',
    }),
    defineCheck({
      id: 'tls.san',
      level: 'error',
      description: "the certificate's SAN covers the federator domain (exactly or by a one-label wildcard)",
      fix: 'issue the certificate for the federator domain',
      needs: 'certificate',
      ourSide: 'certificate',
    }),
    defineCheck({
      id: 'tls.expiry',
      level: 'error or warning',
      description: 'the certificate has not expired (a warning under 30 days left)',
      fix: 'renew it (cert-manager renews before expiry; the private CA re-issues it at a deploy within `pki.earlyRenewalHours`)',
      needs: 'certificate',
      ourSide: 'certificate',
      // The certificate our ingress serves; without a handshake, the one we present (the same secret).
      samples: ({ result, end, presentedNotAfter }: SampleInput<CertificateExpiryDetails>) =>
        certificateSamples('federator', '', isoSeconds(result?.details?.notAfter) ?? presentedNotAfter, end),
    }),
    defineCheck({
      id: 'tls.eku',
      level: 'error',
      description: 'extended key usage has server auth AND client auth (the federator presents the same certificate as client certificate)',
      fix: 'public CAs stopped issuing client auth in 2026: use the private CA (`private-ca` or `cert-manager` mode)',
      needs: 'certificate',
      ourSide: 'certificate',
    }),
    defineCheck({
      id: 'tls.key',
      level: 'error or warning',
      description: 'the key is ECDSA P-256, P-384 or P-521, or RSA (a warning under 3072 bits); other curves (P-192, P-224) and Ed25519 fail',
      fix: 're-issue with P-256 (or RSA ≥ 3072)',
      needs: 'certificate',
      ourSide: 'certificate',
    }),
    defineCheck({
      id: 'tls.chain',
      level: 'error',
      description: 'the chain verifies against `--ca` (or the system store)',
      fix: 'serve the full chain; pass the right `--ca` (stack output `ca_certificate_pem`)',
      needs: 'certificate',
      ourSide: 'certificate',
      samples: ({ result, end }: SampleInput<ChainAnchorDetails>) => certificateSamples('ca', '', isoSeconds(result?.details?.caNotAfter), end),
    }),
    defineCheck({
      id: 'mtls.required',
      level: 'error or warning',
      description:
        'without a client certificate the ingress refuses (TLS alert, or HTTP 400 "No required SSL certificate was sent"); a warning with wire-ingress, whose listener validates a certificate only when one is presented',
      fix: '`federator.enabled` in nginx-ingress-services; no TLS-terminating proxy or CDN in front',
      needs: 'connection',
    }),
    defineCheck({
      id: 'mtls.client',
      level: 'error or warning',
      description: 'with `--client-cert`/`--client-key` the ingress accepts our own federator certificate (a warning when not given)',
      fix: "our CA must be in the ingress's client CA bundle (`secrets.tlsClientCA`; this project always puts it there)",
      needs: 'connection',
      ourSide: 'certificate',
    }),
  ],
});
