/**
 * The certificate the running nginx-ingress-services serves (`secrets.tlsWildcardCert`, used on
 * every ingress and copied into federator-certificate-secret for the federator). Installations
 * made before federation often have a public wildcard certificate there: it may lack the
 * federator domain or the client usage federation needs. Pure.
 */
import type { Finding } from '../checks/finding';
import type { WireFederationConfig } from '../config/parse';
import type { Values } from '../helm/values/types';
import { missingFederationUsages, sanCovers, sanDnsNames } from '../core/x509';
import { parseCertificates } from '../core/pem';
import { valueAtPath } from '../helm/values/paths';
import type { AdoptRuleId } from './rules';

const RULE: AdoptRuleId = 'adopt-running-certificate';

/** What the config's certificate mode does about a running certificate that cannot federate. */
function fixFor(config: WireFederationConfig): string {
  switch (config.pki.mode) {
    case 'cert-manager':
      return "pki.mode cert-manager (this config) fixes it: Let's Encrypt keeps serving the public hosts, and the federator gets its own certificate with both usages from the private CA issuer (federator.tls.issuer)";
    case 'private-ca':
      return "pki.mode private-ca (this config) replaces it with one certificate from the private CA with both usages, on every ingress: browsers do not trust that CA, so for public hosts use pki.mode cert-manager instead (Let's Encrypt for them, the private CA for the federator)";
    case 'provided':
      return 'pki.mode provided (this config) replaces it with your certificateFile, which synth checks for the federator domain and both usages';
  }
}

/** Findings about the running `secrets.tlsWildcardCert` (none when cert-manager serves the hosts). */
export function runningCertificateFindings(nginx: Values, config: WireFederationConfig): Finding[] {
  if (valueAtPath(nginx, 'tls.useCertManager') === true) return [];
  const pem = valueAtPath(nginx, 'secrets.tlsWildcardCert');
  if (typeof pem !== 'string' || pem === '') return [];
  const parsed = parseCertificates(pem);
  if ('error' in parsed) {
    return [
      { level: 'warning', rule: RULE, message: `nginx-ingress-services secrets.tlsWildcardCert of the running release ${parsed.error}; ${fixFor(config)}` },
    ];
  }
  const leaf = parsed.certificates[0];
  const lacks: string[] = [];
  if (!sanCovers(leaf, config.federatorDomain)) lacks.push(`the federator domain ${config.federatorDomain} in its SAN`);
  const usages = missingFederationUsages(leaf);
  if (usages.length > 0) lacks.push(`the ${usages.join(' and ')} usage (the federator presents this certificate as its client certificate too)`);
  if (lacks.length === 0) {
    return config.pki.mode === 'private-ca'
      ? [
          {
            level: 'warning',
            rule: RULE,
            message: `the running secrets.tlsWildcardCert (${leaf.subject.replace(/\n/g, ', ')}) covers the federator domain with both usages; pki.mode private-ca replaces it. To keep it, use pki.mode provided with its chain, key and CA files`,
          },
        ]
      : [];
  }
  return [
    {
      level: 'warning',
      rule: RULE,
      message: `the running nginx-ingress-services secrets.tlsWildcardCert (${leaf.subject.replace(/\n/g, ', ')}) lacks ${lacks.join(' and ')}, so it cannot federate. ${fixFor(config)}`,
    },
  ];
}

/**
 * The certificate the running release serves on every ingress, for the adoption record: its
 * subject and DNS names. None when cert-manager serves the hosts or there is no (parsable) one.
 */
export function runningCertificateOf(nginx: Values): { subject: string; hosts: string[] } | undefined {
  if (valueAtPath(nginx, 'tls.useCertManager') === true) return undefined;
  const pem = valueAtPath(nginx, 'secrets.tlsWildcardCert');
  if (typeof pem !== 'string' || pem === '') return undefined;
  const parsed = parseCertificates(pem);
  if ('error' in parsed) return undefined;
  const leaf = parsed.certificates[0];
  return { subject: leaf.subject.replace(/\n/g, ', '), hosts: sanDnsNames(leaf) };
}
