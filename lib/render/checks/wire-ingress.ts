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
  findings.push(...patchPolicyFindings(ctx, rendered, listener.gateway, where));
  // The listener's TLS secret: the chart's Certificate, or a secret this stack creates. While
  // migrating from nginx-ingress-services with cert-manager, wire-ingress serves the secret the
  // old release's Certificate writes (side by side: rendered there; after the old release is
  // removed, cert-manager keeps the secret) and renders no federator Certificate of its own.
  const migrating = config.ingress.migration !== undefined && config.pki.mode === 'cert-manager';
  const secretName = listener.l.tls?.certificateRefs?.[0]?.name;
  const otherReleases = ctx.producedSecrets.filter((p) => p.release !== release.name).map((p) => p.secret);
  const keptByCertManager = migrating && config.ingress.migration?.phase === 'old-removed' && secretName === 'federator-certificate-secret';
  if (typeof secretName === 'string' && !producedSecrets(rendered).includes(secretName) && !ctx.terraformSecrets.includes(secretName) && !(migrating && otherReleases.includes(secretName)) && !keptByCertManager) {
    findings.push(error(RENDER_RULES.clientCertificateSecret, where(ref(listener.gateway)), `the federator listener serves the TLS secret ${secretName}, which neither this release nor the stack creates`));
  }
  if (!migrating) findings.push(...certificateFindings(ctx, rendered, where));
  return findings;
}

/**
 * wire-ingress's EnvoyPatchPolicy: a peer's federator asks for the SRV target with its trailing
 * dot, which Envoy matches only when the federator route configuration
 * (`<namespace>/<gateway>/federator`) also lists `<federator domain>.`. Without the policy (or
 * with Envoy Gateway's EnvoyPatchPolicy API off) such requests get route_not_found.
 */
function patchPolicyFindings(ctx: RenderContext, rendered: RenderedRelease, gateway: { metadata: { name: string } }, where: (m: string) => string): Finding[] {
  const { config } = ctx;
  const routeConfig = `${rendered.release.namespace}/${gateway.metadata.name}/federator`;
  const wanted = `${config.federatorDomain}.`;
  const policies = find(rendered.manifests, 'EnvoyPatchPolicy');
  const adds = policies.some((p) =>
    (p.spec?.jsonPatches ?? []).some((j: any) => j?.name === routeConfig && j?.operation?.op === 'add' && j?.operation?.value === wanted),
  );
  if (adds) return [];
  return [
    error(
      RENDER_RULES.patchPolicy,
      where(policies.length > 0 ? ref(policies[0]) : 'EnvoyPatchPolicy'),
      `no EnvoyPatchPolicy adds ${wanted} to the route configuration ${routeConfig}${policies.length > 0 ? '' : ' (gateway.patchPolicies.enabled is off, or the chart version has none)'}: peers that reach the federator through its SRV record (a name with a trailing dot) get route_not_found from Envoy. Keep gateway.patchPolicies.enabled, and enable Envoy Gateway's extensionApis.enableEnvoyPatchPolicy`,
    ),
  ];
}

export const wireIngressChecks: ChartChecks = { chart: 'wire-ingress', check: wireIngressCheck, producedSecrets };
