/**
 * The render checks by chart: adding a chart is one file and one line here.
 */
import type { Finding } from '../../checks/finding';
import type { ReleaseConfig, WireFederationConfig } from '../../config';
import { valueAt } from '../../checks/model';
import type { ChartKeys } from '../chart-keys';
import { unreadPaths } from '../chart-keys';
import { nginxIngressServicesChecks } from './nginx-ingress-services';
import { wireIngressChecks } from './wire-ingress';
import { ChartChecks, RENDER_RULE_IDS, RenderContext, error, warning } from './types';
import { WireChart, ignoredValuePaths, knownBadRelease, valuesNotReadIn } from '../../core/chart-facts';
import { wireServerChecks } from './wire-server';
import { coturnChecks } from './coturn';
import { sftdChecks } from './sftd';

export { RENDER_RULE_IDS, RENDER_RULES } from './types';
export type { RenderRuleId } from './types';
export type { ChartChecks, RenderContext, RenderedRelease } from './types';

const CHART_CHECKS: readonly ChartChecks[] = [wireServerChecks, nginxIngressServicesChecks, wireIngressChecks, coturnChecks, sftdChecks];

/** The charts render knows how to check. */
export const CHECKED_CHARTS: readonly string[] = CHART_CHECKS.map((c) => c.chart);

/** The checks of `chart`, if render has some. */
export function chartChecks(chart: string): ChartChecks | undefined {
  return CHART_CHECKS.find((c) => c.chart === chart);
}

/** Runs the manifest checks of every rendered release. */
export function checkManifests(ctx: Omit<RenderContext, 'producedSecrets'>): Finding[] {
  const producedSecrets = ctx.releases.flatMap((r) =>
    (chartChecks(r.release.chart)?.producedSecrets?.(r) ?? []).map((secret) => ({ release: r.release.name, secret })),
  );
  const full: RenderContext = { ...ctx, producedSecrets };
  return ctx.releases.flatMap((r) => chartChecks(r.release.chart)?.check(full, r) ?? []);
}

const RELEASE_KEYS: Readonly<Record<string, 'wireServer' | 'nginxIngressServices' | 'wireIngress' | 'coturn' | 'sftd'>> = {
  'wire-server': 'wireServer',
  'nginx-ingress-services': 'nginxIngressServices',
  'wire-ingress': 'wireIngress',
  coturn: 'coturn',
  sftd: 'sftd',
};

/**
 * Value paths of a release that its chart never reads, as warnings that name who sets them: a
 * values file of the operator (file and path), the operator's sensitive values, or the
 * federation config (this project).
 */
export function unreadValueFindings(config: WireFederationConfig, chart: string, values: Parameters<typeof unreadPaths>[1], keys: ChartKeys): Finding[] {
  const key = RELEASE_KEYS[chart];
  const settings: ReleaseConfig | undefined = key === undefined ? undefined : config.charts[key];
  const findings: Finding[] = [];
  for (const path of unreadPaths(keys, values)) {
    const files = (settings?.valuesDocuments ?? []).filter((d) => valueAt(d.values, path) !== undefined);
    const sensitive = (settings?.sensitiveValues ?? []).filter((p) => p === path || p.startsWith(`${path}.`));
    for (const doc of files) {
      findings.push(
        warning(
          RENDER_RULE_IDS.unreadValue,
          doc.path,
          `values file ${doc.file} sets ${chart} value ${path}, which the ${keys.name || chart} chart never reads (not in its values nor its templates): it has no effect. Remove it, or check its spelling and the chart version.`,
        ),
      );
    }
    for (const p of sensitive) {
      findings.push(
        warning(
          RENDER_RULE_IDS.unreadValue,
          `charts.${key}.sensitiveValues`,
          `sensitive value ${p} of ${chart} is never read by the chart (not in its values nor its templates): it has no effect. Remove it, or check its spelling.`,
        ),
      );
    }
    if (files.length === 0 && sensitive.length === 0) {
      findings.push(
        warning(
          RENDER_RULE_IDS.unreadValue,
          `${chart}:${path}`,
          `the federation config sets ${chart} value ${path}, which this chart version never reads (not in its values nor its templates): pin a chart version this project supports.`,
        ),
      );
    }
  }
  return findings;
}

/**
 * Values the chart ignores in the setting the release has (the chart-facts table), as warnings
 * that name who sets them; and a known-bad chart version, as an error naming the version to use.
 */
export function versionFactFindings(
  config: WireFederationConfig,
  release: {
    readonly chart: string;
    readonly version?: string;
    readonly values: Parameters<typeof unreadPaths>[1];
    readonly sensitivePaths: readonly string[];
  },
): Finding[] {
  const key = RELEASE_KEYS[release.chart];
  if (key === undefined) return [];
  const chart = release.chart as WireChart;
  const settings: ReleaseConfig | undefined = config.charts[key];
  const findings: Finding[] = [];
  const bad = release.version === undefined ? undefined : knownBadRelease(chart, release.version);
  if (bad !== undefined) {
    findings.push(
      error(
        RENDER_RULE_IDS.knownBadRelease,
        `charts.${key}.version`,
        `${chart} ${release.version} is a release to skip (${bad.series}): ${bad.why}; pin ${bad.useInstead}`,
      ),
    );
  }
  const whoSets = (path: string): string[] => [
    ...(settings?.valuesDocuments ?? []).filter((d) => valueAt(d.values, path) !== undefined).map((d) => `values file ${d.file}`),
    ...(release.sensitivePaths.includes(path)
      ? [(settings?.sensitiveValues ?? []).includes(path) ? `charts.${key}.sensitiveValues` : 'the federation config (set_sensitive)']
      : []),
  ];
  for (const path of release.version === undefined ? [] : valuesNotReadIn(chart, release.version)) {
    if (valueAt(release.values, path) === undefined) continue;
    const who = whoSets(path);
    findings.push(
      warning(
        RENDER_RULE_IDS.ignoredValue,
        `${chart}:${path}`,
        `${who.length > 0 ? who.join(' and ') : 'the federation config'} sets ${chart} value ${path}, which ${chart} ${release.version} does not read (docs/reference/chart-versions.md). Remove it.`,
      ),
    );
  }
  for (const { path, rule } of ignoredValuePaths(chart, (p) => valueAt(release.values, p))) {
    const who = whoSets(path);
    findings.push(
      warning(
        RENDER_RULE_IDS.ignoredValue,
        `${chart}:${path}`,
        `${who.length > 0 ? who.join(' and ') : 'the federation config'} sets ${chart} value ${path}, which the chart ignores with ${rule.when.path}: ${JSON.stringify(rule.when.equals)} (${rule.meaning}). Remove it.`,
      ),
    );
  }
  return findings;
}
