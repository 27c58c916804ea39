/**
 * The certificate expiry metrics, fed by the expiry and chain checks of our backend and of each
 * peer (subjects `federator`, `ca`, `peer`, `peer_ca`; with calling `coturn`, `peer_coturn`), and the typed details those checks carry.
 */
import { defineMetric, sample, Sample } from './types';

/** Details of an expiry check (`tls.expiry`, `peer[…].expiry`). */
export interface CertificateExpiryDetails {
  /** The certificate's notAfter, ISO time. */
  readonly notAfter: string;
}

/** Details of a passing chain check (`tls.chain`, `peer[…].chain`): the trust anchor the chain ends in. */
export interface ChainAnchorDetails {
  readonly caSubject: string;
  /** The anchor's notAfter, ISO time. */
  readonly caNotAfter: string;
}

export const CERTIFICATE_NOT_AFTER = defineMetric({
  name: 'wire_federation_certificate_not_after_timestamp_seconds',
  help: 'Unix time when a certificate expires (its notAfter), as last seen: subject federator (ours, as our ingress serves it), ca (our CA that signed it), peer (the certificate a peer serves), peer_ca (the CA we trust that signed it), coturn (our coturn DTLS certificate, with calling), peer_coturn (the coturn certificate of a peer); kept while the certificate cannot be read (see certificate_last_seen_timestamp_seconds)',
  type: 'gauge',
  labels: ['subject', 'peer'],
});

export const CERTIFICATE_LAST_SEEN = defineMetric({
  name: 'wire_federation_certificate_last_seen_timestamp_seconds',
  help: 'Unix time of the round that last read the certificate of certificate_not_after_timestamp_seconds (older than a few intervals: the value is stale)',
  type: 'gauge',
  labels: ['subject', 'peer'],
});

/** The two certificate metrics, by their keys in `METRIC_NAMES`. */
export const CERTIFICATE_METRICS = { certificateNotAfter: CERTIFICATE_NOT_AFTER, certificateLastSeen: CERTIFICATE_LAST_SEEN } as const;

/** Seconds since 1970 of an ISO time; undefined when absent or not a time. */
export const isoSeconds = (iso: string | undefined): number | undefined =>
  iso !== undefined && !Number.isNaN(Date.parse(iso)) ? Date.parse(iso) / 1000 : undefined;

/** The expiry of a certificate as read in the round that ended at `end`: nothing when it could not be read. */
export function certificateSamples(
  subject: 'federator' | 'ca' | 'peer' | 'peer_ca' | 'coturn' | 'peer_coturn',
  peer: string,
  notAfter: number | undefined,
  end: number,
): Sample[] {
  if (notAfter === undefined) return [];
  return [sample(CERTIFICATE_NOT_AFTER, { subject, peer }, notAfter), sample(CERTIFICATE_LAST_SEEN, { subject, peer }, end)];
}
