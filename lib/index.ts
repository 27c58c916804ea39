/**
 * wire-federation-cdktf: constructs, config and checks for Wire backend federation with CDK
 * for Terraform. Import a single construct to use it in your own stack, or `WireFederation`
 * for all of it from one config. The post-deploy verifier is also at
 * `wire-federation-cdktf/verify` (no cdktf loaded); the CLI at `wire-federation-cdktf/cli`.
 *
 * Nothing here knows a folder of an app: file paths in configs resolve against
 * `ParseOptions.baseDir`, lock files live where `readLock`/`writeLock` are told.
 *
 * @module wire-federation-cdktf
 */

// Config: schema, parsing, YAML/JSON files.
export * from './config';

// Constructs.
export { WireFederation, WireFederationProps, adoptableResources } from './federation';
export * from './dns/provider';
export * from './dns/cloudflare';
export * from './pki/private-ca';
export * from './pki/federator-certificate';
export * from './pki/cert-manager-ca-issuer';
export * from './pki/trust-bundle';
export * from './pki/federator-pki';
export * from './helm/chart-release';
export * from './remotes/remote-sync-job';
export * from './guard/backend-domain-pin';
export * from './monitoring/federation-monitoring';
export * from './monitoring/federation-exporter';
export * from './monitoring/monitoring-rules';
export { FederationProviders, FederationProvidersProps, needsKubernetesProvider, missingProviders } from './providers/federation-providers';

// Pure value builders (data in, data out).
export * from './helm/values/types';
export * from './helm/values/wire-server';
export * from './helm/values/nginx-ingress-services';

// Ingress charts that terminate federator mutual TLS (the seam, and one description per chart).
export * from './ingress/ingress-chart';
export * from './ingress/registry';
export * from './ingress/nginx-ingress-services';
export * from './ingress/wire-ingress';
export * from './ingress/envoy-gateway';
export * from './ingress/federator-tls-secret';
export * from './helm/values/wire-ingress';
export { mergeValues, findConflicts, ValueConflict } from './helm/values/merge';
export * from './remotes/desired-remotes';
export { syncScript, SyncScriptOptions, SyncRetryOptions, MAX_REMOTES } from './remotes/sync-script';
export { federatorSrvName, normalizeDnsName, relativeDnsName, stripTrailingDot, withTrailingDot, FEDERATOR_SRV_PREFIX } from './dns/names';

// Checks: provided certificates, federation rules, pairs of environments, lock files.
export * from './pki/provided-checks';
export * from './checks/finding';
export { FEDERATION_RULES, runRules, runConfigRules } from './checks/pack';
export { checkPairs, CheckPairsOptions, PairRule } from './checks/pairs';
export { environmentClashes, EnvironmentClash } from './checks/environment-clashes';
export * from './guard/environment-lock';
export { lockPath, readLock, writeLock } from './guard/lock-file';

// The post-deploy verifier, and its exporter's alert rules and pod settings (pure).
export * from './verify';
export * from './monitoring/alert-rules';
export { exporterConfig, exporterArgs, ExporterConfigFiles, ExporterArgsOptions } from './monitoring/exporter-config';
export { defaultExporterImage, EXPORTER_IMAGE_REPOSITORY } from './monitoring/exporter-image';

// The federation card: what operators exchange to federate (`wire-federation card export/add/check`).
export * from './card';

// The validation pipeline: every check, for every entry point, as findings.
export { validateEnvironments, validateFederationConfig, scratchFederation, environmentName, EnvironmentSource, ValidationOptions, ValidateConfigOptions, ValidationResult, FederationValidationError, PIPELINE_RULES } from './validation/pipeline';
export { ValidationFinding, formatFinding, formatReport, countFindings, EXIT_CODES, FormatOptions } from './validation/format';

// Adoption of a running backend (what `wire-federation adopt` does), as data and constructs.
export { planAdoption, releaseName, AdoptionInput, AdoptionPlan, RunningRelease, OwnedChange } from './adopt/plan';
export { adoptionRecordSchema, ADOPTION_RECORD_FORMAT, renderAdoptionRecord, importsOf, AdoptionRecord, ReleaseRecord, AdoptionImports, ReleaseKey, DnsRecordKind } from './config/adoption/record';
export { adoptionRecordProblems, recordFormatProblem, RECORD_RULES, RecordRulesConfig } from './config/adoption/record-rules';
export { secretValuesVariable, SECRET_VALUES_VARIABLE, SecretReleaseKey } from './helm/secret-values-variable';
export { ImportExisting, ImportExistingProps, importExisting, AdoptableResources } from './guard/import-existing';
export { readRunningRelease, helmClusterOf, HelmCluster, HelmTarget, HelmError } from './adopt/helm-reader';
export { lookupCloudflareRecords, wantedRecords, dnsAdoption, WantedRecord, FoundRecord, CloudflareLookupOptions, DnsAdoption } from './adopt/cloudflare';
export { runningDomain, domainFindings, RunningDomain } from './adopt/domain';
export { legacySettings, LegacySettings } from './adopt/legacy';
export { runningCertificateFindings } from './adopt/certificate';

// Rendering the releases with the real chart (what `wire-federation render` does) and the checks on the manifests.
export { renderEnvironment, reviewText, writeRendered, maskSecret, RenderOptions, RenderResult, RenderedReleaseResult } from './render/render';
export { releasesOf, placeholderPem, sensitivePlaceholder, ReleaseToRender, StackOutputs, SynthesizedStack } from './render/releases';
export { findHelm, helmTemplate, locateChart, HELM_INSTALL_HINT, Manifest, ChartLocation } from './render/helm';
export { synthesizeForRender } from './render/synth';
export { RENDER_RULES, CHECKED_CHARTS, checkManifests, ChartChecks, RenderContext, RenderedRelease } from './render/checks';
// What each Wire chart version reads, requires or ignores; releases to skip (docs/reference/chart-versions.md).
export { KNOWN_BAD_RELEASES, CHART_FEATURES, BACKEND_DOMAIN_PLACES, IGNORED_VALUES, knownBadRelease, hasFeature, featureMinimum, backendDomainPlaces, valuesNotReadIn, wireIngressLayout, compareVersions as compareChartVersions, KnownBadRelease, ChartFeature, ChartFeatureName, WireChart, WireIngressLayout, VersionRange } from './core/chart-facts';

// Preflight before the first deploy (what `wire-federation preflight` does): what runs already, as findings.
export { preflightFindings, PREFLIGHT_RULES, PREFLIGHT_RULE_DESCRIPTIONS, PreflightInput } from './preflight/preflight';
export { listReleases, HelmNamespace, HelmListTarget, ListedRelease, WIRE_CHARTS, SUPPORTED_HELM } from './preflight/helm-releases';
export { commandHint, fileTarget, shellWord, CommandHint, CommandHintOptions, DEFAULT_CLI } from './config/command-hint';
export { domainPinAddress, logicalIdOf, DOMAIN_PIN_ID } from './guard/pin-address';
