import type { FederationRule } from '../finding';

/** The federator presents one certificate as server AND client certificate. */
export const certificateUsages: FederationRule = {
  id: 'certificate-usages',
  description: 'the federator certificate allows server auth and client auth',
  configOnly: false,
  check: ({ resources }) =>
    resources
      .filter((r) => r.type === 'tls_locally_signed_cert')
      .flatMap((r) => {
        const allowed: unknown = r.attributes.allowed_uses;
        const uses = Array.isArray(allowed) ? allowed.filter((u): u is string => typeof u === 'string') : [];
        const missing = ['server_auth', 'client_auth'].filter((u) => !uses.includes(u));
        return missing.length === 0
          ? []
          : [
              {
                level: 'error' as const,
                rule: 'certificate-usages',
                message: `${r.path}: the federator certificate lacks ${missing.join(' and ')} (allowed_uses: ${JSON.stringify(uses)}). Federation uses it as server and client certificate: allow both.`,
              },
            ];
      }),
};
