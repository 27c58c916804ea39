/** `monitoring`: the federation exporter, its ServiceMonitor and alert rules. */
import { z } from 'zod';
import { INTERVAL_FORMAT, parseIntervalMs } from '../../core/durations';
import { intIn, nonEmpty } from './fields';

const labelMap = (what: string) =>
  z
    .record(
      z
        .string()
        .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: `must be Kubernetes label names: ${what}` }),
      z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
        error: `must be Kubernetes label values (at most 63 letters, digits, "-", "_", "."): ${what}`,
      }),
      { error: `must be a map of Kubernetes labels: ${what}` },
    )
    .default({});

export const monitoringSchema = z
  .strictObject({
    /**
     * Deploy the federation exporter (`wire-federation verify --serve`) in the wire namespace:
     * a Deployment that presents our federator certificate (from the secret of the PKI mode),
     * a Service, and (with the Prometheus Operator) a ServiceMonitor and the alert rules as a
     * PrometheusRule. See docs/monitoring.md.
     * @default false
     */
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
    /**
     * Container image of the exporter (mirror it for offline clusters).
     * @default - ghcr.io/wireapp/wire-federation-cdktf at the version of this package
     */
    image: nonEmpty('container image of the federation exporter').optional(),
    /** Time between two rounds of checks, a duration between 1s and 24h such as 60s, 5m or 1h (the same rule as `--interval`). @default 60s */
    interval: z
      .string({ error: `must be ${INTERVAL_FORMAT}` })
      .refine((v) => parseIntervalMs(v) !== undefined, {
        error: `must be ${INTERVAL_FORMAT} (the exporter refuses anything else and its pod would crash-loop)`,
      })
      .default('60s'),
    /** Timeout of each check (DNS lookup, TLS connection, federation call) in milliseconds (`--timeout`). @default 5000 */
    timeoutMs: intIn(100, 600_000, 'timeout of each check in milliseconds').default(5000),
    /** Also check every peer (`--peers`): SRV record, certificate, whether it accepts us, the federation call. @default true */
    peers: z.boolean({ error: 'must be true or false' }).default(true),
    /** DNS server of every lookup (`--dns-server`, `ip[:port]`). @default - the cluster's resolver */
    dnsServer: z
      .string({ error: 'must be a string: an IP address with an optional port' })
      .regex(/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[0-9a-fA-F:]+\](:\d{1,5})?|[0-9a-fA-F:]+)$/, {
        error: 'must be an IP address with an optional port, e.g. 1.1.1.1 or 10.0.0.10:53',
      })
      .optional(),
    /** A ServiceMonitor for the Prometheus Operator (needs its CRDs). */
    serviceMonitor: z
      .strictObject({
        /** Deploy the ServiceMonitor (switch off when your Prometheus scrapes Services by annotation). @default true */
        enabled: z.boolean({ error: 'must be true or false' }).default(true),
        /** Labels your Prometheus selects ServiceMonitors by (its serviceMonitorSelector), e.g. `{release: kube-prometheus-stack}`. @default - none */
        labels: labelMap('labels of the ServiceMonitor'),
        /** Scrape interval. @default 30s */
        interval: z
          .string()
          .regex(/^\d+(s|m)$/, { error: 'must be a duration such as 30s or 1m' })
          .default('30s'),
      })
      .default({ enabled: true, labels: {}, interval: '30s' }),
    /** The alert rules (monitoring/alerts.yaml) as a PrometheusRule (needs the Prometheus Operator's CRDs). */
    prometheusRule: z
      .strictObject({
        /** Deploy the PrometheusRule (switch off to load monitoring/alerts.yaml into Prometheus yourself). @default true */
        enabled: z.boolean({ error: 'must be true or false' }).default(true),
        /** Labels your Prometheus selects rules by (its ruleSelector), e.g. `{release: kube-prometheus-stack}`. @default - none */
        labels: labelMap('labels of the PrometheusRule'),
        /** How long a peer's federation call must fail before WireFederationPeerCallFailing fires. @default 10m */
        peerFailingFor: z
          .string()
          .regex(/^\d+(s|m|h)$/, { error: 'must be a duration such as 10m' })
          .default('10m'),
      })
      .default({ enabled: true, labels: {}, peerFailingFor: '10m' }),
  })
  .default({
    enabled: false,
    interval: '60s',
    timeoutMs: 5000,
    peers: true,
    serviceMonitor: { enabled: true, labels: {}, interval: '30s' },
    prometheusRule: { enabled: true, labels: {}, peerFailingFor: '10m' },
  });
