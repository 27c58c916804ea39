import { defineCatalogue } from '../core/catalogue';
import type { CatalogueEntry } from '../core/catalogue';

/**
 * What the list of checks (docs/reference/checks.md) says about a check id.
 * @deprecated the one shape of every catalogue is `CatalogueEntry` (lib/core/catalogue.ts)
 */
export type CheckDescription = CatalogueEntry;

/**
 * The checks of the parser (stages 1 and 2 of the validation pipeline: the schema and the files
 * a config names) and of the lock: every `rule` a {@link ConfigProblem} may carry.
 */
export const CONFIG_RULES = defineCatalogue({
  schema: {
    level: 'error',
    description:
      'types, ranges and defaults of the schema; unknown keys (typos); DNS names normalized (SRV weight 1..65535, TTL, ports, zone ids, exact chart versions, CA generations, `letsencrypt-only` refused, …)',
  },
  'config-file': { level: 'error', description: 'a YAML/JSON config file that cannot be read or parsed' },
  'file-not-found': { level: 'error', description: 'a CA, values or certificate file that the config names does not exist' },
  'input-file': {
    level: 'error',
    description:
      'a file the config names (CA, values, certificate, adoption record) that is not a regular file (a directory, FIFO or device) or is larger than its limit',
  },
  'values-file': { level: 'error', description: 'a values file that is not YAML or not a map' },
  'ca-certificate': { level: 'error', description: 'a CA that is not a PEM certificate, or that holds a private key' },
  'provided-certificate': {
    level: 'error or warning',
    description:
      '`pki.mode: provided`: SAN, server and client usage, key curve and size, key matches the certificate, chain leads to the CA, expiry (a warning under 30 days)',
  },
  'own-chain-depth': {
    level: 'warning',
    description:
      'a provided chain with intermediates: peers on nginx-ingress-services need a `tls.verify_depth` that deep (stack output `federator_chain_depth`)',
  },
  'chart-version': {
    level: 'error',
    description:
      'cert-manager mode with nginx-ingress-services older than 5.27.0 (the first release with `federator.tls.issuer` a federated backend may run), or a federator certificate `duration`/`renewBefore` other than 2160h/360h before 5.28.0 (the chart ignores them there); docs/reference/chart-versions.md',
  },
  'chart-known-bad': {
    level: 'error',
    description:
      'a chart release to skip: 5.26.x in federated environments (pin 5.27.0), the broken 5.29.x (pin 5.30.0) and 5.31.x (pin 5.32.0); docs/reference/chart-versions.md',
  },
  'restrict-needs-api': {
    level: 'error',
    description: "`peers[].allowedTeams` (or `restrictToTeams`) without `remotes.mode: api`: brig's config list cannot restrict teams",
  },
  'deprecated-restrict-to-teams': { level: 'warning', description: '`peers[].restrictToTeams`, the old name of `allowedTeams`' },
  'allowed-teams-twice': { level: 'error', description: 'both `allowedTeams` and `restrictToTeams` on one peer' },
  'duplicate-team': { level: 'error', description: 'a team id or name declared twice in `teams`' },
  'adoption-record': {
    level: 'error',
    description:
      'the adoption record (`adoptionFile`) is not valid JSON, not in the form `wire-federation adopt` writes, or records DNS records the config no longer manages',
  },
  'adoption-release': {
    level: 'error',
    description:
      "the config's `kubernetes.namespace` or `charts.<release>.releaseName` differs from the running release the adoption record imports (the plan would replace it), or the record imports a release the config no longer installs",
  },
  'adoption-downgrade': {
    level: 'error or warning',
    description:
      'a chart version below the one the adoption record found running: an error unless `charts.<release>.downgradeFrom` names the running version (then a warning)',
  },
  'adoption-stale': {
    level: 'warning',
    description:
      '`pki.mode` or `ingress.chart` changed since adoption: the adopted values files were split for the old setting; the message gives the adopt command to run again',
  },
  'adoption-certificate-hosts': {
    level: 'error',
    description:
      '`pki.mode: private-ca` would replace the running certificate (`secrets.tlsWildcardCert`, from the adoption record) that covers more hosts than the federator: names the hosts and the modes that keep them',
  },
  'adoption-record-format': {
    level: 'error',
    description: 'an adoption record written by a newer version of wire-federation-cdktf (a record format this version does not read)',
  },
  'monitoring-timeout': {
    level: 'warning',
    description: "`monitoring.enabled` with 3 × `monitoring.timeoutMs` at or above `monitoring.interval`: a slow peer would make the exporter's rounds overrun",
  },
  'calling-charts': { level: 'error', description: '`calling.enabled` without `charts.coturn` or `charts.sftd` (install them, or adopt the running releases)' },
  'calling-coturn-host': {
    level: 'error',
    description:
      '`calling.coturn.host` is the federator domain, or outside the DNS zone that gets its records (Azure, RFC 2136; `calling.coturn.dnsRecords: false` leaves the records to you)',
  },
  'calling-certificate': {
    level: 'error',
    description: "`calling.coturn.certificate` missing with `pki.mode: provided`, or given with another mode (which issues coturn's certificate from our CA)",
  },
  'locked-ingress-chart': {
    level: 'error',
    description: 'an environment locked to nginx-ingress-services switched to wire-ingress without the migration (docs/ingress-charts.md)',
  },
});

/** The id of a check of the parser or the lock. */
export type ConfigRuleId = keyof typeof CONFIG_RULES;

/** One problem in a config: where it is and what is wrong. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `peers[2].domain`; empty for the whole config. */
  readonly path: string;
  /** Names the field, says what is allowed and shows the value received. */
  readonly message: string;
  /**
   * The stable id of the check that found it (see docs/reference/checks.md): one of
   * {@link CONFIG_RULES} where the parser or the lock finds it.
   * @default 'schema'
   */
  readonly rule?: string;
}

/**
 * Thrown for a config with problems. Carries every problem at once; its message lists them one
 * per line as `path: message`, so the CLI and synth can print it without a stack trace.
 */
export class FederationConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source?: string) {
    // One line per problem, whatever a received value contains: a newline in user input must
    // not forge further problem lines (or something that looks like a stack trace).
    const lines = problems.map((p) => ({ ...p, path: oneLine(p.path), message: oneLine(p.message) }));
    const where = source ? ` in ${source}` : '';
    super(
      `Invalid federation config${where} (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n` +
        lines.map((p) => `  ${p.path || '(config)'}: ${p.message}`).join('\n'),
    );
    this.name = 'FederationConfigError';
    this.problems = lines;
  }
}

/** Renders a path array as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`)).join('');
}

/** Short rendering of a received value for messages (never multi-line, bounded length). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line, whatever the input: control characters (newlines too) are shown escaped. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
