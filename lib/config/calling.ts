/**
 * The `calling` block after parsing: the settings that depend on each other (the coturn and sftd
 * releases, the PKI mode and a brought certificate, the DNS zone of the coturn host), checked
 * where the parser reads the config, so every entry point refuses the same mistakes.
 */
import type { ConfigProblem } from './errors';
import { describeValue } from './errors';
import type { CallingConfig, CoturnConfig } from './schema/calling';
import { relativeDnsName } from '../core/names';
import { checkProvidedCertificate } from './provided-certificate';
import { parseCertificates } from '../core/pem';

/** A brought coturn DTLS certificate after parsing (pki.mode provided). */
export interface ProvidedCoturnCertificate {
  readonly certificateFile: string;
  /** The key file, resolved against the config's base directory. @default - the sensitive variable `coturn_dtls_private_key` */
  readonly keyFile?: string;
  /** The certificate chain (leaf first), checked at synth. */
  readonly certificateChainPem: string;
}

/** Our coturn after parsing. */
export interface ParsedCoturnConfig extends Omit<CoturnConfig, 'certificate'> {
  /** The brought DTLS certificate (pki.mode provided only). */
  readonly certificate?: ProvidedCoturnCertificate;
}

/** `calling` after parsing: defaults applied, a brought certificate read and checked. */
export interface ParsedCallingConfig extends Omit<CallingConfig, 'coturn'> {
  /** Our coturn: present whenever `enabled`. */
  readonly coturn?: ParsedCoturnConfig;
}

/** What the calling checks read of the schema output. */
export interface CallingCheckInput {
  readonly calling: CallingConfig;
  readonly federatorDomain: string;
  readonly charts: { readonly coturn?: unknown; readonly sftd?: unknown };
  readonly pki: { readonly mode: string; readonly caFile?: string };
  readonly dns: { readonly provider: string; readonly backendZone?: unknown; readonly infrastructureZone?: unknown };
}

/** Reads a file the config names (`field` for messages), or records a problem and gives undefined. */
export type ConfigFileReader = (path: string, field: string, what: string) => string | undefined;

/**
 * Checks `calling` against the rest of the config and reads a brought certificate. Problems and
 * warnings are pushed; the parsed block is returned (undefined coturn certificate when unreadable).
 */
export function resolveCalling(
  data: CallingCheckInput,
  read: ConfigFileReader,
  resolvePath: (path: string) => string,
  problems: ConfigProblem[],
  warnings: ConfigProblem[],
): ParsedCallingConfig {
  const { calling } = data;
  const coturn = calling.coturn;
  if (calling.enabled) {
    for (const key of ['coturn', 'sftd'] as const) {
      if (data.charts[key] !== undefined) continue;
      problems.push({
        path: `charts.${key}`,
        rule: 'calling-charts',
        message: `is required with calling.enabled: the ${key} release, a map of settings such as {version: '<chart version>'} (to adopt a running ${key}, run wire-federation adopt, which records it); received ${describeValue(undefined)}`,
      });
    }
  }
  if (coturn === undefined) return { ...calling, coturn: undefined };
  if (coturn.host === data.federatorDomain) {
    problems.push({
      path: 'calling.coturn.host',
      rule: 'calling-coturn-host',
      message: `is the federator domain ${data.federatorDomain}: coturn needs a name of its own (its A/AAAA records point at the coturn nodes, the federator's at the ingress), e.g. coturn.${parentOf(data.federatorDomain)}; received ${describeValue(coturn.host)}`,
    });
  }
  checkCoturnZone(data, coturn, problems);
  const { certificate, ...rest } = coturn;
  if (data.pki.mode !== 'provided') {
    if (certificate !== undefined) {
      problems.push({
        path: 'calling.coturn.certificate',
        rule: 'calling-certificate',
        message: `is used with pki.mode provided only: with pki.mode ${data.pki.mode} the coturn certificate is issued by our CA, like the federator's. Remove it, or set pki.mode provided`,
      });
    }
    return { ...calling, coturn: rest };
  }
  if (certificate === undefined) {
    if (calling.enabled) {
      problems.push({
        path: 'calling.coturn.certificate',
        rule: 'calling-certificate',
        message: `is required with pki.mode provided: {certificateFile, keyFile?}, a certificate for ${coturn.host} with server AND client auth usage, signed by the CA of pki.caFile (public CAs no longer issue client auth); received ${describeValue(undefined)}`,
      });
    }
    return { ...calling, coturn: rest };
  }
  const certificatePem = read(certificate.certificateFile, 'calling.coturn.certificate.certificateFile', 'file');
  const keyPem = certificate.keyFile === undefined ? undefined : read(certificate.keyFile, 'calling.coturn.certificate.keyFile', 'file');
  const caPem = data.pki.caFile === undefined ? undefined : read(data.pki.caFile, 'pki.caFile', 'file');
  if (certificatePem === undefined || caPem === undefined || (certificate.keyFile !== undefined && keyPem === undefined)) return { ...calling, coturn: rest };
  const { findings } = checkProvidedCertificate({
    files: { certificateFile: certificate.certificateFile, keyFile: certificate.keyFile ?? '(variable coturn_dtls_private_key)', caFile: data.pki.caFile! },
    certificatePem,
    keyPem,
    caPem,
    federatorDomain: coturn.host,
  });
  for (const f of findings) {
    const path = f.field === 'caFile' ? 'pki.caFile' : `calling.coturn.certificate.${f.field}`;
    // The checks speak of "the federator"; here the certificate is coturn's.
    (f.level === 'error' ? problems : warnings).push({
      path,
      rule: 'provided-certificate',
      message: `coturn DTLS certificate: ${f.message.replace(/federator domain/g, 'coturn host')}`,
    });
  }
  const chain = parseCertificates(certificatePem);
  return {
    ...calling,
    coturn: {
      ...rest,
      certificate: {
        certificateFile: certificate.certificateFile,
        keyFile: certificate.keyFile === undefined ? undefined : resolvePath(certificate.keyFile),
        certificateChainPem: 'pems' in chain ? `${chain.pems.join('\n')}\n` : '',
      },
    },
  };
}

const parentOf = (name: string): string => name.split('.').slice(1).join('.');

/**
 * Providers that address records relative to a zone given by its DNS name (Azure, RFC 2136) need
 * the coturn host inside the infrastructure zone (or the backend zone when there is none).
 */
function checkCoturnZone(data: CallingCheckInput, coturn: CoturnConfig, problems: ConfigProblem[]): void {
  const dns = data.dns;
  if (!coturn.dnsRecords || (dns.provider !== 'azure' && dns.provider !== 'rfc2136')) return;
  const zoneOf = (z: unknown): string | undefined =>
    typeof z === 'string' ? z : typeof z === 'object' && z !== null && 'name' in z ? String(z.name) : undefined;
  const zone = zoneOf(dns.infrastructureZone) ?? zoneOf(dns.backendZone);
  if (zone === undefined || relativeDnsName(coturn.host, zone) !== undefined) return;
  problems.push({
    path: 'calling.coturn.host',
    rule: 'calling-coturn-host',
    message: `is ${coturn.host}, which is not inside the DNS zone ${zone} that gets the infrastructure records (dns.${dns.infrastructureZone === undefined ? 'backendZone' : 'infrastructureZone'}): choose a coturn host inside ${zone}, or set calling.coturn.dnsRecords: false and create its A/AAAA records elsewhere; received ${describeValue(coturn.host)}`,
  });
}
