/**
 * docs/reference/chart-versions.md ("Supported chart versions"), generated from the chart-facts
 * table (lib/core/chart-facts.ts): the releases to skip, what each version reads, requires or
 * ignores, and the two wire-ingress layouts.
 */
import {
  BACKEND_DOMAIN_PLACES,
  CHART_FEATURES,
  CHART_PUBLISHING,
  ChartFeature,
  IGNORED_VALUES,
  KNOWN_BAD_RELEASES,
  LISTENER_SET_MIN_ENVOY_GATEWAY,
  WIRE_INGRESS_BSI_PROFILE_VALUE,
  WIRE_RELEASES,
  describeRange,
  featureMinimum,
} from '../../lib/core/chart-facts';
import { cell, generatedNotice } from './markdown';

export function chartVersionsReference(): string {
  const lines: string[] = [
    '# Supported chart versions',
    '',
    generatedNotice('the chart-facts table, `lib/core/chart-facts.ts`'),
    '',
    "What this project knows about each version of Wire's charts (`wire-server`, `nginx-ingress-services`,",
    '`wire-ingress`; Wire releases them together under one version). The config rules, the values it',
    'writes, `adopt` and `render` all ask this one table. Pre-release labels count as their release',
    '(`5.30.0-develop.20260411` is 5.30.0).',
    '',
    `The examples pin **${WIRE_RELEASES.stable}**, Wire's stable release since July 2026; the newest release this table knows is ${WIRE_RELEASES.newest}.`,
    '',
    '## Releases to skip',
    '',
    'A config that pins one of these is refused (`chart-known-bad`), naming the version to use.',
    '',
    '| series | charts | skip | pin instead | why | source |',
    '|---|---|---|---|---|---|',
    ...KNOWN_BAD_RELEASES.map(
      (r) =>
        `| ${r.series} | ${cell(r.charts.join(', '))} | ${r.federatedOnly ? 'in federated environments' : 'always'} | ${r.useInstead} | ${cell(r.why)} | ${cell(r.source)} |`,
    ),
    '',
    '## Features by version',
    '',
    '| feature | chart | versions | values | what it means | source |',
    '|---|---|---|---|---|---|',
    ...Object.entries(CHART_FEATURES as Record<string, ChartFeature>).map(
      ([name, f]) =>
        `| \`${name}\` | ${f.chart} | ${cell(describeRange(f.range))}${f.readRange ? ` (read ${cell(describeRange(f.readRange))})` : ''} | ${cell(f.values.map((v) => (v.startsWith('(') ? v : `\`${v}\``)).join(', '))} | ${cell(f.meaning)} | ${cell(f.source)} |`,
    ),
    '',
    '## The backend domain in wire-server',
    '',
    'Set in every place the pinned version reads it, even with federation off; `adopt` compares the places the running version reads, and `render` checks the places of the pinned version.',
    '',
    '| service | value | read by |',
    '|---|---|---|',
    ...BACKEND_DOMAIN_PLACES.map(
      (p) => `| ${p.service} | \`${p.value}\` | ${p.feature === undefined ? 'every version' : cell(describeRange(CHART_FEATURES[p.feature].range))} |`,
    ),
    '',
    '## Values a chart ignores',
    '',
    'Passed anyway, they are reported by `render` (`render-ignored-value`) and left out by `adopt`.',
    '',
    '| chart | values | ignored with | why | source |',
    '|---|---|---|---|---|',
    ...IGNORED_VALUES.map(
      (r) =>
        `| ${r.chart} | ${cell(r.paths.map((p) => `\`${p}\``).join(', '))} | \`${r.when.path}: ${JSON.stringify(r.when.equals)}\` | ${cell(r.meaning)} | ${cell(r.source)} |`,
    ),
    '',
    'A value of the table above that the pinned version does not read (e.g. `background-worker.config.federationDomain` from 5.30.0) is reported the same way.',
    '',
    '## wire-ingress layouts',
    '',
    `| versions | federator listener | client-certificate validation | section name |`,
    '|---|---|---|---|',
    `| ${featureMinimum('wireIngress')} – ${cell(describeRange({ before: featureMinimum('wireIngressListenerSet') }).replace('up to ', ''))} | a listener \`federator\` on the \`Gateway\` | ClientTrafficPolicy targeting the Gateway section \`federator\` | fixed |`,
    `| ${featureMinimum('wireIngressListenerSet')} and later | a section of a \`ListenerSet\` (gateway.networking.k8s.io/v1); the Gateway keeps a placeholder listener | ClientTrafficPolicy targeting the ListenerSet section | \`gateway.listeners.federator.sectionName\` (config \`ingress.gateway.federatorSectionName\`) |`,
    '',
    `The ListenerSet layout needs Envoy Gateway ${LISTENER_SET_MIN_ENVOY_GATEWAY} or later (Gateway API 1.6.1 CRDs, Kubernetes 1.33+). Both layouts validate client certificates against wire-server's \`federator-ca\` ConfigMap (mode \`VerifyIfGiven\`: the federator refuses a call without a certificate). Under the BSI TR-02102-2 profile (\`${WIRE_INGRESS_BSI_PROFILE_VALUE}: true\`) the listener accepts ECDSA client chains only: validate and synth (\`bsi-profile-rsa\`) and \`render\` (\`render-bsi-profile\`) warn when our federator chain or a peer's CA is RSA.`,
    '',
    '## Where the charts are published',
    '',
    `- Helm repository: \`${CHART_PUBLISHING.classicRepository}\` (the default of \`charts.repository\`).`,
    `- OCI registry: \`${CHART_PUBLISHING.ociRepository}\`. With an \`oci://\` repository the helm release names the registry and the chart; \`render\` pulls \`oci://…/<chart> --version X\` (Helm refuses \`--repo\` with OCI; \`--plain-http\` for a local registry).`,
    '',
  ];
  return `${lines.join('\n')}`;
}
