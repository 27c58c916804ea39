/**
 * Checks on the rendered `nginx-ingress-services` chart: the federator Ingress demands client
 * certificates (verify client, depth, `federator-ca-secret`) for the federator domain, the client
 * CA bundle is our trust bundle, and the cert-manager Certificate. docs/chart-facts.md, section 5.
 */
import type { Finding } from '../../checks/finding';
import { certificateFindings, producedSecrets } from './federator-certificate';
import { compareBundle, expectedTrustBundle } from './trust';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, RenderedRelease, error, find, ref } from './types';

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
    return [
      error(RENDER_RULE_IDS.missingManifest, where(`Ingress/${FEDERATOR_INGRESS}`), 'the federator Ingress is not rendered: federator.enabled must be true'),
    ];
  }
  const annotations = ingress.metadata.annotations ?? {};
  if (annotations[`${A}auth-tls-verify-client`] !== 'on') {
    findings.push(
      error(
        RENDER_RULE_IDS.clientVerification,
        where(ref(ingress)),
        `the federator Ingress has auth-tls-verify-client ${JSON.stringify(annotations[`${A}auth-tls-verify-client`] ?? null)}, not "on": it must demand a client certificate from every peer`,
      ),
    );
  }
  const caSecret = `${release.namespace}/${CLIENT_CA_SECRET}`;
  const gotSecret = annotations[`${A}auth-tls-secret`];
  if (gotSecret !== caSecret && !(typeof gotSecret === 'string' && gotSecret.endsWith(`/${CLIENT_CA_SECRET}`))) {
    findings.push(
      error(
        RENDER_RULE_IDS.clientVerification,
        where(ref(ingress)),
        `the federator Ingress verifies client certificates against ${JSON.stringify(gotSecret ?? null)}, not ${caSecret} (our trust bundle)`,
      ),
    );
  }
  const depth = Number(annotations[`${A}auth-tls-verify-depth`]);
  if (!(depth >= 1) || depth !== config.federation.verifyDepth) {
    findings.push(
      error(
        RENDER_RULE_IDS.verifyDepth,
        where(ref(ingress)),
        `the federator Ingress has auth-tls-verify-depth ${JSON.stringify(annotations[`${A}auth-tls-verify-depth`] ?? null)}, but federation.verifyDepth is ${config.federation.verifyDepth}${depth >= 1 ? '' : ' (below 1 no peer certificate verifies)'}`,
      ),
    );
  }
  const hosts: string[] = (ingress.spec?.rules ?? []).map((r: any) => r?.host);
  const tlsHosts: string[] = (ingress.spec?.tls ?? []).flatMap((t: any) => t?.hosts ?? []);
  if (!hosts.includes(config.federatorDomain) || !tlsHosts.includes(config.federatorDomain)) {
    findings.push(
      error(
        RENDER_RULE_IDS.federatorHost,
        where(ref(ingress)),
        `the federator Ingress serves ${JSON.stringify([...new Set([...hosts, ...tlsHosts])])}, not the federator domain ${config.federatorDomain} (config.dns.federator)`,
      ),
    );
  }
  const [secret] = find(manifests, 'Secret', CLIENT_CA_SECRET);
  const bundle = secret?.data?.['ca.crt'] !== undefined ? Buffer.from(String(secret.data['ca.crt']), 'base64').toString('utf8') : undefined;
  if (bundle === undefined || bundle.trim() === '') {
    findings.push(
      error(
        RENDER_RULE_IDS.clientCa,
        where(`Secret/${CLIENT_CA_SECRET}`),
        `the client CA bundle of the federator Ingress is ${secret === undefined ? 'not rendered' : 'empty'} (secrets.tlsClientCA): no peer's client certificate verifies`,
      ),
    );
  } else {
    const { missing, unexpected } = compareBundle(expectedTrustBundle(config, ctx.outputs), bundle);
    if (missing.length > 0 || unexpected > 0) {
      findings.push(
        error(
          RENDER_RULE_IDS.clientCa,
          where(`Secret/${CLIENT_CA_SECRET}`),
          `the client CA bundle of the federator Ingress (secrets.tlsClientCA) is not our trust bundle:${missing.length > 0 ? ` it lacks ${missing.join('; ')}` : ''}${unexpected > 0 ? `${missing.length > 0 ? ', and' : ''} it holds ${unexpected} certificate${unexpected === 1 ? '' : 's'} the config does not name` : ''}`,
        ),
      );
    }
  }
  findings.push(...certificateFindings(ctx, rendered, where));
  return findings;
}

export const nginxIngressServicesChecks: ChartChecks = { chart: 'nginx-ingress-services', check: nginxCheck, producedSecrets };
