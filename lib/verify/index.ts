/**
 * The post-deploy verifier as a library (`wire-federation-cdktf/verify`): checks a deployed
 * backend against its config (DNS, federator certificate, mutual TLS, peers) and renders the
 * report. Plain Node: importing it loads no cdktf and no provider.
 *
 * @example
 * ```ts
 * import { loadConfigFile } from 'wire-federation-cdktf';
 * import { verifyFederation, renderHuman, exitCodeOf } from 'wire-federation-cdktf/verify';
 * const report = await verifyFederation({ config: loadConfigFile('prod.yaml'), timeoutMs: 5000 });
 * process.stdout.write(renderHuman(report));
 * process.exitCode = exitCodeOf(report);
 * ```
 *
 * @module wire-federation-cdktf/verify
 */
export { verifyFederation } from './verify';
export type { VerifyOptions, PemSource, ClientCertificate } from './verify';
export { exitCodeOf, summarize, renderCheck, renderHuman, renderJson } from './report';
export type { CheckStatus, CheckResult, SkippedCheck, VerifyReport } from './report';
export { parseDnsServer, lookupSrv, lookupAddresses } from './dns-lookup';
export type { DnsLookupOptions, SrvRecord, LookupResult } from './dns-lookup';
export { checkSrv, checkAddresses, preferredSrv, formatSrv } from './dns-checks';
export type { ExpectedSrv, SrvCheckOutcome } from './dns-checks';
export { probeTls } from './tls-probe';
export type { TlsProbeOptions, TlsProbeResult, ProbeResponse } from './tls-probe';
export { callFederator, API_VERSION_PATH, ORIGIN_DOMAIN_HEADER, MAX_BODY } from './federation-call';
export type { FederationCallOptions, FederationCallResult, CallResponse } from './federation-call';
export { judgeFederationCall } from './federation-call-check';
export type { CallParty, CallComponent, FederationCallDetails, JudgeCallOptions } from './federation-call-check';
export { federationVersionsOfChart, versionOverlap, parseVersionList } from './federation-versions';
export type { VersionOverlap } from './federation-versions';
export { verifyPeerEndpoint } from './verify';
export type { PeerCheckContext, PeerTrust, Results } from './verify';
export { checkCard } from './card-check';
export type { CardCheckOptions, CardCheckReport } from './card-check';
