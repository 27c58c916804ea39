import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { WireFederationConfig } from '../config';
import { parseIntervalMs } from '../core/durations';
import { exporterConfig } from './exporter-config';
import { COTURN_DTLS_SECRET, callingEndpoints } from '../calling/endpoints';
import { defaultExporterImage } from './exporter-image';
import { FederationExporter } from './federation-exporter';
import { MonitoringRules } from './monitoring-rules';

export interface FederationMonitoringProps {
  /** The parsed environment config (`monitoring` enabled). */
  readonly config: WireFederationConfig;
  /** Our CA bundle (what peers trust; maybe a Terraform expression). */
  readonly caBundle: string;
  /** Our federator's trust bundle of the peers' CAs (maybe a Terraform expression). */
  readonly trustBundle: string;
  /** The kubernetes.io/tls secret with our federator certificate, made by the PKI mode's release or resource. */
  readonly clientCertificateSecret: string;
  /** What makes that secret (the ingress release). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Continuous verification of one backend (`monitoring` in the config): the exporter
 * (`FederationExporter`) and, when enabled, its ServiceMonitor and alert rules
 * (`MonitoringRules`), in the wire namespace.
 */
export class FederationMonitoring extends Construct {
  public readonly exporter: FederationExporter;
  public readonly rules?: MonitoringRules;

  constructor(scope: Construct, id: string, props: FederationMonitoringProps) {
    super(scope, id);
    const { config } = props;
    const m = config.monitoring;
    const namespace = config.kubernetes.namespace;
    this.exporter = new FederationExporter(this, 'Exporter', {
      namespace,
      image: m.image ?? defaultExporterImage(),
      files: exporterConfig(config),
      caBundle: props.caBundle,
      peerTrustBundle: props.trustBundle,
      clientCertificateSecret: props.clientCertificateSecret,
      ...(callingEndpoints(config) ? { coturnCertificateSecret: COTURN_DTLS_SECRET } : {}),
      interval: m.interval,
      timeoutMs: m.timeoutMs,
      peers: m.peers,
      dnsServer: m.dnsServer,
      dependsOn: props.dependsOn,
    });
    if (m.serviceMonitor.enabled || m.prometheusRule.enabled) {
      this.rules = new MonitoringRules(this, 'Rules', {
        namespace,
        name: this.exporter.name,
        serviceMonitor: m.serviceMonitor,
        prometheusRule: m.prometheusRule,
        intervalMs: parseIntervalMs(m.interval),
        dependsOn: [this.exporter.service],
      });
    }
  }
}
