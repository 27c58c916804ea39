/**
 * Checks on the rendered `wire-ingress` chart (Gateway API), in the layout of its version (the
 * federator listener on the Gateway, or a ListenerSet section): the federator listener serves the
 * federator domain, a ClientTrafficPolicy validates client certificates against wire-server's
 * `federator-ca` ConfigMap, its TLS secret is made by someone, and the cert-manager Certificate.
 * docs/chart-facts.md, section 8.
 */
import type { Finding } from '../../checks/finding';
import { valueAt } from '../../checks/model';
import { WIRE_INGRESS_BSI_PROFILE_VALUE, WIRE_INGRESS_FEDERATOR_SECTION, WireIngressLayout, wireIngressLayout } from '../../core/chart-facts';
import type { Manifest } from '../helm';
import { certificateFindings, producedSecrets } from './federator-certificate';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, RenderedRelease, error, find, ref, warning } from './types';
import { bsiProfileMessage, rsaFederationCertificates } from '../../checks/rules/bsi-profile-rsa';

/** The federator listener as rendered: the object that carries it and the listener itself. */
interface FederatorListener {
  /** The Gateway (Gateway-listener layout) or the ListenerSet (ListenerSet layout). */
  readonly owner: Manifest;
  /** The listener (`name`, `hostname`, `tls`). */
  readonly listener: any;
  /** The route configuration of the federator listener in Envoy Gateway's xDS names. */
  readonly routeConfig: string;
}

/** The federator listener of the layout `layout` named `section`, if rendered. */
function federatorListener(manifests: readonly Manifest[], layout: WireIngressLayout, section: string, namespace: string): FederatorListener | undefined {
  if (layout === 'gateway-listener') {
    for (const g of find(manifests, 'Gateway')) {
      const l = (g.spec?.listeners ?? []).find((x: any) => x?.name === section);
      if (l !== undefined) return { owner: g, listener: l, routeConfig: `${namespace}/${g.metadata.name}/${section}` };
    }
    return undefined;
  }
  for (const ls of find(manifests, 'ListenerSet')) {
    const l = (ls.spec?.listeners ?? []).find((x: any) => x?.name === section);
    const gatewayName = String(ls.spec?.parentRef?.name ?? '');
    if (l !== undefined) return { owner: ls, listener: l, routeConfig: `${namespace}/${gatewayName}/${namespace}/${ls.metadata.name}/${section}` };
  }
  return undefined;
}

function wireIngressCheck(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  const { release, manifests } = rendered;
  const where = (m: string) => `${release.chart}:${m}`;
  const findings: Finding[] = [];
  // The layout by the pinned chart version (the chart-facts table); the section name is
  // configurable in the ListenerSet layout only.
  const layout: WireIngressLayout = release.version === undefined ? 'gateway-listener' : wireIngressLayout(release.version);
  const section = layout === 'listener-set' ? (config.ingress.gateway?.federatorSectionName ?? WIRE_INGRESS_FEDERATOR_SECTION) : WIRE_INGRESS_FEDERATOR_SECTION;
  const owner = layout === 'listener-set' ? 'ListenerSet' : 'Gateway';
  const found = federatorListener(manifests, layout, section, release.namespace);
  if (found === undefined) {
    const otherLayout = federatorListener(
      manifests,
      layout === 'listener-set' ? 'gateway-listener' : 'listener-set',
      WIRE_INGRESS_FEDERATOR_SECTION,
      release.namespace,
    );
    const defaultSection =
      section !== WIRE_INGRESS_FEDERATOR_SECTION ? federatorListener(manifests, layout, WIRE_INGRESS_FEDERATOR_SECTION, release.namespace) : undefined;
    const message =
      otherLayout !== undefined
        ? `no ${owner} listener named ${section} is rendered, but the chart puts the federator listener on a ${otherLayout.owner.kind}: by its version (${release.version ?? 'unknown'}) wire-ingress is in the ${layout} layout (docs/reference/chart-versions.md), the chart rendered is not. Pin the version of the chart you deploy, or render with the chart of the pinned version`
        : defaultSection !== undefined
          ? `no ${owner} listener named ${section} (ingress.gateway.federatorSectionName) is rendered, only one named ${WIRE_INGRESS_FEDERATOR_SECTION}: this chart does not read gateway.listeners.federator.sectionName`
          : `no ${owner} listener named ${section} is rendered: federator.enabled must be true`;
    return [error(RENDER_RULE_IDS.missingManifest, where(owner), message)];
  }
  const { listener } = found;
  if (listener.hostname !== config.federatorDomain) {
    findings.push(
      error(
        RENDER_RULE_IDS.federatorHost,
        where(ref(found.owner)),
        `the federator listener serves ${JSON.stringify(listener.hostname ?? null)}, not the federator domain ${config.federatorDomain} (config.dns.federator)`,
      ),
    );
  }
  // Client-certificate validation, in whichever object carries it: a ClientTrafficPolicy that
  // targets the federator section of the Gateway or of the ListenerSet. (A policy on a section
  // replaces the one on the whole ListenerSet.)
  const policy = find(manifests, 'ClientTrafficPolicy').find((p) =>
    (p.spec?.targetRefs ?? []).some((t: any) => t?.sectionName === section && (t?.kind ?? 'Gateway') === owner && t?.name === found.owner.metadata.name),
  );
  const refs: any[] = policy?.spec?.tls?.clientValidation?.caCertificateRefs ?? [];
  if (policy === undefined || !refs.some((r) => r?.name === 'federator-ca' && r?.kind === 'ConfigMap')) {
    findings.push(
      error(
        RENDER_RULE_IDS.clientVerification,
        where(policy ? ref(policy) : 'ClientTrafficPolicy'),
        `the federator listener (${owner} ${found.owner.metadata.name}, section ${section}) does not validate client certificates against wire-server's federator-ca ConfigMap (our trust bundle)${policy ? `; it uses ${JSON.stringify(refs)}` : `: no ClientTrafficPolicy targets that ${owner} section`}`,
      ),
    );
  }
  findings.push(...patchPolicyFindings(ctx, rendered, found.routeConfig, where));
  findings.push(...bsiProfileFindings(ctx, rendered, where));
  // The listener's TLS secret: the chart's Certificate, or a secret this stack creates. While
  // migrating from nginx-ingress-services with cert-manager, wire-ingress serves the secret the
  // old release's Certificate writes (side by side: rendered there; after the old release is
  // removed, cert-manager keeps the secret) and renders no federator Certificate of its own.
  const migrating = config.ingress.migration !== undefined && config.pki.mode === 'cert-manager';
  const secretName = listener.tls?.certificateRefs?.[0]?.name;
  const otherReleases = ctx.producedSecrets.filter((p) => p.release !== release.name).map((p) => p.secret);
  const keptByCertManager = migrating && config.ingress.migration?.phase === 'old-removed' && secretName === 'federator-certificate-secret';
  if (
    typeof secretName === 'string' &&
    !producedSecrets(rendered).includes(secretName) &&
    !ctx.terraformSecrets.includes(secretName) &&
    !(migrating && otherReleases.includes(secretName)) &&
    !keptByCertManager
  ) {
    findings.push(
      error(
        RENDER_RULE_IDS.clientCertificateSecret,
        where(ref(found.owner)),
        `the federator listener serves the TLS secret ${secretName}, which neither this release nor the stack creates`,
      ),
    );
  }
  if (!migrating) findings.push(...certificateFindings(ctx, rendered, where));
  return findings;
}

