/**
 * The federation rule pack, and running it.
 */
import type { Catalogue, CatalogueEntry } from '../core/catalogue';
import type { FederationRule, Finding } from './finding';
import type { FederationModel } from './model';
import { acmeFederatorIssuer } from './rules/acme-federator-issuer';
import { certificateUsages } from './rules/certificate-usages';
import { keyAlgorithm } from './rules/key-algorithm';
import { allowDynamicWithoutPeers, duplicatePeers, peerIsSelf, peerWithoutCa } from './rules/peers';
import { proxiedFederationRecord } from './rules/proxied-federation-record';
import { secretInValues } from './rules/secret-in-values';
import { srvWeightZero } from './rules/srv-weight-zero';
import { srvRecordPort } from './rules/srv-record-port';
import { dnsRecordName } from './rules/dns-record-name';
import { tlsDisabled } from './rules/tls-disabled';
import { peerChainDepthRule } from './rules/peer-chain-depth';
import { verifyDepth } from './rules/verify-depth';
import { verifyDepthUnused } from './rules/verify-depth-unused';
import { federatorPatchPolicy } from './rules/federator-patch-policy';
import { ingressAddressNotPublic } from './rules/ingress-address';
import { peerCaNotCa } from './rules/peer-ca-not-ca';
import { peerCaCertificate } from './rules/peer-ca-certificate';
import { removedChartKey } from './rules/removed-chart-key';
import { valuesConflict } from './rules/values-conflict';
import { bsiProfileRsa } from './rules/bsi-profile-rsa';
import { CALLING_RULES } from './rules/calling';

export const FEDERATION_RULES: readonly FederationRule[] = [
  proxiedFederationRecord,
  srvWeightZero,
  srvRecordPort,
  dnsRecordName,
  certificateUsages,
  keyAlgorithm,
  acmeFederatorIssuer,
  tlsDisabled,
  verifyDepth,
  peerChainDepthRule,
  verifyDepthUnused,
  federatorPatchPolicy,
  secretInValues,
  duplicatePeers,
  peerIsSelf,
  peerWithoutCa,
  allowDynamicWithoutPeers,
  ingressAddressNotPublic,
  peerCaNotCa,
  peerCaCertificate,
  removedChartKey,
  valuesConflict,
  bsiProfileRsa,
  ...CALLING_RULES,
];

/** The federation rules as a catalogue (id → level and description), in pack order. */
export const FEDERATION_RULE_CATALOGUE: Catalogue = Object.fromEntries(FEDERATION_RULES.map((r) => [r.id, catalogueEntryOf(r)]));

/** A rule's catalogue entry (its level defaults to `error`). */
export function catalogueEntryOf(rule: FederationRule): CatalogueEntry {
  return { level: rule.level ?? 'error', description: rule.description, ...(rule.fix !== undefined ? { fix: rule.fix } : {}) };
}

/** Runs `rules` on `model`; findings in rule order. */
export function runRules(model: FederationModel, rules: readonly FederationRule[] = FEDERATION_RULES): Finding[] {
  return rules.flatMap((rule) => rule.check(model));
}

/** Runs only the rules that need nothing but the config (for `wire-federation validate`). */
export function runConfigRules(model: Pick<FederationModel, 'config'>): Finding[] {
  return runRules(
    { ...model, resources: [], releases: [] },
    FEDERATION_RULES.filter((r) => r.configOnly),
  );
}
