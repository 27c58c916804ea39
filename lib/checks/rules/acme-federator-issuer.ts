import type { FederationRule } from '../finding';
import { valueAt } from '../model';

/**
 * With cert-manager, the federator certificate must not come from Let's Encrypt (or another
 * public ACME CA): they stopped issuing client-auth certificates in 2026.
 */
export const acmeFederatorIssuer: FederationRule = {
  id: 'acme-federator-issuer',
  description: 'with cert-manager, the federator certificate comes from a private CA issuer',
  configOnly: false,
  check: ({ releases }) =>
    releases
      .filter((r) => r.chart === 'nginx-ingress-services')
      .filter((r) => valueAt(r.knownValues, 'federator.enabled') === true && valueAt(r.knownValues, 'tls.useCertManager') === true)
      .filter((r) => {
        const issuer = valueAt(r.knownValues, 'federator.tls.issuer.name');
        const chartIssuer = valueAt(r.knownValues, 'tls.issuer.name') ?? 'letsencrypt-http01';
        return issuer === undefined || issuer === chartIssuer || /letsencrypt|acme/i.test(String(issuer));
      })
      .map((r) => ({
        level: 'error',
        rule: 'acme-federator-issuer',
        message: `${r.path}: the federator certificate would be issued by the ACME (Let's Encrypt) issuer, which no longer issues client-auth certificates. Use pki.mode cert-manager, which sets federator.tls.issuer to a private CA issuer.`,
      })),
};
