/**
 * Federation settings of older installations that the running values may still carry, with
 * what replaces them. Adopt drops them from the values it writes and reports each. Pure.
 */
import type { Finding } from '../checks/finding';
import type { WireFederationConfig } from '../config/parse';
import type { Values } from '../helm/values/types';
import { missingFederationUsages } from '../core/x509';
import { parseCertificates } from '../core/pem';
import { valueAtPath } from '../helm/values/paths';
import { describeRestriction, restrictionOf } from '../remotes/desired-remotes';
import type { AdoptRuleId } from './rules';

const RULE: AdoptRuleId = 'adopt-legacy-setting';

export interface LegacySettings {
  readonly findings: Finding[];
  /** wire-server paths to leave out of the written values. */
  readonly drop: string[];
}

/** Removed or replaced wire-server keys, with what replaces them. */
const REPLACED: ReadonlyArray<{ readonly path: string; readonly instead: (config: WireFederationConfig) => string }> = [
  {
    path: 'tags.federator',
    instead: () =>
      'the old name of tags.federation, which the federation config sets (helm enables the federator when either tag is true, so the old one would keep it on whatever the config says)',
  },
  {
    path: 'federator.config.optSettings.federationStrategy',
    instead: (c) =>
      `the federator's allow list was removed in wire-server 4.36.0 and is silently ignored: the strategy is brig's setFederationStrategy (federation.strategy: ${c.federation.strategy}) and the allowed backends are brig's remotes (peers, remotes.mode: ${c.remotes.mode})`,
  },
  {
    path: 'brig.config.optSettings.setFederationDomainConfigsUpdateFreq',
    instead: () => 'unused by brig (it refreshes its remote list on its own interval): nothing replaces it',
  },
];

/** The federator's own client certificate and key, replaced by the certificate shared from nginx-ingress-services. */
const FEDERATOR_CLIENT_CERT = 'federator.clientCertificateContents';
const FEDERATOR_CLIENT_KEY = 'federator.clientPrivateKeyContents';

/** Legacy federation settings in the running wire-server values. */
export function legacySettings(wireServer: Values, config: WireFederationConfig): LegacySettings {
  const findings: Finding[] = [];
  const drop: string[] = [];
  for (const { path, instead } of REPLACED) {
    const value = valueAtPath(wireServer, path);
    if (value === undefined) continue;
    drop.push(path);
    findings.push({ level: 'warning', rule: RULE, message: `wire-server ${path} (running: ${JSON.stringify(value)}) is dropped: ${instead(config)}` });
  }

  // The deprecated remote list, when the config moves the remotes into brig's database.
  const listPath = 'brig.config.optSettings.setFederationDomainConfigs';
  const list = valueAtPath(wireServer, listPath);
  if (Array.isArray(list) && config.remotes.mode === 'api' && !config.remotes.keepConfigList) {
    drop.push(listPath);
    findings.push({
      level: 'warning',
      rule: RULE,
      message: `wire-server ${listPath} (running: ${list.length} domain${list.length === 1 ? '' : 's'}) is dropped: remotes.mode api writes the peers into brig's database instead. brig refuses API changes to domains of this list, and drops them from its remotes once the list is gone: for a change without downtime adopt with remotes: {mode: api, keepConfigList: true} first, deploy, then drop keepConfigList (docs/remote-backends.md, "Migrating to API-managed remotes")`,
    });
  }
  if (Array.isArray(list)) {
    const configured = new Set(config.peers.map((p) => p.domain));
    const running = list.flatMap((e) =>
      e && typeof e === 'object' && typeof (e as { domain?: unknown }).domain === 'string' ? [(e as { domain: string }).domain.toLowerCase()] : [],
    );
    const missing = running.filter((d) => !configured.has(d));
    // The list has no restriction (brig reads its entries as allow_all): say what changes.
    const runningSet = new Set(running);
    for (const peer of config.peers) {
      if (peer.allowedTeams === undefined || !runningSet.has(peer.domain)) continue;
      findings.push({
        level: 'warning',
        rule: 'adopt-remotes',
        message:
          `${peer.domain} runs as ${describeRestriction(peer.domain, { tag: 'allow_all', value: null })} (brig's setFederationDomainConfigs has no team restriction); ` +
          `the config changes it to ${describeRestriction(peer.domain, restrictionOf(peer.allowedTeams))} (peers[].allowedTeams, written by the remotes Job${config.remotes.keepConfigList ? ' once remotes.keepConfigList is dropped' : ''})`,
      });
    }
    if (missing.length > 0) {
      findings.push({
        level: 'warning',
        rule: 'adopt-remotes',
        message: `the running backend federates with ${missing.join(', ')} (brig's setFederationDomainConfigs), which the config's peers do not list: add ${missing.length === 1 ? 'it' : 'them'} to peers (with the CA) to keep federating`,
      });
    }
  }

  // A federator client certificate of its own: replaced by the shared certificate.
  const clientCert = valueAtPath(wireServer, FEDERATOR_CLIENT_CERT);
  if (clientCert !== undefined || valueAtPath(wireServer, FEDERATOR_CLIENT_KEY) !== undefined) {
    drop.push(FEDERATOR_CLIENT_CERT, FEDERATOR_CLIENT_KEY);
    const lacking = typeof clientCert === 'string' ? certificateLacks(clientCert) : undefined;
    findings.push({
      level: 'warning',
      rule: RULE,
      message:
        `wire-server ${FEDERATOR_CLIENT_CERT}${lacking ? ` holds a certificate without ${lacking} usage (peers refuse it as client certificate)` : ''} and its key are dropped: ` +
        `the federator now presents the certificate nginx-ingress-services serves (federator.tls.useSharedFederatorSecret: true), made by pki.mode ${config.pki.mode} with server and client usage`,
    });
  }
  return { findings, drop };
}

/** `clientAuth` (or `serverAuth and clientAuth`) when the leaf certificate lacks those usages, else undefined. */
export function certificateLacks(pem: string): string | undefined {
  const parsed = parseCertificates(pem);
  if ('error' in parsed || parsed.certificates.length === 0) return undefined;
  const missing = missingFederationUsages(parsed.certificates[0]);
  return missing.length === 0 ? undefined : missing.join(' and ');
}
