import type { FederationRule } from '../finding';
import { valueAt } from '../model';
import { ingressChartOf } from '../../ingress/registry';

/**
 * With cert-manager, the federator certificate must not come from Let's Encrypt (or another
 * public ACME CA): they stopped issuing client-auth certificates in 2026. Checked on every
 * ingress chart, at the value paths it names.
 */
export const acmeFederatorIssuer: FederationRule = {
  id: 'acme-federator-issuer',
  description:
    "with cert-manager, the federator certificate comes from a private CA issuer, not an ACME (Let's Encrypt) one (nginx-ingress-services and wire-ingress, each at its own value paths)",
  configOnly: false,
  check: ({ releases }) =>
    releases.flatMap((r) => {
      const ingress = ingressChartOf(r.chart);
      if (!ingress) return [];
      const { paths } = ingress;
      if (
        valueAt(r.knownValues, paths.federatorEnabled) !== true ||
        (valueAt(r.knownValues, paths.federatorUsesCertManager) ?? paths.federatorUsesCertManagerDefault) !== true
      )
        return [];
      const issuer = valueAt(r.knownValues, paths.federatorIssuerName);
      const chartIssuer = valueAt(r.knownValues, paths.chartIssuerName) ?? paths.chartIssuerDefault;
      if (!(issuer === undefined || issuer === chartIssuer || /letsencrypt|acme/i.test(String(issuer)))) return [];
      return [
        {
          level: 'error' as const,
          rule: 'acme-federator-issuer',
          message: `${r.path}: the federator certificate would be issued by the ACME (Let's Encrypt) issuer, which no longer issues client-auth certificates. Use pki.mode cert-manager, which sets ${paths.federatorIssuerName.replace(/\.name$/, '')} to a private CA issuer.`,
        },
      ];
    }),
};
