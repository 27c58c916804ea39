/**
 * What the federation rules look at: the config, and the resources as they will be synthesized
 * (read from the construct tree with `toTerraform()`, so escape-hatch overrides count).
 */
import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ReleaseConfig, WireFederationConfig } from '../config/parse';
import { mergeValues } from '../core/values';
import { readValues } from '../helm/values/yaml';
import type { Values } from '../helm/values/types';
import { ChartRelease } from '../helm/chart-release';

export interface ResourceView {
  /** Construct path, for messages. */
  readonly path: string;
  /** Terraform type, e.g. `cloudflare_dns_record`. */
  readonly type: string;
  /** Attributes in snake_case as synthesized (tokens stay unresolved strings). */
  readonly attributes: { readonly [key: string]: unknown };
}

export interface ReleaseView extends ResourceView {
  readonly chart: string;
  /** The values documents known at synth, merged in order (apply-time documents are left out). */
  readonly knownValues: Values;
  /** Paths given through `set_sensitive`. */
  readonly sensitivePaths: readonly string[];
  /** The federation values given to the release, when it is a {@link ChartRelease}. */
  readonly federationValues?: Values;
}

export interface FederationModel {
  readonly config: WireFederationConfig;
  readonly resources: readonly ResourceView[];
  readonly releases: readonly ReleaseView[];
}

function isYamlDoc(v: unknown): v is string {
  return typeof v === 'string' && !v.startsWith('${');
}

/** Builds the model of every Terraform resource below `scope`. */
export function buildModel(scope: IConstruct, config: WireFederationConfig): FederationModel {
  const resources: ResourceView[] = [];
  const charts = new Map<string, ChartRelease>();
  for (const c of scope.node.findAll()) if (c instanceof ChartRelease) charts.set(c.release.node.path, c);
  for (const c of scope.node.findAll()) {
    if (!(c instanceof TerraformResource)) continue;
    const byType = (c.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> }).resource;
    for (const [type, byId] of Object.entries(byType)) {
      for (const attributes of Object.values(byId)) resources.push({ path: c.node.path, type, attributes });
    }
  }
  const releases = resources
    .filter((r) => r.type === 'helm_release')
    .map((r): ReleaseView => {
      const docs = (Array.isArray(r.attributes.values) ? r.attributes.values : []).filter(isYamlDoc);
      const knownValues = docs.reduce<Values>((acc, doc) => mergeValues(acc, readValues(doc)), {});
      const sensitive = Array.isArray(r.attributes.set_sensitive) ? r.attributes.set_sensitive : [];
      return {
        ...r,
        chart: String(r.attributes.chart),
        knownValues,
        sensitivePaths: sensitive.map((s: { name: string }) => s.name),
        federationValues: charts.get(r.path)?.federationValues,
      };
    });
  return { config, resources, releases };
}

/** The value at a dotted path of nested maps. */
export function valueAt(values: Values, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Values)[key];
  }
  return cur;
}

/** The release settings of the config (`charts.<key>`) for a Helm release name, with its key. */
export function releaseSettings(config: WireFederationConfig, releaseName: unknown): { key: string; settings: ReleaseConfig } | undefined {
  for (const [key, settings] of Object.entries(config.charts)) {
    if (typeof settings === 'object' && settings !== null && 'valuesDocuments' in settings && settings.releaseName === releaseName) return { key, settings };
  }
  return undefined;
}
