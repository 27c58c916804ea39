import type { FederationRule } from '../finding';
import type { Values } from '../../helm/values/types';
import { releaseSettings } from '../model';
import { describeSecret, findSecrets, secretPaths } from '../../helm/values/secrets';

/**
 * Dotted paths of the leaves of `values` that are secrets, by name or by shape (see
 * `lib/helm/values/secrets`); inside lists as `a.b[0].c`.
 */
export function secretLeaves(values: Values): string[] {
  return secretPaths(values);
}

/**
 * Secrets inside Helm `values` are printed by every `cdktf diff` (or hide the whole values diff
 * behind "(sensitive)"): they belong in `set_sensitive` only.
 */
export const secretInValues: FederationRule = {
  id: 'secret-in-values',
  description:
    'no secret inside Helm values, by name (password, pwd, creds, privateKeys, accessKeyId, a map named like a secret) or by shape (a private key, a URL with credentials, a known token format, a long random string), lists included (the finding names the values file)',
  configOnly: false,
  check: ({ config, releases }) =>
    releases.flatMap((r) => {
      const settings = releaseSettings(config, r.attributes.name);
      const key = settings?.key ?? 'wireServer';
      const documents = settings?.settings.valuesDocuments ?? [];
      // What synth writes, and every values file: a secret in a file is in the repository even
      // when set_sensitive overrides it (its path listed in sensitiveValues).
      const seen = new Set<string>();
      const found = [...findSecrets(r.knownValues), ...[...documents].reverse().flatMap((d) => findSecrets(d.values))].filter(
        (f) => !seen.has(f.path) && seen.add(f.path),
      );
      return found.map(({ path, reason, inList }) => {
        // Name the values file that holds it (the last one wins in the merge).
        const doc = [...documents].reverse().find((d) => secretLeaves(d.values).includes(path));
        const where = doc ? doc.file : 'the values';
        const fix = inList
          ? `Move it out of the list in ${where} (set_sensitive cannot carry one list element): restructure it (one key per secret), or put it in a Kubernetes Secret the chart reads`
          : `Remove it from ${where}${settings?.settings.sensitiveValues.includes(path) ? '' : ` and list "${path}" in charts.${key}.sensitiveValues`}; pass it through the sensitive Terraform variable`;
        return {
          level: 'error' as const,
          rule: 'secret-in-values',
          path: doc?.path ?? r.path,
          message: `${doc ? `values file ${doc.file} sets ` : ''}${r.chart} value ${path}, which looks like a secret (${reason}), inside the reviewable values (received ${describeSecret(valueAtPath(doc?.values ?? r.knownValues, path))}). ${fix}.`,
        };
      });
    }),
};

/** The value at a dotted path with list indexes (`a.b[0].c`). */
function valueAtPath(values: Values, path: string): unknown {
  let cur: unknown = values;
  for (const part of path.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = index ? (cur as unknown[])[Number(index[1])] : (cur as Values)[part];
  }
  return cur;
}
