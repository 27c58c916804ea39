import type { FederationRule, Finding } from '../finding';
import { oneLineName } from '../../core/x509';
import { parseCertificates } from '../../core/pem';

/** What the rule needs of a certificate, by PEM: environments share their peers' CA files. */
const inspected = new Map<string, { readonly ca: boolean; readonly subject: string; readonly issuer: string } | undefined>();

function inspect(pem: string): { readonly ca: boolean; readonly subject: string; readonly issuer: string } | undefined {
  if (!inspected.has(pem)) {
    // The parser has parsed (and cached) every certificate already.
    const parsed = parseCertificates(pem);
    const cert = 'certificates' in parsed ? parsed.certificates[0] : undefined;
    inspected.set(pem, cert && { ca: cert.ca, subject: cert.subject, issuer: cert.issuer });
  }
  return inspected.get(pem);
}

/**
 * A peer "CA" that is a leaf certificate (no basic constraints `CA:TRUE`) signs nothing: the
 * ingress cannot verify the peer's client certificate with it, unless the peer presents exactly
 * that certificate. Usually someone copied the peer's federator certificate instead of its CA.
 */
export const peerCaNotCa: FederationRule = {
  id: 'peer-ca-not-ca',
  description: "every peer CA certificate is a CA (basic constraints CA:TRUE); a leaf here is usually the peer's federator certificate instead of its CA",
  level: 'error',
  configOnly: true,
  check: ({ config }) => {
    const findings: Finding[] = [];
    config.peers.forEach((peer, i) => {
      for (const ca of peer.caCertificates) {
        if (ca.kind !== 'pem') continue;
        const cert = inspect(ca.pem);
        if (cert === undefined || cert.ca) continue; // unparsable ones are refused while parsing
        const where = ca.origin === 'inline' ? 'an inline PEM' : `the file ${ca.origin}`;
        // An error, as for a card (issue 26, item 5): one answer for one CA everywhere.
        findings.push({
          level: 'error',
          rule: 'peer-ca-not-ca',
          path: `peers[${i}].caCertificates`,
          message: `${where} for peer ${peer.domain} holds a certificate that is not a CA (no basic constraints CA:TRUE): subject ${oneLineName(cert.subject)}, issuer ${oneLineName(cert.issuer)}. It looks like the peer's federator (leaf) certificate; ask the peer for the CA certificate that signs it.`,
        });
      }
    });
    return findings;
  },
};
