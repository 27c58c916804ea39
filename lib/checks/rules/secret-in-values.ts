import type { FederationRule } from '../finding';
import type { Values } from '../../helm/values/types';

const SECRET_KEY = /(password|passwd|secret|token|apikey|privatekey|secretkey|accesskey)$/i;

/** Dotted paths of the leaves of `values` that look like secrets (private keys, passwords, tokens, `secrets.*`). */
export function secretLeaves(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return secretLeaves(value as Values, path);
    if (typeof value !== 'string' || value === '') return [];
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return [path];
    if (/-----BEGIN CERTIFICATE-----/.test(value)) return []; // public
    return SECRET_KEY.test(key) || prefix.split('.').includes('secrets') ? [path] : [];
  });
}

/**
 * Secrets inside Helm `values` are printed by every `cdktf diff` (or hide the whole values diff
 * behind "(sensitive)"): they belong in `set_sensitive` only.
 */
export const secretInValues: FederationRule = {
  id: 'secret-in-values',
  description: 'no private key, password or token inside Helm values',
  configOnly: false,
  check: ({ releases }) =>
    releases.flatMap((r) =>
      secretLeaves(r.knownValues).map((path) => ({
        level: 'error' as const,
        rule: 'secret-in-values',
        message: `${r.path}: ${r.chart} value ${path} looks like a secret inside the reviewable values. Remove it from your values file and list "${path}" in charts.${r.chart === 'wire-server' ? 'wireServer' : 'nginxIngressServices'}.sensitiveValues; pass it through the sensitive Terraform variable.`,
      })),
    ),
};
