import { createHash } from 'node:crypto';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { EXPORTER_JOB } from './alert-rules';
import { CLIENT_DIR, CONFIG_DIR, COTURN_DIR, FILES, METRICS_PORT, exporterArgs } from './exporter-config';
import type { ExporterConfigFiles } from './exporter-config';

/**
 * The exporter's resources, sized from `npm run soak:exporter` (200 peers, rounds back to back;
 * docs/monitoring.md "Sizing"): resident memory levels off at 180-195 MiB (heap about 57 MiB),
 * so the request covers the steady state and the limit leaves room for a peak twice that; a
 * round of 200 peers costs about 2 CPU-seconds, about 40m on average at a 60 s interval, in
 * bursts: a request of 100m and no CPU limit (a limit would throttle the burst and make rounds
 * miss their deadline).
 */
export const EXPORTER_RESOURCES = { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } as const;

/** Timeout of the exporter's probes, in seconds (the slowest /healthz measured under load: 1.15 s). */
export const EXPORTER_PROBE_TIMEOUT_SECONDS = 5;

export interface FederationExporterProps {
  /** Namespace of wire-server (where the federator certificate secret is). */
  readonly namespace: string;
  /** Container image with the `wire-federation` CLI as entry point. */
  readonly image: string;
  /** The config file and public files of the pod (see `exporterConfig`). */
  readonly files: ExporterConfigFiles;
  /** Our CA bundle (what peers trust, maybe a Terraform expression): `--ca`. */
  readonly caBundle: string;
  /** The trust bundle of our federator (maybe a Terraform expression), for peers whose CA is another environment's output. */
  readonly peerTrustBundle: string;
  /** The kubernetes.io/tls secret with our federator certificate (`tls.crt`, `tls.key`). */
  readonly clientCertificateSecret: string;
  /**
   * With calling: the kubernetes.io/tls secret with our coturn's DTLS certificate, mounted for
   * `--coturn-cert`, and a writable /tmp for the DTLS probe's files (the root file system is
   * read-only). @default - no calling checks with our certificate
   */
  readonly coturnCertificateSecret?: string;
  /** `--interval`. */
  readonly interval: string;
  /** `--timeout` in milliseconds. */
  readonly timeoutMs: number;
  /** `--peers`. */
  readonly peers: boolean;
  /** `--dns-server`. @default - the cluster's resolver */
  readonly dnsServer?: string;
  /** Name of the Deployment and the Service (the `job` label Prometheus gives its target). @default wire-federation-exporter */
  readonly name?: string;
  /** Created after these (the release that makes the certificate secret). @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The federation exporter in the cluster: a ConfigMap with the environment's config (JSON,
 * without secrets) and the CA bundles, a Deployment running `wire-federation verify --serve`
 * with our federator certificate mounted from the secret the PKI mode already has (the key never
 * passes through Terraform here), and a ClusterIP Service for Prometheus. The pod runs as a
 * non-root user with a read-only root file system and no service account token; a change of the
 * config rolls it (annotation with the config's hash).
 *
 * Construct ids are Terraform state addresses: never rename them.
 */
export class FederationExporter extends Construct {
  public readonly name: string;
  public readonly configMap: ConfigMapV1;
  public readonly deployment: DeploymentV1;
  public readonly service: ServiceV1;

  constructor(scope: Construct, id: string, props: FederationExporterProps) {
    super(scope, id);
    this.name = props.name ?? EXPORTER_JOB;
    const labels = { 'app.kubernetes.io/name': this.name, 'app.kubernetes.io/part-of': 'wire-federation', 'app.kubernetes.io/component': 'exporter' };
    const configJson = `${JSON.stringify(props.files.config, null, 2)}\n`;
    const environmentPeers = props.peers ? props.files.environmentPeers : [];
    const coturnSecret = props.coturnCertificateSecret;
    this.configMap = new ConfigMapV1(this, 'Config', {
      metadata: { name: this.name, namespace: props.namespace, labels },
      data: {
        [FILES.config]: configJson,
        [FILES.ca]: props.caBundle,
        ...(environmentPeers.length > 0 ? { [FILES.peerCas]: props.peerTrustBundle } : {}),
        ...props.files.files,
      },
    });
    // /healthz answered in up to 1.15 s while a 200-peer round kept the event loop busy: 5 s
    // leaves a margin of four, and three misses in a row are needed before a restart.
    const probe = { httpGet: { path: '/healthz', port: 'metrics' }, timeoutSeconds: EXPORTER_PROBE_TIMEOUT_SECONDS };
    this.deployment = new DeploymentV1(this, 'Deployment', {
      metadata: { name: this.name, namespace: props.namespace, labels },
      // Monitoring must not hold up a federation deploy (e.g. while the image is being mirrored).
      waitForRollout: false,
      dependsOn: props.dependsOn,
      spec: {
        replicas: '1',
        selector: { matchLabels: { 'app.kubernetes.io/name': this.name } },
        template: {
          metadata: {
            labels,
            annotations: { 'wire-federation/config-sha256': createHash('sha256').update(configJson).digest('hex') },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: '1000', runAsGroup: '1000', fsGroup: '1000', seccompProfile: { type: 'RuntimeDefault' } },
            container: [
              {
                name: 'exporter',
                image: props.image,
                args: exporterArgs({
                  interval: props.interval,
                  timeoutMs: props.timeoutMs,
                  peers: props.peers,
                  dnsServer: props.dnsServer,
                  environmentPeers,
                  coturn: coturnSecret !== undefined,
                }),
                port: [{ name: 'metrics', containerPort: METRICS_PORT }],
                readinessProbe: { ...probe, periodSeconds: 10, failureThreshold: 3 },
                livenessProbe: { ...probe, initialDelaySeconds: 30, periodSeconds: 30, failureThreshold: 3 },
                resources: EXPORTER_RESOURCES,
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMount: [
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'client-certificate', mountPath: CLIENT_DIR, readOnly: true },
                  ...(coturnSecret
                    ? [
                        { name: 'coturn-certificate', mountPath: COTURN_DIR, readOnly: true },
                        { name: 'tmp', mountPath: '/tmp' },
                      ]
                    : []),
                ],
              },
            ],
            volume: [
              { name: 'config', configMap: { name: this.name } },
              {
                name: 'client-certificate',
                secret: {
                  secretName: props.clientCertificateSecret,
                  defaultMode: '0440',
                  items: [
                    { key: 'tls.crt', path: 'tls.crt' },
                    { key: 'tls.key', path: 'tls.key' },
                  ],
                },
              },
              ...(coturnSecret
                ? [
                    {
                      name: 'coturn-certificate',
                      secret: {
                        secretName: coturnSecret,
                        defaultMode: '0440',
                        items: [
                          { key: 'tls.crt', path: 'tls.crt' },
                          { key: 'tls.key', path: 'tls.key' },
                        ],
                      },
                    },
                    { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
                  ]
                : []),
            ],
          },
        },
      },
    });
    this.service = new ServiceV1(this, 'Service', {
      metadata: { name: this.name, namespace: props.namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': this.name },
        port: [{ name: 'metrics', port: METRICS_PORT, targetPort: 'metrics' }],
      },
    });
  }
}
