/**
 * Checks on the rendered ingress charts: `nginx-ingress-services` (an Ingress with mutual TLS
 * and the `federator-ca-secret`) and `wire-ingress` (a Gateway listener with a
 * ClientTrafficPolicy that reads wire-server's `federator-ca`). Both: the federator Certificate
 * in cert-manager mode. docs/chart-facts.md, sections 5 and 8.
 */
import type { Finding } from '../../checks/finding';
import { compareBundle, expectedTrustBundle } from './trust';
import { ChartChecks, RENDER_RULES, RenderContext, RenderedRelease, error, find, ref } from './types';

/** Whether a certificate name covers `host` (exactly, or a one-label wildcard). */
export function covers(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  return n === h || (n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, h.length - n.length + 1).includes('.'));
}

/** The federator Certificate (cert-manager): our CA issuer, the federator domain, server+client usage. */
function certificateFindings(ctx: RenderContext, rendered: RenderedRelease, where: (m: string) => string): Finding[] {
  const pki = ctx.config.pki;
  const certificates = find(rendered.manifests, 'Certificate').filter((c) => /^federator-/.test(c.metadata.name));
  if (pki.mode !== 'cert-manager') return [];
  if (certificates.length === 0) {
    return [error(RENDER_RULES.missingManifest, where('Certificate/federator-*'), `pki.mode is cert-manager, but the ${rendered.release.chart} chart rendered no federator Certificate`)];
  }
  const findings: Finding[] = [];
  for (const c of certificates) {
    const issuer = c.spec?.issuerRef ?? {};
    if (issuer.name !== pki.issuerName || issuer.kind !== 'ClusterIssuer' || (issuer.group !== undefined && issuer.group !== 'cert-manager.io')) {
      findings.push(
        error(
          RENDER_RULES.issuer,
          where(ref(c)),
          `the federator Certificate is issued by ${issuer.kind ?? '?'} ${JSON.stringify(issuer.name ?? null)}, not by our CA ClusterIssuer ${JSON.stringify(pki.issuerName)}: peers trust only our CA (and Let's Encrypt no longer issues client-auth certificates)`,
        ),
      );
    }
    const dnsNames: string[] = Array.isArray(c.spec?.dnsNames) ? c.spec.dnsNames : [];
    if (!dnsNames.some((n) => covers(n, ctx.config.federatorDomain))) {
      findings.push(error(RENDER_RULES.certificate, where(ref(c)), `the federator Certificate's dnsNames ${JSON.stringify(dnsNames)} do not cover the federator domain ${ctx.config.federatorDomain}`));
    }
    const usages: string[] = Array.isArray(c.spec?.usages) ? c.spec.usages : [];
    const lacking = ['server auth', 'client auth'].filter((u) => !usages.includes(u));
    if (lacking.length > 0) {
      findings.push(error(RENDER_RULES.certificate, where(ref(c)), `the federator Certificate lacks the usage ${lacking.join(' and ')} (it has ${JSON.stringify(usages)}); the federator presents it as server AND client certificate`));
    }
  }
  return findings;
}

/** Secrets an ingress release makes: Secrets it renders and secrets its Certificates fill. */
function producedSecrets(rendered: RenderedRelease): string[] {
  return [
    ...find(rendered.manifests, 'Secret').map((s) => s.metadata.name),
    ...find(rendered.manifests, 'Certificate').map((c) => c.spec?.secretName).filter((n): n is string => typeof n === 'string'),
  ];
}

const FEDERATOR_INGRESS = 'federator-ingress';
const CLIENT_CA_SECRET = 'federator-ca-secret';
const A = 'nginx.ingress.kubernetes.io/';

