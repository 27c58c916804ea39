/**
 * Checks on rendered manifests: the types they share, their rule ids, and small helpers.
 * Checks are organised per chart (one file each, registered in `./index.ts`); a check is a pure
 * function of the config and the rendered manifests.
 */
import { parse } from 'yaml';
import type { WireFederationConfig } from '../../config';
import type { Finding } from '../../checks/finding';
import type { Manifest } from '../helm';
import type { ReleaseToRender, StackOutputs } from '../releases';

/** Rule ids of the render checks (stable: scripts and tests match on them). */
export const RENDER_RULES = {
  /** helm template failed (a chart's `required`/`fail`, a missing chart). */
  renderFailed: 'render-failed',
  /** A manifest the checks need is not rendered (e.g. brig's ConfigMap). */
  missingManifest: 'render-missing-manifest',
  /** The backend domain in brig, galley, cargohold or background-worker differs or is missing. */
  backendDomain: 'render-backend-domain',
  /** brig's federation strategy is not the configured one. */
  strategy: 'render-federation-strategy',
  /** brig's static remote list is not the configured peers. */
  remotes: 'render-federation-remotes',
  /** galley's federationProtocols is not the list the values ask for. */
  protocols: 'render-federation-protocols',
  /** The federator's CA bundle (`federator-ca`) is not our trust bundle. */
  federatorCa: 'render-federator-ca',
  /** The federator's client certificate secret is made by nobody. */
  clientCertificateSecret: 'render-federator-client-secret',
  /** The federator ingress does not demand client certificates, or checks them against the wrong CA. */
  clientVerification: 'render-client-verification',
  /** The client CA bundle of the federator ingress is missing, empty or not our trust bundle. */
  clientCa: 'render-client-ca',
  /** `auth-tls-verify-depth` is not the configured depth (or below 1). */
  verifyDepth: 'render-verify-depth',
  /** The federator ingress/listener does not serve the federator domain. */
  federatorHost: 'render-federator-host',
  /** The federator Certificate is not issued by our CA issuer. */
  issuer: 'render-federator-issuer',
  /** The federator Certificate lacks the federator domain or server+client usage. */
  certificate: 'render-federator-certificate',
  /** The federator's OS trust store setting is not the configured one. */
  systemCaStore: 'render-system-ca-store',
  /** wire-ingress: no EnvoyPatchPolicy adds the federator host with a trailing dot (SRV targets are absolute names). */
  patchPolicy: 'render-patch-policy',
  /** A value path (ours or the operator's) that the chart never reads. */
  unreadValue: 'render-unread-value',
} as const;

/** One release after `helm template`. */
export interface RenderedRelease {
  readonly release: ReleaseToRender;
  readonly manifests: readonly Manifest[];
}

/** Everything a check sees. */
export interface RenderContext {
  readonly config: WireFederationConfig;
  /** Every rendered release of the environment. */
  readonly releases: readonly RenderedRelease[];
  /** Secrets the stack creates itself (kubernetes_secret names), e.g. a federator TLS secret. */
  readonly terraformSecrets: readonly string[];
  /** Secrets the rendered releases make (see {@link ChartChecks.producedSecrets}), by release name. */
  readonly producedSecrets: readonly { readonly release: string; readonly secret: string }[];
  /** Outputs of deployed stacks, when given. */
  readonly outputs?: StackOutputs;
}

/** The checks of one chart. */
export interface ChartChecks {
  readonly chart: string;
  /** Findings on one rendered release of this chart. */
  check(ctx: RenderContext, rendered: RenderedRelease): Finding[];
  /** Secrets this release makes (directly or through a cert-manager Certificate). @default - none */
  producedSecrets?(rendered: RenderedRelease): string[];
}

/** Manifests of `kind` named `name`. */
export function find(manifests: readonly Manifest[], kind: string, name?: string | RegExp): Manifest[] {
  return manifests.filter((m) => m.kind === kind && (name === undefined || (typeof name === 'string' ? m.metadata.name === name : name.test(m.metadata.name))));
}

/** The YAML document of a ConfigMap data key, parsed (undefined when absent or not YAML). */
export function configMapYaml(m: Manifest | undefined, key: string): any {
  const text = m?.data?.[key];
  if (typeof text !== 'string') return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** The value at a dotted path. */
export function at(obj: any, path: string): any {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

/** The PEM certificate blocks of a text, normalized (trimmed lines). */
export function pemBlocks(text: string | undefined): string[] {
  return (text ?? '').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((b) => b.split('\n').map((l) => l.trim()).filter(Boolean).join('\n')) ?? [];
}

export const error = (rule: string, path: string, message: string): Finding => ({ level: 'error', rule, path, message });
export const warning = (rule: string, path: string, message: string): Finding => ({ level: 'warning', rule, path, message });

/** `Kind/name` of a manifest, for paths and messages. */
export const ref = (m: Pick<Manifest, 'kind' | 'metadata'>): string => `${m.kind}/${m.metadata.name}`;
