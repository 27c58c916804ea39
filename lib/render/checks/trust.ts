/**
 * Our trust bundle, from the config alone (not from the values we gave the chart), so a rendered
 * bundle can be compared with what the config means: our own CA, and every CA of every peer
 * (committed PEMs, and other environments' CAs from their outputs or as placeholders).
 */
import type { WireFederationConfig } from '../../config';
import { isPlaceholderPem, type StackOutputs } from '../releases';
import { pemBlocks } from './types';

/** One CA the bundle must hold. */
export interface ExpectedCa {
  /** In words, for messages: `our own CA`, `CA of peer wire.acme.test (stacks/…/ca.pem)`. */
  readonly label: string;
  /** Whether a certificate block of the rendered bundle is this CA. */
  readonly matches: (pem: string) => boolean;
}

const body = (pem: string): string => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

function oneOf(pems: readonly string[]): (pem: string) => boolean {
  const bodies = new Set(pems.flatMap(pemBlocks).map(body));
  return (pem) => bodies.has(body(pem));
}

/** The CAs the federator and the ingress must trust, by the config. */
export function expectedTrustBundle(config: WireFederationConfig, outputs?: StackOutputs): ExpectedCa[] {
  const expected: ExpectedCa[] = [];
  const pki = config.pki;
  if (pki.mode === 'provided') {
    expected.push({ label: 'our own CA (pki.caFile)', matches: oneOf([pki.caPem]) });
  } else {
    const published = outputs?.[config.environment]?.ca_certificate_pem;
    const fromOutput = typeof published === 'string' && pemBlocks(published).length > 0 ? oneOf([published]) : () => false;
    expected.push({
      label: 'our own CA',
      matches: (pem) => fromOutput(pem) || (isPlaceholderPem(pem) && /PLACEHOLDER\/tls\/self\/signed\/cert\//.test(body(pem).replace(/=+$/, ''))),
    });
  }
  config.peers.forEach((peer, i) =>
    peer.caCertificates.forEach((ca, j) => {
      if (ca.kind === 'pem') {
        expected.push({ label: `CA of peer ${peer.domain} (peers[${i}].caCertificates[${j}], ${ca.origin})`, matches: oneOf([ca.pem]) });
      } else {
        const published = outputs?.[ca.environment]?.ca_certificate_pem;
        const fromOutput = typeof published === 'string' && pemBlocks(published).length > 0 ? oneOf([published]) : () => false;
        const marker = new RegExp(`/(PeerState/)?${ca.environment.replace(/-/g, '/')}/outputs/ca/certificate/pem/`);
        expected.push({
          label: `CA of peer ${peer.domain} (environment ${ca.environment}'s ca_certificate_pem)`,
          matches: (pem) => fromOutput(pem) || (isPlaceholderPem(pem) && marker.test(body(pem))),
        });
      }
    }),
  );
  return expected;
}

/** What a rendered bundle lacks and what it has too much, against the expected CAs. */
export function compareBundle(expected: readonly ExpectedCa[], rendered: string | undefined): { missing: string[]; unexpected: number } {
  const blocks = pemBlocks(rendered);
  const missing = expected.filter((e) => !blocks.some((b) => e.matches(b))).map((e) => e.label);
  const unexpected = blocks.filter((b) => !expected.some((e) => e.matches(b))).length;
  return { missing, unexpected };
}