function nginxCheck(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  const { release, manifests } = rendered;
  const where = (m: string) => `${release.chart}:${m}`;
  const findings: Finding[] = [];
  const [ingress] = find(manifests, 'Ingress', FEDERATOR_INGRESS);
  if (ingress === undefined) {
    return [error(RENDER_RULES.missingManifest, where(`Ingress/${FEDERATOR_INGRESS}`), 'the federator Ingress is not rendered: federator.enabled must be true')];
  }
  const annotations = ingress.metadata.annotations ?? {};
  if (annotations[`${A}auth-tls-verify-client`] !== 'on') {
    findings.push(error(RENDER_RULES.clientVerification, where(ref(ingress)), `the federator Ingress has auth-tls-verify-client ${JSON.stringify(annotations[`${A}auth-tls-verify-client`] ?? null)}, not "on": it must demand a client certificate from every peer`));
  }
  const caSecret = `${release.namespace}/${CLIENT_CA_SECRET}`;
  const gotSecret = annotations[`${A}auth-tls-secret`];
  if (gotSecret !== caSecret && !(typeof gotSecret === 'string' && gotSecret.endsWith(`/${CLIENT_CA_SECRET}`))) {
    findings.push(error(RENDER_RULES.clientVerification, where(ref(ingress)), `the federator Ingress verifies client certificates against ${JSON.stringify(gotSecret ?? null)}, not ${caSecret} (our trust bundle)`));
  }
  const depth = Number(annotations[`${A}auth-tls-verify-depth`]);
  if (!(depth >= 1) || depth !== config.federation.verifyDepth) {
    findings.push(
      error(
        RENDER_RULES.verifyDepth,
        where(ref(ingress)),
        `the federator Ingress has auth-tls-verify-depth ${JSON.stringify(annotations[`${A}auth-tls-verify-depth`] ?? null)}, but federation.verifyDepth is ${config.federation.verifyDepth}${depth >= 1 ? '' : ' (below 1 no peer certificate verifies)'}`,
      ),
    );
  }
  const hosts: string[] = (ingress.spec?.rules ?? []).map((r: any) => r?.host);
  const tlsHosts: string[] = (ingress.spec?.tls ?? []).flatMap((t: any) => t?.hosts ?? []);
  if (!hosts.includes(config.federatorDomain) || !tlsHosts.includes(config.federatorDomain)) {
    findings.push(error(RENDER_RULES.federatorHost, where(ref(ingress)), `the federator Ingress serves ${JSON.stringify([...new Set([...hosts, ...tlsHosts])])}, not the federator domain ${config.federatorDomain} (config.dns.federator)`));
  }
  const [secret] = find(manifests, 'Secret', CLIENT_CA_SECRET);
  const bundle = secret?.data?.['ca.crt'] !== undefined ? Buffer.from(String(secret.data['ca.crt']), 'base64').toString('utf8') : undefined;
  if (bundle === undefined || bundle.trim() === '') {
    findings.push(error(RENDER_RULES.clientCa, where(`Secret/${CLIENT_CA_SECRET}`), `the client CA bundle of the federator Ingress is ${secret === undefined ? 'not rendered' : 'empty'} (secrets.tlsClientCA): no peer's client certificate verifies`));
  } else {
    const { missing, unexpected } = compareBundle(expectedTrustBundle(config, ctx.outputs), bundle);
    if (missing.length > 0 || unexpected > 0) {
      findings.push(
        error(
          RENDER_RULES.clientCa,
          where(`Secret/${CLIENT_CA_SECRET}`),
          `the client CA bundle of the federator Ingress (secrets.tlsClientCA) is not our trust bundle:${missing.length > 0 ? ` it lacks ${missing.join('; ')}` : ''}${unexpected > 0 ? `${missing.length > 0 ? ', and' : ''} it holds ${unexpected} certificate${unexpected === 1 ? '' : 's'} the config does not name` : ''}`,
        ),
      );
    }
  }
  findings.push(...certificateFindings(ctx, rendered, where));
  return findings;
}

function wireIngressCheck(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  const { release, manifests } = rendered;
  const where = (m: string) => `${release.chart}:${m}`;
  const findings: Finding[] = [];
  const listener = find(manifests, 'Gateway').flatMap((g) => (g.spec?.listeners ?? []).map((l: any) => ({ gateway: g, l }))).find((x) => x.l?.name === 'federator');
  if (listener === undefined) {
    return [error(RENDER_RULES.missingManifest, where('Gateway'), 'no Gateway listener named federator is rendered: federator.enabled must be true')];
  }
  if (listener.l.hostname !== config.federatorDomain) {
    findings.push(error(RENDER_RULES.federatorHost, where(ref(listener.gateway)), `the federator listener serves ${JSON.stringify(listener.l.hostname ?? null)}, not the federator domain ${config.federatorDomain} (config.dns.federator)`));
  }
  const policy = find(manifests, 'ClientTrafficPolicy').find((p) => (p.spec?.targetRefs ?? []).some((t: any) => t?.sectionName === 'federator'));
  const refs: any[] = policy?.spec?.tls?.clientValidation?.caCertificateRefs ?? [];
  if (policy === undefined || !refs.some((r) => r?.name === 'federator-ca' && r?.kind === 'ConfigMap')) {
    findings.push(
      error(
        RENDER_RULES.clientVerification,
        where(policy ? ref(policy) : 'ClientTrafficPolicy'),
        `the federator listener does not validate client certificates against wire-server's federator-ca ConfigMap (our trust bundle)${policy ? `; it uses ${JSON.stringify(refs)}` : ': no ClientTrafficPolicy targets it'}`,
      ),
    );
  }
  // The listener's TLS secret: the chart's Certificate, or a secret this stack creates.
  const secretName = listener.l.tls?.certificateRefs?.[0]?.name;
  if (typeof secretName === 'string' && !producedSecrets(rendered).includes(secretName) && !ctx.terraformSecrets.includes(secretName)) {
    findings.push(error(RENDER_RULES.clientCertificateSecret, where(ref(listener.gateway)), `the federator listener serves the TLS secret ${secretName}, which neither this release nor the stack creates`));
  }
  findings.push(...certificateFindings(ctx, rendered, where));
  return findings;
}

export const nginxIngressServicesChecks: ChartChecks = { chart: 'nginx-ingress-services', check: nginxCheck, producedSecrets };
export const wireIngressChecks: ChartChecks = { chart: 'wire-ingress', check: wireIngressCheck, producedSecrets };
