/**
 * Checks on the rendered `wire-server` chart: the backend domain in the four services, brig's
 * strategy and remotes, galley's protocols, and the federator (its CA bundle, OS trust store and
 * client certificate secret). Manifest names and configuration keys: docs/chart-facts.md,
 * sections 2 to 4.
 */
import type { Finding } from '../../checks/finding';
import { compareStrings } from '../../order';
import { backendDomainPlaces } from '../../core/chart-facts';
import { valueAt } from '../../checks/model';
import { compareBundle, expectedTrustBundle } from './trust';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, RenderedRelease, at, configMapYaml, error, find } from './types';

/** Where each service keeps the backend domain (every version): the chart-facts table. */
export { BACKEND_DOMAIN_PLACES } from '../../core/chart-facts';

/** The federator's client certificate secret when `federator.tls.useSharedFederatorSecret`. */
export const SHARED_SECRET = 'federator-certificate-secret';

function check(ctx: RenderContext, rendered: RenderedRelease): Finding[] {
  const { config } = ctx;
  const { manifests, release } = rendered;
  const findings: Finding[] = [];
  const where = (m: string) => `${release.chart}:${m}`;
  const configMap = (name: string) => {
    const [m] = find(manifests, 'ConfigMap', name);
    if (m === undefined)
      findings.push(
        error(
          RENDER_RULE_IDS.missingManifest,
          where(`ConfigMap/${name}`),
          `the ${release.chart} chart rendered no ConfigMap ${name}; the checks on it could not run`,
        ),
      );
    return m;
  };

  // The backend domain, in every service the pinned chart version reads it in (the chart-facts table).
  for (const place of backendDomainPlaces(release.version)) {
    const m = configMap(place.service);
    if (m === undefined) continue;
    const got = at(configMapYaml(m, place.key), place.path);
    if (got !== config.backendDomain) {
      findings.push(
        error(
          RENDER_RULE_IDS.backendDomain,
          where(`ConfigMap/${place.service}`),
          `${place.service}'s ${place.key} has ${place.path}: ${JSON.stringify(got ?? null)}, but the backend domain is ${config.backendDomain}; every service must carry the same domain (value ${place.value})`,
        ),
      );
    }
  }

  // brig: strategy and the static remote list.
  const brig = configMapYaml(find(manifests, 'ConfigMap', 'brig')[0], 'brig.yaml');
  if (brig !== undefined) {
    const strategy = at(brig, 'optSettings.setFederationStrategy');
    if (strategy !== config.federation.strategy) {
      findings.push(
        error(
          RENDER_RULE_IDS.strategy,
          where('ConfigMap/brig'),
          `brig's setFederationStrategy is ${JSON.stringify(strategy ?? null)}, but federation.strategy is ${config.federation.strategy}`,
        ),
      );
    }
    const configList = config.remotes.mode === 'config' || config.remotes.keepConfigList === true;
    const want = configList
      ? [...config.peers].map((p) => ({ domain: p.domain, search_policy: p.searchPolicy })).sort((a, b) => compareStrings(a.domain, b.domain))
      : undefined;
    const gotList = at(brig, 'optSettings.setFederationDomainConfigs');
    const got = Array.isArray(gotList)
      ? [...gotList]
          .map((r: any) => ({ domain: r?.domain, search_policy: r?.search_policy }))
          .sort((a, b) => compareStrings(String(a.domain), String(b.domain)))
      : gotList;
    if (JSON.stringify(got ?? null) !== JSON.stringify(want ?? null) && !(want === undefined && Array.isArray(got) && got.length === 0)) {
      findings.push(
        error(
          RENDER_RULE_IDS.remotes,
          where('ConfigMap/brig'),
          want === undefined
            ? `brig's setFederationDomainConfigs is ${JSON.stringify(got)}, but remotes.mode is api: brig's remotes live in its database, and domains in this list cannot be changed through the API; remove the list`
            : `brig's setFederationDomainConfigs is ${JSON.stringify(got ?? null)}, but the peers are ${JSON.stringify(want)}`,
        ),
      );
    }
  }

  // galley: federationProtocols as the values ask (the chart prints a list with Go's formatting).
  const galley = configMapYaml(find(manifests, 'ConfigMap', 'galley')[0], 'galley.yaml');
  const wantProtocols = valueAt(release.values, 'galley.config.settings.federationProtocols');
  if (galley !== undefined && wantProtocols !== undefined && wantProtocols !== null) {
    const got = at(galley, 'settings.federationProtocols');
    if (JSON.stringify(got ?? null) !== JSON.stringify(wantProtocols)) {
      findings.push(
        error(
          RENDER_RULE_IDS.protocols,
          where('ConfigMap/galley'),
          `galley's federationProtocols renders as ${JSON.stringify(got ?? null)}, but the values ask for ${JSON.stringify(wantProtocols)}: the chart renders only a one-element list correctly; give one protocol (federation.protocols)`,
        ),
      );
    }
  }

  // The federator: on, its CA bundle, its OS trust store, its client certificate.
  const [deployment] = find(manifests, 'Deployment', 'federator');
  if (deployment === undefined) {
    findings.push(
      error(
        RENDER_RULE_IDS.missingManifest,
        where('Deployment/federator'),
        'the federator is not rendered: tags.federation must be true (federation is off without it)',
      ),
    );
    return findings;
  }
  const caMap = configMap('federator-ca');
  if (caMap !== undefined) {
    const { missing, unexpected } = compareBundle(expectedTrustBundle(config, ctx.outputs), caMap.data?.['ca.crt']);
    if (missing.length > 0 || unexpected > 0) {
      findings.push(
        error(
          RENDER_RULE_IDS.federatorCa,
          where('ConfigMap/federator-ca'),
          `the federator's CA bundle (federator.remoteCAContents) is not our trust bundle:${missing.length > 0 ? ` it lacks ${missing.join('; ')}` : ''}${unexpected > 0 ? `${missing.length > 0 ? ', and' : ''} it holds ${unexpected} certificate${unexpected === 1 ? '' : 's'} the config does not name` : ''}; the federator cannot verify those peers' servers`,
        ),
      );
    }
  }
  const fed = configMapYaml(find(manifests, 'ConfigMap', 'federator')[0], 'federator.yaml');
  const store = at(fed, 'optSettings.useSystemCAStore');
  if (fed !== undefined && store !== config.federation.useSystemCaStore) {
    findings.push(
      error(
        RENDER_RULE_IDS.systemCaStore,
        where('ConfigMap/federator'),
        `the federator's useSystemCAStore is ${JSON.stringify(store ?? null)}, but federation.useSystemCaStore is ${config.federation.useSystemCaStore}`,
      ),
    );
  }
  const volume = (deployment.spec?.template?.spec?.volumes ?? []).find((v: any) => v?.name === 'federator-secrets');
  const secretName = volume?.secret?.secretName;
  if (secretName === SHARED_SECRET) {
    const producers = ctx.producedSecrets.filter((p) => p.release !== release.name).map((p) => p.secret);
    // After an ingress migration removed the old release, cert-manager keeps the secret its
    // Certificate wrote until the new release's Certificate takes over (docs/ingress-charts.md, "Migrating to wire-ingress").
    const keptByCertManager = config.ingress.migration?.phase === 'old-removed' && config.pki.mode === 'cert-manager';
    if (!producers.includes(SHARED_SECRET) && !ctx.terraformSecrets.includes(SHARED_SECRET) && !keptByCertManager) {
      findings.push(
        error(
          RENDER_RULE_IDS.clientCertificateSecret,
          where('Deployment/federator'),
          `the federator mounts ${SHARED_SECRET} as its client certificate (federator.tls.useSharedFederatorSecret), but no release of this environment makes that secret (the ingress release makes it: a Secret, or a cert-manager Certificate with secretName ${SHARED_SECRET})`,
        ),
      );
    }
  } else if (secretName === 'federator-secret') {
    const [secret] = find(manifests, 'Secret', 'federator-secret');
    if (secret === undefined || !secret.data?.['tls.crt']) {
      findings.push(
        error(
          RENDER_RULE_IDS.clientCertificateSecret,
          where('Secret/federator-secret'),
          'the federator mounts federator-secret as its client certificate, but the chart renders it without tls.crt (federator.clientCertificateContents)',
        ),
      );
    }
  }
  return findings;
}

export const wireServerChecks: ChartChecks = { chart: 'wire-server', check };
