import { resolve } from 'node:path';
import { AssetType, ITerraformDependable, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { stringify } from 'yaml';
import { CHARTS_DIR } from '../package-dir';
import { AlertRuleOptions, federationAlertRules } from './alert-rules';

export interface MonitoringRulesProps {
  /** Namespace of the exporter's Service. */
  readonly namespace: string;
  /** Name of the exporter's Service: the ServiceMonitor selects it, the rules name its `job`. */
  readonly name: string;
  /** Deploy the ServiceMonitor. */
  readonly serviceMonitor: { readonly enabled: boolean; readonly labels: Readonly<Record<string, string>>; readonly interval: string };
  /** Deploy the alert rules as a PrometheusRule. */
  readonly prometheusRule: { readonly enabled: boolean; readonly labels: Readonly<Record<string, string>> } & Pick<AlertRuleOptions, 'peerFailingFor'>;
  /** The exporter's interval between rounds in milliseconds (the rounds alerts wait as long as /healthz). @default 60000 */
  readonly intervalMs?: number;
  /** Installed after these (the exporter's Service). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/** The chart's values: pure. */
export function monitoringChartValues(props: Omit<MonitoringRulesProps, 'dependsOn' | 'namespace'>): string {
  return stringify(
    {
      name: props.name,
      serviceMonitor: props.serviceMonitor,
      prometheusRule: {
        enabled: props.prometheusRule.enabled,
        labels: props.prometheusRule.labels,
        groups: federationAlertRules({ job: props.name, peerFailingFor: props.prometheusRule.peerFailingFor, intervalMs: props.intervalMs }),
      },
    },
    { lineWidth: 0 },
  );
}

/**
 * The ServiceMonitor and the PrometheusRule of the exporter, carried by a small local Helm chart
 * (`charts/wire-federation-monitoring`): a `kubernetes_manifest` would need the Prometheus
 * Operator's CRDs at plan time; a Helm release is rendered at apply. The rules are those of
 * `monitoring/alerts.yaml` (one source: `federationAlertRules`).
 */
export class MonitoringRules extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: MonitoringRulesProps) {
    super(scope, id);
    const chart = new TerraformAsset(this, 'Chart', {
      path: resolve(CHARTS_DIR, 'wire-federation-monitoring'),
      type: AssetType.DIRECTORY,
    });
    this.release = new Release(this, 'Release', {
      name: `${props.name}-monitoring`,
      chart: chart.path,
      namespace: props.namespace,
      values: [monitoringChartValues(props)],
      dependsOn: props.dependsOn,
    });
  }
}