/**
 * The BSI TR-02102-2 profile (`FIPS_202205_tls_profile`) accepts ECDSA client chains only: a
 * warning for every RSA certificate among our federator chain (provided mode) and the peers' CAs
 * the config holds, since their federators' client certificates would be refused.
 */
function bsiProfileFindings(ctx: RenderContext, rendered: RenderedRelease, where: (m: string) => string): Finding[] {
  if (valueAt(rendered.release.values, WIRE_INGRESS_BSI_PROFILE_VALUE) !== true) return [];
  const rsa = rsaFederationCertificates(ctx.config);
  return rsa.length === 0 ? [] : [warning(RENDER_RULE_IDS.bsiProfile, where(WIRE_INGRESS_BSI_PROFILE_VALUE), bsiProfileMessage(rsa))];
}

/**
 * wire-ingress's EnvoyPatchPolicy: a peer's federator asks for the SRV target with its trailing
 * dot, which Envoy matches only when the federator route configuration
 * (`<namespace>/<gateway>/federator`; in the ListenerSet layout
 * `<namespace>/<gateway>/<namespace>/<listenerset>/<section>`) also lists `<federator domain>.`. Without the policy (or
 * with Envoy Gateway's EnvoyPatchPolicy API off) such requests get route_not_found.
 */
function patchPolicyFindings(ctx: RenderContext, rendered: RenderedRelease, routeConfig: string, where: (m: string) => string): Finding[] {
  const { config } = ctx;
  const wanted = `${config.federatorDomain}.`;
  const policies = find(rendered.manifests, 'EnvoyPatchPolicy');
  const adds = policies.some((p) =>
    (p.spec?.jsonPatches ?? []).some((j: any) => j?.name === routeConfig && j?.operation?.op === 'add' && j?.operation?.value === wanted),
  );
  if (adds) return [];
  return [
    error(
      RENDER_RULE_IDS.patchPolicy,
      where(policies.length > 0 ? ref(policies[0]) : 'EnvoyPatchPolicy'),
      `no EnvoyPatchPolicy adds ${wanted} to the route configuration ${routeConfig}${policies.length > 0 ? '' : ' (gateway.patchPolicies.enabled is off, or the chart version has none)'}: peers that reach the federator through its SRV record (a name with a trailing dot) get route_not_found from Envoy. Keep gateway.patchPolicies.enabled, and enable Envoy Gateway's extensionApis.enableEnvoyPatchPolicy`,
    ),
  ];
}

export const wireIngressChecks: ChartChecks = { chart: 'wire-ingress', check: wireIngressCheck, producedSecrets };
