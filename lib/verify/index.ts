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
 * Continuous verification: `startExporter` runs the same checks on a schedule and serves them as
 * Prometheus metrics (`wire-federation verify --serve`, docs/monitoring.md).
 *
 * @module wire-federation-cdktf/verify
 */
export { verifyFederation, verifyOwnChecks, verifyPeerChecks, assembleReport } from './verify';
export type { VerifyOptions, VerifyPart, PemSource, ClientCertificate } from './verify';
export {
  startExporter,
  runChecks,
  recordRound,
  createMetrics,
  checkExporterOptions,
  processMetricsRegistry,
  staleRoundBoundMs,
  checkState,
  splitCheckId,
  refusalLabel,
  OWN_IDS,
  PEER_IDS,
  METRIC_NAMES,
  CHECK_STATES,
  DEFAULT_LISTEN,
  DEFAULT_INTERVAL_MS,
  DEFAULT_CONCURRENCY,
} from './serve';
export type { ExporterOptions, ExporterCredentials, RunningExporter, RoundResult, CheckState } from './serve';
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
