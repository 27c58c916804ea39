import type { X509Certificate } from 'node:crypto';
import type { FederationRule, Finding } from '../finding';
import { usesNginxIngressServices } from '../../config/parse';
import { parseCertificates } from '../../core/pem';

/**
 * How deep a peer's client certificates sit below a trusted root: 1 when its CA file holds the
 * root that signs its federator certificate, 1 + n when it holds n intermediates below that root.
 * Counted along the issuer links inside the peer's own CA certificates (the deepest CA wins).
 */
export function peerChainDepth(cas: readonly X509Certificate[]): number {
  const depthOf = (cert: X509Certificate, seen: ReadonlySet<X509Certificate>): number => {
    if (cert.checkIssued(cert)) return 1;
    const issuer = cas.find((c) => c !== cert && !seen.has(c) && cert.checkIssued(c));
    return issuer === undefined ? 1 : 1 + depthOf(issuer, new Set([...seen, cert]));
  };
  return Math.max(1, ...cas.map((c) => depthOf(c, new Set())));
}

/**
 * nginx `tls.verify_depth` limits the chains of the PEERS' client certificates, verified against
 * our trust bundle (`secrets.tlsClientCA`): it must cover the longest of them. A peer whose CA
 * file holds intermediates below its root presents chains deeper than 1, which a depth of 1
 * refuses. Our own chain depth is not a reason to raise ours: it is what our peers must allow.
 * (wire-ingress has no verify depth; see `verify-depth-unused`.)
 */
export const peerChainDepthRule: FederationRule = {
  id: 'peer-chain-depth',
  description:
    "federation.verifyDepth covers the longest chain among the peers' CA files (nginx-ingress-services: intermediates in a peer's CA file need a deeper verify depth)",
  configOnly: true,
  check: ({ config }) => {
    if (!usesNginxIngressServices(config)) return [];
    const findings: Finding[] = [];
    config.peers.forEach((peer, i) => {
      const pems = peer.caCertificates.flatMap((ca) => (ca.kind === 'pem' ? [ca.pem] : []));
      const certs = pems.flatMap((pem) => {
        const parsed = parseCertificates(pem);
        return 'certificates' in parsed ? parsed.certificates : [];
      });
      const depth = peerChainDepth(certs);
      if (depth <= config.federation.verifyDepth) return;
      findings.push({
        level: 'error',
        rule: 'peer-chain-depth',
        path: 'federation.verifyDepth',
        message: `is ${config.federation.verifyDepth}, but the CA certificates of peer ${peer.domain} (peers[${i}]) hold ${depth - 1} intermediate CA${depth === 2 ? '' : 's'} below the root: its client certificates are ${depth} deep, and our ingress (tls.verify_depth) would refuse them. Set federation.verifyDepth to at least ${depth}.`,
      });
    });
    return findings;
  },
};
