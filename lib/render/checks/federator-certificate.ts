/**
 * What both ingress charts share: the federator Certificate of cert-manager mode (our CA issuer,
 * the federator domain, server + client usage) and the secrets a release makes.
 * docs/chart-facts.md, sections 5 and 8.
 */
import type { Finding } from '../../checks/finding';
import type { Manifest } from '../helm';
import { RENDER_RULE_IDS, RenderContext, RenderedRelease, error, find, ref } from './types';

/** Whether a certificate name covers `host` (exactly, or a one-label wildcard). */
export function covers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  return n === h || (n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, h.length - n.length + 1).includes('.'));
}

/** What a cert-manager Certificate of the federation PKI gets wrong (each part absent when right). */
export interface FederationCertificateProblems {
  /** Its issuer, when it is not our CA ClusterIssuer. */
  readonly issuer?: { readonly kind?: string; readonly name?: string };
  /** Its dnsNames, when none covers the host. */
  readonly dnsNames?: readonly string[];
  /** The usages it lacks of server auth and client auth, and those it has. */
  readonly usages?: { readonly lacking: readonly string[]; readonly has: readonly string[] };
}

/**
 * The checks every certificate of federation shares (the federator's, coturn's DTLS one): issued
 * by our CA ClusterIssuer `issuerName`, valid for `host`, usable as server AND client certificate.
 */
export function federationCertificateProblems(c: Manifest, issuerName: string, host: string): FederationCertificateProblems {
  const issuer = c.spec?.issuerRef ?? {};
  const wrongIssuer = issuer.name !== issuerName || issuer.kind !== 'ClusterIssuer' || (issuer.group !== undefined && issuer.group !== 'cert-manager.io');
  const dnsNames: string[] = Array.isArray(c.spec?.dnsNames) ? c.spec.dnsNames : [];
  const usages: string[] = Array.isArray(c.spec?.usages) ? c.spec.usages : [];
  const lacking = ['server auth', 'client auth'].filter((u) => !usages.includes(u));
  return {
    ...(wrongIssuer ? { issuer: { kind: issuer.kind, name: issuer.name } } : {}),
    ...(dnsNames.some((n) => covers(n, host)) ? {} : { dnsNames }),
    ...(lacking.length > 0 ? { usages: { lacking, has: usages } } : {}),
  };
}

/** The federator Certificate (cert-manager): our CA issuer, the federator domain, server+client usage. */
export function certificateFindings(ctx: RenderContext, rendered: RenderedRelease, where: (m: string) => string): Finding[] {
  const pki = ctx.config.pki;
  const certificates = find(rendered.manifests, 'Certificate').filter((c) => /^federator-/.test(c.metadata.name));
  if (pki.mode !== 'cert-manager') return [];
  if (certificates.length === 0) {
    return [
      error(
        RENDER_RULE_IDS.missingManifest,
        where('Certificate/federator-*'),
        `pki.mode is cert-manager, but the ${rendered.release.chart} chart rendered no federator Certificate`,
      ),
    ];
  }
  const findings: Finding[] = [];
  for (const c of certificates) {
    const problems = federationCertificateProblems(c, pki.issuerName, ctx.config.federatorDomain);
    if (problems.issuer) {
      findings.push(
        error(
          RENDER_RULE_IDS.issuer,
          where(ref(c)),
          `the federator Certificate is issued by ${problems.issuer.kind ?? '?'} ${JSON.stringify(problems.issuer.name ?? null)}, not by our CA ClusterIssuer ${JSON.stringify(pki.issuerName)}: peers trust only our CA (and Let's Encrypt no longer issues client-auth certificates)`,
        ),
      );
    }
    if (problems.dnsNames) {
      findings.push(
        error(
          RENDER_RULE_IDS.certificate,
          where(ref(c)),
          `the federator Certificate's dnsNames ${JSON.stringify(problems.dnsNames)} do not cover the federator domain ${ctx.config.federatorDomain}`,
        ),
      );
    }
    if (problems.usages) {
      findings.push(
        error(
          RENDER_RULE_IDS.certificate,
          where(ref(c)),
          `the federator Certificate lacks the usage ${problems.usages.lacking.join(' and ')} (it has ${JSON.stringify(problems.usages.has)}); the federator presents it as server AND client certificate`,
        ),
      );
    }
  }
  return findings;
}

/** Secrets an ingress release makes: Secrets it renders and secrets its Certificates fill. */
export function producedSecrets(rendered: RenderedRelease): string[] {
  return [
    ...find(rendered.manifests, 'Secret').map((s) => s.metadata.name),
    ...find(rendered.manifests, 'Certificate')
      .map((c) => c.spec?.secretName)
      .filter((n): n is string => typeof n === 'string'),
  ];
}
