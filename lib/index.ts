/**
 * wire-federation-cdktf: constructs and config for Wire backend federation.
 * Import a single construct to use it in your own stack, or WireFederation for all of it.
 */
export * from './config';
export { WireFederation, WireFederationProps, caConstructId } from './federation';
export * from './dns/federator-dns-records';
export * from './pki/private-ca';
export * from './pki/federator-certificate';
export * from './pki/cert-manager-ca-issuer';
export * from './pki/trust-bundle';
export * from './pki/provided-checks';
export * from './helm/chart-release';
export * from './helm/values/types';
export * from './helm/values/wire-server';
export * from './helm/values/nginx-ingress-services';
export { mergeValues, findConflicts, ValueConflict } from './helm/values/merge';
export * from './remotes/desired-remotes';
export * from './remotes/remote-sync-job';
export { syncScript, SyncScriptOptions } from './remotes/sync-script';
export * from './guard/backend-domain-pin';
export * from './guard/environment-lock';
export * from './checks/finding';
export { FEDERATION_RULES, runRules, runConfigRules } from './checks/pack';
export { checkPairs } from './checks/pairs';
export { validateEnvironments, validateFederationConfig, EnvironmentSource, ValidationOptions, ValidateConfigOptions, ValidationResult, FederationValidationError, PIPELINE_RULES } from './validation/pipeline';
export { ValidationFinding, formatFinding, formatReport, countFindings, EXIT_CODES } from './validation/format';
