/** `charts`: the pinned Wire charts and the operator's own values. */
import { z } from 'zod';
import { K8S_NAME, nonEmpty } from './fields';

/** Default Helm repository of the stable Wire charts. */
export const WIRE_CHART_REPOSITORY = 'https://s3-eu-west-1.amazonaws.com/public.wire.com/charts';

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const chartVersion = (chart: string) =>
  z
    .string({ error: `must be a string: the pinned version of the ${chart} chart` })
    .regex(SEMVER, { error: `must be an exact chart version such as 5.32.0 (no ranges) for ${chart}` });

const releaseSchema = (chart: string) =>
  z.strictObject({
    /** The exact chart version (no ranges). */
    version: chartVersion(chart),
    /** Helm release name (of the running release, when adopting). */
    releaseName: z.string().regex(K8S_NAME, { error: 'must be a release name (lowercase letters, digits, "-")' }).default(chart),
    /**
     * States that `version` is meant to DOWNGRADE the running chart: the running version the
     * adoption record names (e.g. `'5.32.0'`). Without it, a version below the running one is an
     * error (adoption-downgrade). @default - no downgrade intended
     */
    downgradeFrom: chartVersion(chart).optional(),
    /**
     * The operator's own values files (non-federation settings), applied in order, under the
     * federation values.
     */
    valuesFiles: z.array(nonEmpty('path of a Helm values file'), { error: 'must be a list of paths' }).default([]),
    /**
     * Helm paths of the operator's own secrets (e.g. `brig.secrets.smtpPassword`). Their values
     * come from the sensitive map variable `<release>_secret_values` and reach Helm only through
     * `set_sensitive`.
     */
    sensitiveValues: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/, { error: 'must be a dotted Helm path such as brig.secrets.smtpPassword' }), {
        error: 'must be a list of Helm paths',
      })
      .default([]),
  });

export const chartsSchema = z.strictObject({
  /**
   * Helm repository of the Wire charts: a classic repository (`https://…`) or an OCI registry
   * (`oci://quay.io/wire/charts/<channel>`; the chart is then `oci://…/<chart>`).
   */
  repository: z.url({ error: 'must be the URL of a Helm repository (https://…) or an OCI registry (oci://host/path)' }).default(WIRE_CHART_REPOSITORY),
  /** The wire-server release. */
  wireServer: releaseSchema('wire-server'),
  /** Required with ingress.chart nginx-ingress-services (the default) and during a migration from it. */
  nginxIngressServices: releaseSchema('nginx-ingress-services').optional(),
  /** Required with ingress.chart wire-ingress. */
  wireIngress: releaseSchema('wire-ingress').optional(),
  /** Wire's coturn chart: required with calling.enabled (install, or adopt the running release). */
  coturn: releaseSchema('coturn').optional(),
  /** The sftd chart: required with calling.enabled (install, or adopt the running release). */
  sftd: releaseSchema('sftd').optional(),
});
