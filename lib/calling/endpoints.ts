/**
 * The calling endpoints of a config: our coturn federation listener and each peer's, as the
 * verifier, the card and the pair checks read them. Pure: no cdktf import.
 */
import { X509Certificate } from 'node:crypto';
import type { WireFederationConfig } from '../config/parse';
import { COTURN_FEDERATION_PORT } from '../config/schema/calling';
import { caCommonName } from '../pki/ca-name';

export { COTURN_FEDERATION_PORT, COTURN_TURN_PORT } from '../config/schema/calling';
export type { CallingConfig, CoturnConfig, SftdConfig, PeerCallingConfig, PeerCallingEndpoints } from '../config/schema/calling';
export type { ParsedCallingConfig, ParsedCoturnConfig, ProvidedCoturnCertificate } from '../config/calling';

/** Name of the Secret that holds coturn's DTLS certificate and key (`tls.crt`, `tls.key`; the coturn chart's name). */
export const COTURN_DTLS_SECRET = 'coturn-dtls-certificate';

/** One coturn federation listener. */
export interface CoturnEndpoint {
  /** The host name in its DTLS certificate (and in the whitelist entries for it). */
  readonly host: string;
  /** Its public addresses. */
  readonly publicIps: readonly string[];
  /** The federation port (UDP; DTLS when {@link dtls}). */
  readonly port: number;
  /** Whether the link is DTLS with mutual authentication. */
  readonly dtls: boolean;
}

/** A peer's coturn, as our config knows it. */
export interface PeerCoturnEndpoint extends CoturnEndpoint {
  /** The peer's backend domain. */
  readonly domain: string;
  /** The CN of the CA that issues the peer's coturn certificate (our whitelist entry's issuer). @default - any issuer our CA bundle trusts */
  readonly issuerCommonName?: string;
}

/** The calling endpoints of a config. */
export interface CallingEndpoints {
  /** Our coturn. */
  readonly own: CoturnEndpoint;
  /** Peers that federate calls and whose endpoints are known, in config order. */
  readonly peers: readonly PeerCoturnEndpoint[];
  /** Peers whose endpoints are unknown (a finding: calling-peer-endpoints). */
  readonly unknownPeers: readonly string[];
}

/** The calling endpoints of `config`, or undefined when calling is off. */
export function callingEndpoints(config: Pick<WireFederationConfig, 'calling' | 'peers'>): CallingEndpoints | undefined {
  const coturn = config.calling.coturn;
  if (!config.calling.enabled || coturn === undefined) return undefined;
  const peers: PeerCoturnEndpoint[] = [];
  const unknownPeers: string[] = [];
  for (const p of config.peers) {
    if (p.calling === undefined) unknownPeers.push(p.domain);
    else if (p.calling !== false) {
      peers.push({
        domain: p.domain,
        host: p.calling.coturnHost,
        publicIps: p.calling.publicIps,
        port: p.calling.federationPort ?? COTURN_FEDERATION_PORT,
        dtls: p.calling.dtls,
        ...(p.calling.issuerCommonName !== undefined ? { issuerCommonName: p.calling.issuerCommonName } : {}),
      });
    }
  }
  return { own: { host: coturn.host, publicIps: coturn.publicIps, port: coturn.federationPort, dtls: coturn.dtls }, peers, unknownPeers };
}

/**
 * The common name of the CA that issues our coturn certificate in the private-ca and cert-manager
 * modes: our signing CA generation (the same CA as the federator's). Undefined for a brought
 * certificate (its issuer is whatever the operator's CA is).
 */
export function ownCoturnIssuerCommonName(config: Pick<WireFederationConfig, 'backendDomain' | 'pki'>): string | undefined {
  if (config.pki.mode === 'provided') return undefined;
  return caCommonName(config.backendDomain, config.pki.signingCaGeneration);
}

/**
 * The common name of the CA that issues our coturn certificate: our signing CA (private-ca,
 * cert-manager), or the issuer of the brought certificate (pki.mode provided). Undefined when
 * calling is off or the brought certificate's issuer has no common name.
 */
export function coturnIssuerCommonName(config: Pick<WireFederationConfig, 'backendDomain' | 'pki' | 'calling'>): string | undefined {
  if (!config.calling.enabled) return undefined;
  const own = ownCoturnIssuerCommonName(config);
  if (own !== undefined) return own;
  const pem = config.calling.coturn?.certificate?.certificateChainPem;
  if (pem === undefined || pem === '') return undefined;
  try {
    const issuer = new X509Certificate(pem).issuer;
    return /^CN=(.*)$/m.exec(issuer)?.[1];
  } catch {
    return undefined;
  }
}
