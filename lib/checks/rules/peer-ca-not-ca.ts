import { X509Certificate } from 'node:crypto';
import type { FederationRule, Finding } from '../finding';
import { oneLineName } from '../../pki/inspect';

/**
 * A peer "CA" that is a leaf certificate (no basic constraints `CA:TRUE`) signs nothing: the
 * ingress cannot verify the peer's client certificate with it, unless the peer presents exactly
 * that certificate. Usually someone copied the peer's federator certificate instead of its CA.
 */
export const peerCaNotCa: FederationRule = {
  id: 'peer-ca-not-ca',
  description: "every peer CA certificate is a CA (basic constraints CA:TRUE)",
  configOnly: true,
  check: ({ config }) => {
    const findings: Finding[] = [];
    config.peers.forEach((peer, i) => {
      for (const ca of peer.caCertificates) {
        if (ca.kind !== 'pem') continue;
        let cert: X509Certificate;
        try {
          cert = new X509Certificate(ca.pem);
        } catch {
          continue; // refused while parsing
        }
        if (cert.ca) continue;
        const where = ca.origin === 'inline' ? 'an inline PEM' : `the file ${ca.origin}`;
        findings.push({
          level: 'warning',
          rule: 'peer-ca-not-ca',
          path: `peers[${i}].caCertificates`,
          message: `${where} for peer ${peer.domain} holds a certificate that is not a CA (no basic constraints CA:TRUE): subject ${oneLineName(cert.subject)}, issuer ${oneLineName(cert.issuer)}. It looks like the peer's federator (leaf) certificate; ask the peer for the CA certificate that signs it.`,
        });
      }
    });
    return findings;
  },
};
