import type { FederationRule, Finding } from '../finding';
import { peerCaProblems, tooManyCas } from '../../pki/peer-ca';
import { parseCertificates } from '../../core/pem';

/**
 * The peers' CA certificates of a config meet the bar of a card's CAs (`lib/pki/peer-ca`): the
 * same check, so `card add`, `card check`, validate and synth give one answer for one CA.
 * Expired, weak, public, too long-lived, an intermediate without its root, too many: errors;
 * expiring soon: a warning. (Not a CA: the rule `peer-ca-not-ca`.)
 */
export const peerCaCertificate: FederationRule = {
  id: 'peer-ca-certificate',
  description:
    "every peer CA certificate meets the bar of a card's CA: valid now (a warning when it expires within 30 days), an ECDSA P-256/P-384/P-521 or RSA ≥ 2048 key, no SHA-1/MD5 signature, at most 25 years of validity, a self-signed root or an intermediate listed with its issuer, not a CA of the public trust store (unless peers[].acceptPublicCa), at most 5 per peer",
  configOnly: true,
  check: ({ config }) => {
    const findings: Finding[] = [];
    config.peers.forEach((peer, i) => {
      const path = `peers[${i}].caCertificates`;
      const pems = peer.caCertificates.flatMap((ca) => (ca.kind === 'pem' ? [ca] : []));
      const certs = pems.flatMap((ca) => {
        const parsed = parseCertificates(ca.pem);
        return 'certificates' in parsed ? [{ ca, cert: parsed.certificates[0] }] : [];
      });
      const many = tooManyCas(peer.caCertificates.length);
      if (many !== undefined) findings.push({ level: many.level, rule: 'peer-ca-certificate', path, message: `peer ${peer.domain} ${many.message}` });
      for (const { ca, cert } of certs) {
        const where = ca.origin === 'inline' ? 'an inline PEM' : `the file ${ca.origin}`;
        const problems = peerCaProblems(
          cert,
          { acceptPublicCa: peer.acceptPublicCa === true },
          certs.map((c) => c.cert),
        );
        for (const p of problems) {
          if (p.code === 'not-ca') continue; // the rule peer-ca-not-ca
          findings.push({ level: p.level, rule: 'peer-ca-certificate', path, message: `${where} for peer ${peer.domain}: ${p.message}` });
        }
      }
    });
    return findings;
  },
};
