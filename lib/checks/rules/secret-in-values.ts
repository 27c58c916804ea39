import type { FederationRule } from '../finding';
import type { Values } from '../../helm/values/types';
import { releaseSettings, valueAt } from '../model';
import { containsPrivateKey } from '../../pki/pem';

const SECRET_KEY = /(password|passwd|secret|token|apikey|privatekey|secretkey|accesskey)$/i;

/** Dotted paths of the leaves of `values` that look like secrets (private keys, passwords, tokens, `secrets.*`). */
export function secretLeaves(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return secretLeaves(value as Values, path);
    if (typeof value !== 'string' || value === '') return [];
    if (containsPrivateKey(value)) return [path];
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
  description: 'no private key, password or token inside Helm values (the finding names the values file)',
  configOnly: false,
  check: ({ config, releases }) =>
    releases.flatMap((r) => {
      const settings = releaseSettings(config, r.attributes.name);
      const key = settings?.key ?? 'wireServer';
      const documents = settings?.settings.valuesDocuments ?? [];
      return secretLeaves(r.knownValues).map((path) => {
        // Name the values file that holds it (the last one wins in the merge).
        const doc = [...documents].reverse().find((d) => secretLeaves(d.values).includes(path));
        return {
          level: 'error' as const,
          rule: 'secret-in-values',
          path: doc?.path ?? r.path,
          message: `${doc ? `values file ${doc.file} sets ` : ''}${r.chart} value ${path}, which looks like a secret, inside the reviewable values (received ${describeSecret(valueAt(r.knownValues, path))}). Remove it from ${doc ? doc.file : 'the values'} and list "${path}" in charts.${key}.sensitiveValues; pass it through the sensitive Terraform variable.`,
        };
      });
    }),
};

/** A secret is never shown: its kind and length only. */
function describeSecret(value: unknown): string {
  if (typeof value === 'string' && containsPrivateKey(value)) return 'a PEM private key';
  return typeof value === 'string' ? `a string of ${value.length} characters` : typeof value;
}
