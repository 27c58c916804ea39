/**
 * wire-federation-cdktf: constructs, config and checks for Wire backend federation with CDK
 * for Terraform. Import a single construct to use it in your own stack, or `WireFederation`
 * for all of it from one config. The post-deploy verifier is at `wire-federation-cdktf/verify`
 * (no cdktf loaded); the CLI at `wire-federation-cdktf/cli`; the DNS records of the other DNS
 * providers at `wire-federation-cdktf/dns/route53`, `/dns/google`, `/dns/azure`, `/dns/rfc2136`.
 *
 * This is the public API (docs/api.md): everything else in lib/ is internal and may change in
 * any release. api/public-api.txt lists it; a test fails when it changes by accident.
 *
 * Nothing here knows a folder of an app: file paths in configs resolve against
 * `ParseOptions.baseDir`, lock files live where `readLock`/`writeLock` are told.
 *
 * @module wire-federation-cdktf
 */

// Config: the schema's input and parsed types, parsing and loading, its errors.
export { parseFederationConfig, loadConfigFile, readConfigInput, wireFederationConfigSchema, FederationConfigError } from './config';
export type {
  WireFederationInput,
  WireFederationConfig,
  ParseOptions,
  LoadConfigOptions,
  ConfigProblem,
  PeerConfig,
  PkiConfig,
  ReleaseConfig,
  TrustedCa,
  ValuesDocument,
  DnsConfig,
  DnsProviderName,
  SearchPolicy,
  FederationStrategy,
  StateBackendConfig,
} from './config';

// Constructs, and their props.
export { WireFederation, WireFederationProps } from './federation';
export { FederationProviders, FederationProvidersProps } from './providers/federation-providers';
export { FederatorDnsRecords, FederatorDnsRecordsProps, CloudflareDnsRecords, CloudflareDnsRecordsProps } from './dns/cloudflare';
export type { FederationDnsRecords, FederatorRecordsProps, SrvRecordValue } from './dns/provider';
export { PrivateCa, PrivateCaProps } from './pki/private-ca';
export { FederatorCertificate, FederatorCertificateProps, CertificateSigner } from './pki/federator-certificate';
export type { FederatorCertificateSource, SecretCertificate, CertManagerCertificate } from './pki/certificate-source';
export { CertManagerCaIssuer, CertManagerCaIssuerProps } from './pki/cert-manager-ca-issuer';
export { addFederatorPki, FederatorPki, FederatorPkiProps } from './pki/federator-pki';
export { trustBundle, ApplyTimeCa } from './pki/trust-bundle';
export { ChartRelease, ChartReleaseProps } from './helm/chart-release';
export { RemoteSyncJob, RemoteSyncJobProps } from './remotes/remote-sync-job';
export type { RemoteConfig } from './remotes/desired-remotes';
export { BackendDomainPin, BackendDomainPinProps } from './guard/backend-domain-pin';
export { FederatorTlsSecret, FederatorTlsSecretProps } from './ingress/federator-tls-secret';
export { EnvoyGateway, EnvoyGatewayProps } from './ingress/envoy-gateway';
export { FederationMonitoring, FederationMonitoringProps } from './monitoring/federation-monitoring';
export { FederationExporter, FederationExporterProps } from './monitoring/federation-exporter';
export type { ExporterConfigFiles } from './monitoring/exporter-config';
export { MonitoringRules, MonitoringRulesProps } from './monitoring/monitoring-rules';
export { FederatedCalling, FederatedCallingProps } from './calling/federated-calling';
export { ImportExisting, ImportExistingProps } from './guard/import-existing';

// Pure value builders (data in, data out): the charts' values without synthesizing anything.
export type { Values, SensitiveValue, ReleaseValues } from './helm/values/types';
export { wireServerValues, WireServerValuesInput } from './helm/values/wire-server';
export { nginxIngressServicesValues, NginxIngressServicesValuesInput } from './helm/values/nginx-ingress-services';
export { coturnValues, CoturnValuesInput, CoturnCertificateSource } from './helm/values/coturn';
export { sftdValues, SftdValuesInput } from './helm/values/sftd';
// Federated calling: the calling endpoints of a config (ours and the peers' coturn), as verify reads them.
export { callingEndpoints, CallingEndpoints, CoturnEndpoint, PeerCoturnEndpoint, COTURN_DTLS_SECRET, COTURN_FEDERATION_PORT } from './calling/endpoints';
export type { CallingConfig, PeerCallingConfig } from './calling/endpoints';
export { wireIngressValues, WireIngressValuesInput } from './helm/values/wire-ingress';
export { mergeValues, findConflicts, ValueConflict } from './core/values';
export type { IngressChartName, IngressChart } from './ingress/ingress-chart';

// The validation pipeline: every check `wire-federation validate` runs, as findings.
export { validateEnvironments, validateFederationConfig, FederationValidationError } from './validation/pipeline';
export type { EnvironmentSource, ValidationOptions, ValidateConfigOptions, ValidationResult } from './validation/pipeline';
export { formatFinding, formatReport, countFindings } from './validation/format';
export type { ValidationFinding, FormatOptions } from './validation/format';
export type { Finding } from './checks/finding';
export { checkPairs, CheckPairsOptions } from './checks/pairs';
export type { PairFinding, PairRuleId } from './checks/pairs';

// Lock files: the backend domain pinned in review.
export { lockPath, readLock, writeLock } from './guard/lock-file';
export { lockFor, lockProblems, EnvironmentLock, LockProblemsOptions } from './guard/environment-lock';
export type { CommandHint } from './config/command-hint';

// Adoption record (what `wire-federation adopt` writes, `adoptionFile` of a config names).
export type { AdoptionRecord, AdoptionImports } from './config/adoption/record';

// Preflight before the first deploy (what `wire-federation preflight` does), as findings.
export { preflightFindings, PreflightInput } from './preflight/preflight';
export type { FoundRecord } from './adopt/cloudflare';
export { listReleases, HelmListTarget, HelmNamespace, ListedRelease } from './preflight/helm-releases';

// The federation card (what operators exchange to federate).
export { buildCard, renderCard, BuildCardOptions, RenderCardOptions, CardCaSource } from './card/build';
export { parseCard, ParseCardOptions, ParsedCard } from './card/parse';
export type { FederationCard, CardCa } from './card/schema';

// The exporter's Prometheus alert rules, for another interval than the packaged file's.
export { alertRulesYaml, federationAlertRules, AlertRuleOptions, AlertRule, RuleGroup } from './monitoring/alert-rules';
