/**
 * The adoption record: what `wire-federation adopt` found running, written as a reviewable JSON
 * file that the environment's config names (`adoptionFile`). The stacks import what it lists
 * (Terraform `import` blocks) instead of creating it. Pure: schema and rendering, no file access.
 */
import { z } from 'zod';

/** Wire's releases, by their config key (`charts.<key>`). */
export const RELEASE_KEYS = ['wireServer', 'nginxIngressServices', 'wireIngress', 'coturn', 'sftd'] as const;
export type ReleaseKey = (typeof RELEASE_KEYS)[number];

/** Chart name of each release key. */
export const CHART_OF: Readonly<Record<ReleaseKey, string>> = {
  wireServer: 'wire-server',
  nginxIngressServices: 'nginx-ingress-services',
  wireIngress: 'wire-ingress',
  coturn: 'coturn',
  sftd: 'sftd',
};

/** The releases of federated calling (`calling.enabled`): recorded from format 4 on. */
export const CALLING_RELEASE_KEYS = ['coturn', 'sftd'] as const;

/**
 * The releases the stack installs besides Wire's (see `lib/config/adoption/support-releases.ts`):
 * cert-manager and the CA issuer (pki.mode cert-manager), Envoy Gateway and the GatewayClass
 * (wire-ingress). A cluster may run them already.
 */
export const SUPPORT_RELEASE_KEYS = ['certManager', 'issuer', 'envoyGateway', 'gatewayClass'] as const;
export type SupportReleaseKey = (typeof SUPPORT_RELEASE_KEYS)[number];

/** The federator DNS records, by kind. */
export const DNS_RECORD_KINDS = ['srv', 'a', 'aaaa'] as const;
export type DnsRecordKind = (typeof DNS_RECORD_KINDS)[number];

const K8S_NAME = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** Import id of a helm_release: `namespace/name`. */
export const RELEASE_IMPORT_ID = new RegExp(`^${K8S_NAME}/${K8S_NAME}$`);
/** Import id of a cloudflare_dns_record (provider v5): `zone_id/record_id`. */
export const DNS_RECORD_IMPORT_ID = /^[0-9a-f]{32}\/[0-9a-f]{32}$/;

const helmPath = z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/, { error: 'must be a dotted Helm path such as brig.secrets.smtpPassword' });

const releaseRecordSchema = z.strictObject({
  /** Import the running release (`namespace/name`). @default - the release is installed */
  import: z.string().regex(RELEASE_IMPORT_ID, { error: 'must be a Helm release import id "<namespace>/<release name>"' }).optional(),
  /** Chart version that was running when adopted (informational). */
  chartVersion: z.string().optional(),
  /** Revision that was running when adopted (informational: `helm rollback` target). */
  revision: z.number().int().positive().optional(),
  /** The running values without secrets and federation keys, applied first (under `charts.<release>.valuesFiles`). */
  valuesFile: z.string().min(1).optional(),
  /** Secret paths found running: added to `charts.<release>.sensitiveValues`. */
  sensitiveValues: z.array(helmPath).default([]),
});

const supportReleaseRecordSchema = z.strictObject({
  /** Import the running release (`namespace/name`). */
  import: z.string().regex(RELEASE_IMPORT_ID, { error: 'must be a Helm release import id "<namespace>/<release name>"' }),
  /** Chart version that was running when adopted. */
  chartVersion: z.string().optional(),
  /** Revision that was running when adopted. */
  revision: z.number().int().positive().optional(),
});

/**
 * The format of the record this version writes and reads. A record of a higher format was
 * written by a newer version of the tool and is refused (it may carry facts this version would
 * ignore); a record without `format` is format 1 (before the config-versus-record rules).
 * Format 3 added `releases.wireIngress` and `supportReleases`; format 4 `releases.coturn` and
 * `releases.sftd` (federated calling).
 */
export const ADOPTION_RECORD_FORMAT = 4;

