/**
 * Federation values of Wire's `coturn` chart (federated calling). Pure: config in, values out.
 *
 * Value paths as the chart reads them (its values.yaml and templates: turnserver.conf comes from
 * `configmap-coturn-conf-template.yaml`): `federate.{enabled,port}` → `federation-listening-port`;
 * `federate.dtls.enabled` → `federation-no-dtls=false` with `federation-cert`/`federation-pkey`
 * from the Secret `coturn-dtls-certificate` (made from `federate.dtls.tls.{crt,key}`, or by a
 * cert-manager Certificate from `federate.dtls.tls.issuerRef` + `certificate.*`);
 * `federate.dtls.remoteWhitelist[]` (`{host, issuer?}`) → `federation-remote-whitelist=<host>[,<issuer>]`;
 * `ca.{enabled,cert}` → `CA-file=/secrets-ca/ca-certificates.crt`; `ratelimit.allowlist[]` →
 * `401-allowlist`; `coturnFederationListeningIP` → `federation-listening-ip`;
 * `secrets.zrestSecrets[]` → the TURN authentication secret.
 */
import type { WireFederationConfig } from '../../config';
import { compareStrings } from '../../order';
import type { ReleaseValues, SensitiveValue, Values } from './types';

/** Extended key usages of the coturn DTLS certificate, as cert-manager names them: it is server AND client. */
export const COTURN_CERTIFICATE_USAGES = ['server auth', 'client auth'] as const;

/** Where coturn's DTLS certificate comes from. */
export type CoturnCertificateSource =
  | {
      /** Made outside the chart (our private CA, or brought): the chart writes the Secret from these. */
      readonly kind: 'secret';
      /** PEM of the certificate chain (public; may be an apply-time token). */
      readonly certificatePem: string;
      /** PEM of the private key: sensitive, only through `set_sensitive`. */
      readonly privateKeyPem: string;
    }
  | {
      /** The chart's cert-manager Certificate, issued by our CA ClusterIssuer. */
      readonly kind: 'cert-manager';
      readonly issuerName: string;
      readonly duration: string;
      readonly renewBefore: string;
    };

export interface CoturnValuesInput {
  /** The parsed environment config (calling on, coturn set). */
  readonly config: Pick<WireFederationConfig, 'calling' | 'peers'>;
  /** Our DTLS certificate. */
  readonly certificate: CoturnCertificateSource;
  /** PEM bundle of the CAs coturn trusts for peers' DTLS certificates (`ca.cert`): ours and every peer's. */
  readonly caBundle: string;
  /** The TURN authentication secret (`secrets.zrestSecrets[0]`), a sensitive input; the same as brig's `secrets.turn.secret`. */
  readonly turnSecret: string;
}

/** The whitelist entries of the peers that federate calls: `{host, issuer?}`, sorted by host. */
export function coturnRemoteWhitelist(peers: WireFederationConfig['peers']): Array<{ host: string; issuer?: string }> {
  return peers
    .flatMap((p) =>
      p.calling ? [{ host: p.calling.coturnHost, ...(p.calling.issuerCommonName !== undefined ? { issuer: p.calling.issuerCommonName } : {}) }] : [],
    )
    .sort((a, b) => compareStrings(a.host, b.host));
}

/**
 * coturn's rate-limit allowlist: the peers' coturn public IPs and our own SFT IPs (Wire's
 * federation guide), each once, sorted.
 */
export function coturnAllowlist(config: Pick<WireFederationConfig, 'calling' | 'peers'>): string[] {
  const ips = [...config.peers.flatMap((p) => (p.calling ? p.calling.publicIps : [])), ...(config.calling.sftd.publicIps ?? [])];
  return [...new Set(ips)].sort(compareStrings);
}

/**
 * The federation values of coturn: the federation listener (port, bind address), DTLS with our
 * certificate, a whitelist entry per peer, the CA bundle, the rate-limit allowlist; the TURN
 * secret and the certificate's key only as sensitive entries.
 */
export function coturnValues(input: CoturnValuesInput): ReleaseValues {
  const coturn = input.config.calling.coturn;
  if (coturn === undefined) throw new Error('coturnValues: calling.coturn is required');
  const sensitive: SensitiveValue[] = [{ path: 'secrets.zrestSecrets[0]', value: input.turnSecret }];
  const dtls: Values = { enabled: coturn.dtls };
  if (coturn.dtls) {
    const cert = input.certificate;
    if (cert.kind === 'secret') {
      dtls.tls = { crt: cert.certificatePem };
      sensitive.push({ path: 'federate.dtls.tls.key', value: cert.privateKeyPem });
    } else {
      dtls.tls = {
        issuerRef: { name: cert.issuerName, kind: 'ClusterIssuer', group: 'cert-manager.io' },
        certificate: { dnsNames: [coturn.host], duration: cert.duration, renewBefore: cert.renewBefore, usages: [...COTURN_CERTIFICATE_USAGES] },
      };
    }
    dtls.remoteWhitelist = coturnRemoteWhitelist(input.config.peers);
  }
  const values: Values = {
    coturnFederationListeningIP: coturn.federationListeningIp,
    // The TURN port sftd's turnServerURI names (calling.coturn.turnPort): one source for both.
    coturnTurnListenPort: coturn.turnPort,
    federate: { enabled: true, port: coturn.federationPort, dtls },
    ca: { enabled: true, cert: input.caBundle },
  };
  const allowlist = coturnAllowlist(input.config);
  if (allowlist.length > 0) values.ratelimit = { allowlist };
  return { values, sensitive };
}
