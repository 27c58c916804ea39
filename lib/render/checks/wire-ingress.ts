/**
 * Checks on the rendered `wire-ingress` chart (Gateway API): the federator listener serves the
 * federator domain, a ClientTrafficPolicy validates client certificates against wire-server's
 * `federator-ca` ConfigMap, its TLS secret is made by someone, and the cert-manager Certificate.
 * docs/chart-facts.md, section 8.
 */
import type { Finding } from '../../checks/finding';
import { certificateFindings, producedSecrets } from './federator-certificate';
import { ChartChecks, RENDER_RULES, RenderContext, RenderedRelease, error, find, ref } from './types';

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

export const wireIngressChecks: ChartChecks = { chart: 'wire-ingress', check: wireIngressCheck, producedSecrets };