/** Schema of the adoption record file. */
export const adoptionRecordSchema = z.strictObject({
  /** Format of the record (see {@link ADOPTION_RECORD_FORMAT}). @default 1 */
  format: z.number().int().positive().optional(),
  environment: z.string().min(1),
  /** The backend domain the running backend uses (checked against the config). */
  backendDomain: z.string().min(1),
  releases: z
    .strictObject({
      wireServer: releaseRecordSchema.optional(),
      nginxIngressServices: releaseRecordSchema.optional(),
      wireIngress: releaseRecordSchema.optional(),
      coturn: releaseRecordSchema.optional(),
      sftd: releaseRecordSchema.optional(),
    })
    .default({}),
  /** Running releases of what the stack installs besides Wire's (cert-manager, the issuer, Envoy Gateway, the GatewayClass), to import. @default - none */
  supportReleases: z
    .strictObject({
      certManager: supportReleaseRecordSchema.optional(),
      issuer: supportReleaseRecordSchema.optional(),
      envoyGateway: supportReleaseRecordSchema.optional(),
      gatewayClass: supportReleaseRecordSchema.optional(),
    })
    .default({}),
  /** Existing federator DNS records to import (`zone_id/record_id`); a kind left out is created. */
  dnsRecords: z
    .strictObject({
      srv: z.string().regex(DNS_RECORD_IMPORT_ID, { error: 'must be a Cloudflare record import id "<zone_id>/<record_id>"' }).optional(),
      a: z.string().regex(DNS_RECORD_IMPORT_ID, { error: 'must be a Cloudflare record import id "<zone_id>/<record_id>"' }).optional(),
      aaaa: z.string().regex(DNS_RECORD_IMPORT_ID, { error: 'must be a Cloudflare record import id "<zone_id>/<record_id>"' }).optional(),
    })
    .default({}),
  /**
   * The settings the values files were made for: a later change of `pki.mode` or
   * `ingress.chart` makes them stale (adopt again). @default - unknown (format 1)
   */
  adoptedWith: z.strictObject({ pkiMode: z.string().min(1), ingressChart: z.string().min(1) }).optional(),
  /**
   * The certificate the running nginx-ingress-services served on every ingress
   * (`secrets.tlsWildcardCert`): its subject and DNS names. @default - none (cert-manager served the hosts, or unknown)
   */
  runningCertificate: z.strictObject({ subject: z.string(), hosts: z.array(z.string()) }).optional(),
});

export type AdoptionRecord = z.output<typeof adoptionRecordSchema>;
export type ReleaseRecord = z.output<typeof releaseRecordSchema>;
export type SupportReleaseRecord = z.output<typeof supportReleaseRecordSchema>;

/** What the stacks import: ids by resource. */
export interface AdoptionImports {
  readonly releases: Partial<Record<ReleaseKey, string>>;
  readonly dnsRecords: Partial<Record<DnsRecordKind, string>>;
  /** @default - none */
  readonly supportReleases?: Partial<Record<SupportReleaseKey, string>>;
}

/** The import ids of a record. */
export function importsOf(record: AdoptionRecord): AdoptionImports {
  const releases: Partial<Record<ReleaseKey, string>> = {};
  for (const key of RELEASE_KEYS) {
    const id = record.releases[key]?.import;
    if (id !== undefined) releases[key] = id;
  }
  const dnsRecords: Partial<Record<DnsRecordKind, string>> = {};
  for (const kind of DNS_RECORD_KINDS) {
    const id = record.dnsRecords[kind];
    if (id !== undefined) dnsRecords[kind] = id;
  }
  const supportReleases: Partial<Record<SupportReleaseKey, string>> = {};
  for (const key of SUPPORT_RELEASE_KEYS) {
    const id = record.supportReleases[key]?.import;
    if (id !== undefined) supportReleases[key] = id;
  }
  return { releases, dnsRecords, ...(Object.keys(supportReleases).length > 0 ? { supportReleases } : {}) };
}

/**
 * The lowest format that reads `record`: 3 when it records what format 3 added (a wire-ingress
 * release, supportReleases), else 2, so that an older version still reads a record it understands.
 */
export function recordFormatOf(record: Pick<AdoptionRecord, 'releases' | 'supportReleases'>): number {
  if (CALLING_RELEASE_KEYS.some((k) => record.releases[k] !== undefined)) return ADOPTION_RECORD_FORMAT;
  return record.releases.wireIngress !== undefined || Object.keys(record.supportReleases ?? {}).length > 0 ? 3 : 2;
}

/** The record as written: fixed key order, two-space JSON, final newline (stable for review). */
export function renderAdoptionRecord(record: AdoptionRecord): string {
  const release = (r: ReleaseRecord | undefined) =>
    r && {
      import: r.import,
      chartVersion: r.chartVersion,
      revision: r.revision,
      valuesFile: r.valuesFile,
      sensitiveValues: [...r.sensitiveValues].sort(),
    };
  const ordered = {
    format: record.format,
    environment: record.environment,
    backendDomain: record.backendDomain,
    releases: {
      wireServer: release(record.releases.wireServer),
      nginxIngressServices: release(record.releases.nginxIngressServices),
      wireIngress: release(record.releases.wireIngress),
      coturn: release(record.releases.coturn),
      sftd: release(record.releases.sftd),
    },
    supportReleases: SUPPORT_RELEASE_KEYS.some((k) => record.supportReleases[k] !== undefined)
      ? Object.fromEntries(
          SUPPORT_RELEASE_KEYS.flatMap((k) => {
            const r = record.supportReleases[k];
            return r ? [[k, { import: r.import, chartVersion: r.chartVersion, revision: r.revision }]] : [];
          }),
        )
      : undefined,
    dnsRecords: { srv: record.dnsRecords.srv, a: record.dnsRecords.a, aaaa: record.dnsRecords.aaaa },
    adoptedWith: record.adoptedWith && { pkiMode: record.adoptedWith.pkiMode, ingressChart: record.adoptedWith.ingressChart },
    runningCertificate: record.runningCertificate && { subject: record.runningCertificate.subject, hosts: [...record.runningCertificate.hosts] },
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
