/**
 * `wire-federation verify --serve`: the checks of `verify` on a schedule, as a Prometheus
 * exporter. By job: the metrics, declared by the registry of checks (`./metrics.ts`,
 * `../checks`), the round, bounded by its deadline (`./round.ts`), and the HTTP server and its
 * schedule (`./server.ts`). Metrics: docs/monitoring.md and {@link METRIC_NAMES}.
 */
export { METRIC_NAMES, OWN_IDS, PEER_IDS, splitCheckId } from '../checks';
export { CHECK_STATES, DEFAULT_INTERVAL_MS, staleRoundBoundMs } from '../checks/exporter';
export { refusalLabel } from '../checks/peer';
export type { CheckState } from '../checks/types';
export { createMetrics, processMetricsRegistry, recordRound } from './metrics';
export type { Metrics } from './metrics';
export { DEFAULT_CONCURRENCY, checkState, nextStart, runChecks } from './round';
export type { ExporterCredentials, ExporterOptions, RoundExtra, RoundExtraContext, RoundResult } from './round';
export { DEFAULT_LISTEN, HTTP_TIMEOUTS, acceptsGzip, checkExporterOptions, startExporter } from './server';
export type { RunningExporter } from './server';
