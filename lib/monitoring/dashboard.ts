/**
 * The Grafana dashboard of the federation exporter, as data: per-peer status, days to certificate
 * expiry, round duration, deadline misses and the exporter's memory. `npm run alerts` writes it to
 * `charts/wire-federation-monitoring/dashboards/wire-federation.json`, which the monitoring chart
 * ships as a ConfigMap for Grafana's dashboard sidecar (label `grafana_dashboard: "1"`). Every
 * query reads only metrics the exporter serves (a test checks them against a real scrape and
 * parses them with promtool). Pure: no cdktf.
 */
import { METRIC_NAMES } from '../verify/checks';

/** The dashboard's uid (stable: Grafana links and the sidecar key on it). */
export const DASHBOARD_UID = 'wire-federation-exporter';

/*
 * The types below mirror Grafana's classic dashboard model (`Dashboard` of @grafana/schema), the
 * subset this dashboard uses, with Grafana's enums written as their JSON values. They are ours (no
 * dependency on Grafana at runtime or in our .d.ts); __tests__/monitoring/dashboard-schema.ts checks
 * them against Grafana's published types (assignable, and no property Grafana's type lacks).
 */

/** A Prometheus query of a panel (Grafana: `Panel.targets[]`, a `Record<string, unknown>`). */
export type DashboardTarget = {
  readonly expr: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
  readonly format?: 'table' | 'time_series';
  readonly refId: string;
};

/** Grafana's `DataSourceRef`. */
export interface DashboardDataSourceRef {
  readonly type: 'prometheus';
  readonly uid: string;
}

/** Grafana's `Threshold` and `ThresholdsConfig` (`ThresholdsMode.Absolute`). */
export interface DashboardThresholds {
  readonly mode: 'absolute';
  readonly steps: readonly { readonly color: string; readonly value: number | null }[];
}

/** Grafana's `ValueMap` (`MappingType.ValueToText`). */
export interface DashboardValueMap {
  readonly type: 'value';
  readonly options: Readonly<Record<string, { readonly text?: string; readonly color?: string }>>;
}

/** Grafana's `FieldConfigSource` (no overrides). */
export interface DashboardFieldConfig {
  readonly defaults: {
    readonly unit?: string;
    readonly min?: number;
    /** Grafana's `FieldColor` (`FieldColorModeId.Thresholds`). */
    readonly color?: { readonly mode: 'thresholds' };
    readonly thresholds?: DashboardThresholds;
    readonly mappings?: readonly DashboardValueMap[];
    readonly custom?: Readonly<Record<string, unknown>>;
  };
  readonly overrides: readonly [];
}

/** Grafana's `Panel`. */
export interface DashboardPanel {
  readonly id: number;
  readonly type: 'stat' | 'table' | 'bargauge' | 'timeseries';
  readonly title: string;
  readonly description: string;
  /** Grafana's `GridPos`: 24 columns. */
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource: DashboardDataSourceRef;
  readonly targets: readonly DashboardTarget[];
  readonly fieldConfig: DashboardFieldConfig;
  readonly options: Readonly<Record<string, unknown>>;
  /** Grafana's `DataTransformerConfig`. */
  readonly transformations?: readonly { readonly id: string; readonly options: Readonly<Record<string, unknown>> }[];
}

/** Grafana's `VariableModel`, the kinds we use. */
export interface DashboardVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'datasource' | 'query';
  readonly datasource?: DashboardDataSourceRef;
  /** The data source type (datasource variable) or the query (query variable). */
  readonly query: string | { readonly query: string; readonly refId: string };
  /** `VariableRefresh.onTimeRangeChanged`. */
  readonly refresh?: 2;
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  readonly allValue?: string;
  /** Grafana's `VariableOption`. */
  readonly current?: { readonly text: string; readonly value: string };
  /** `VariableSort.alphabeticalAsc`. */
  readonly sort?: 1;
}

/** Grafana's classic `Dashboard` (the JSON model the dashboard sidecar loads). */
export interface FederationDashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly timezone: string;
  readonly templating: { readonly list: readonly DashboardVariable[] };
  readonly annotations: { readonly list: readonly [] };
  readonly links: readonly [];
  readonly panels: readonly DashboardPanel[];
}

const DS: DashboardDataSourceRef = { type: 'prometheus', uid: '${datasource}' };
const SEL = 'job=~"$job"';
const PEER_SEL = `${SEL},peer=~"$peer"`;

/** The dashboard JSON (Grafana 10/11, schemaVersion 39). */
export function federationDashboard(): FederationDashboard {
  const m = METRIC_NAMES;
  let id = 0;
  const panel = (
    p: Omit<DashboardPanel, 'id' | 'datasource' | 'fieldConfig' | 'options'> & Partial<Pick<DashboardPanel, 'fieldConfig' | 'options'>>,
  ): DashboardPanel => ({
    id: ++id,
    datasource: DS,
    fieldConfig: { defaults: {}, overrides: [] },
    options: {},
    ...p,
  });
  const stateColors = { mode: 'thresholds' } as const;
  /** A stat panel of the top row: a count, green at 0 and `color` from 1. */
  const countStat = (title: string, description: string, x: number, expr: string, color: string): DashboardPanel =>
    panel({
      type: 'stat',
      title,
      description,
      gridPos: { x, y: 0, w: 6, h: 4 },
      targets: [{ refId: 'A', expr }],
      fieldConfig: {
        defaults: {
          color: stateColors,
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'green', value: null },
              { color, value: 1 },
            ],
          },
        },
        overrides: [],
      },
    });
  const panels: DashboardPanel[] = [
    countStat(
      'Peers failing',
      'Peers whose federation call fails (a definite failure, not a check that could not run)',
      0,
      `count(${m.checkStatus}{${SEL},check="federation.call",peer!="",status="fail"} == 1) or vector(0)`,
      'red',
    ),
    countStat(
      'Checks that cannot run',
      'Checks without a verdict in the last round (timeouts, DNS not answering, round deadline)',
      6,
      `count(${m.checkStatus}{${SEL},status="error"} == 1) or vector(0)`,
      'orange',
    ),
    countStat(
      'Our side',
      'Our SRV/A records and our federator certificate: checks that fail or cannot run (peers refuse us while any do)',
      12,
      `count(${m.checkStatus}{${SEL},peer="",check=~"dns.*|tls.*|mtls.*",status=~"fail|error"} == 1) or vector(0)`,
      'red',
    ),
    panel({
      type: 'stat',
      title: 'Last round',
      description: 'Seconds since the last round of checks ended',
      gridPos: { x: 18, y: 0, w: 6, h: 4 },
      targets: [{ refId: 'A', expr: `time() - max(${m.lastRound}{${SEL}})` }],
      fieldConfig: { defaults: { unit: 's' }, overrides: [] },
    }),
    panel({
      type: 'table',
      title: 'Status per peer and check',
      description: '1 passed (or warned), 0 failed, could not run or was skipped (see the status below)',
      gridPos: { x: 0, y: 4, w: 24, h: 10 },
      targets: [{ refId: 'A', expr: `max by (peer, check) (${m.checkOk}{${PEER_SEL},peer!=""})`, instant: true, format: 'table' }],
      transformations: [{ id: 'groupingToMatrix', options: { columnField: 'check', rowField: 'peer', valueField: 'Value' } }],
      fieldConfig: {
        defaults: {
          mappings: [{ type: 'value', options: { '0': { text: 'not ok', color: 'red' }, '1': { text: 'ok', color: 'green' } } }],
          custom: { cellOptions: { type: 'color-background' } },
        },
        overrides: [],
      },
    }),
    panel({
      type: 'table',
      title: 'Checks failing or without a verdict',
      description: 'Every check of the last round whose status is fail or error, and the refusal of failing federation calls',
      gridPos: { x: 0, y: 14, w: 12, h: 8 },
      targets: [
        { refId: 'A', expr: `${m.checkStatus}{${SEL},status=~"fail|error"} == 1`, instant: true, format: 'table' },
        { refId: 'B', expr: `${m.callRefusal}{${PEER_SEL}}`, instant: true, format: 'table' },
      ],
    }),
    panel({
      type: 'bargauge',
      title: 'Days to certificate expiry',
      description: 'Days until each certificate on the federation path expires (ours, our CA, each peer and its CA); last known value while a peer is down',
      gridPos: { x: 12, y: 14, w: 12, h: 8 },
      targets: [{ refId: 'A', expr: `(${m.certificateNotAfter}{${SEL}} - time()) / 86400`, legendFormat: '{{subject}} {{peer}}', instant: true }],
      fieldConfig: {
        defaults: {
          unit: 'd',
          min: 0,
          thresholds: {
            mode: 'absolute',
            steps: [
              { color: 'red', value: null },
              { color: 'orange', value: 7 },
              { color: 'green', value: 21 },
            ],
          },
        },
        overrides: [],
      },
      options: { displayMode: 'gradient', orientation: 'horizontal' },
    }),
    panel({
      type: 'timeseries',
      title: 'Round duration',
      description: 'Duration of each round of checks; above the interval, rounds miss their deadline',
      gridPos: { x: 0, y: 22, w: 8, h: 8 },
      targets: [{ refId: 'A', expr: `${m.roundDuration}{${SEL}}`, legendFormat: '{{instance}}' }],
      fieldConfig: { defaults: { unit: 's' }, overrides: [] },
    }),
    panel({
      type: 'timeseries',
      title: 'Deadline misses',
      description: 'Rounds that missed their deadline, and the peers cut off most (per hour)',
      gridPos: { x: 8, y: 22, w: 8, h: 8 },
      targets: [
        { refId: 'A', expr: `increase(${m.deadlineExceeded}{${SEL}}[1h])`, legendFormat: 'rounds' },
        { refId: 'B', expr: `topk(10, increase(${m.peerDeadlineMissed}{${PEER_SEL}}[1h]))`, legendFormat: '{{peer}}' },
      ],
    }),
    panel({
      type: 'timeseries',
      title: 'Exporter memory',
      description: "The exporter's resident memory and V8 heap (flat over months: npm run soak:exporter checks it)",
      gridPos: { x: 16, y: 22, w: 8, h: 8 },
      targets: [
        { refId: 'A', expr: `process_resident_memory_bytes{${SEL}}`, legendFormat: 'RSS' },
        { refId: 'B', expr: `nodejs_heap_size_used_bytes{${SEL}}`, legendFormat: 'heap used' },
      ],
      fieldConfig: { defaults: { unit: 'bytes' }, overrides: [] },
    }),
  ];
  const variable = (name: string, query: string, includeAll: boolean): DashboardVariable => ({
    name,
    label: name,
    type: 'query',
    datasource: DS,
    query: { query, refId: name },
    refresh: 2,
    includeAll,
    multi: includeAll,
    ...(includeAll ? { allValue: '.*', current: { text: 'All', value: '$__all' } } : {}),
    sort: 1,
  });
  return {
    uid: DASHBOARD_UID,
    title: 'Wire federation',
    description: 'The federation exporter (wire-federation verify --serve): per-peer status, certificate expiry, rounds and memory',
    tags: ['wire', 'federation'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-24h', to: 'now' },
    refresh: '1m',
    timezone: '',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
        variable('job', `label_values(${METRIC_NAMES.info}, job)`, false),
        variable('peer', `label_values(${METRIC_NAMES.checkOk}{job=~"$job",peer!=""}, peer)`, true),
      ],
    },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** The dashboard file as the chart ships it. */
export function dashboardJson(): string {
  return `${JSON.stringify(federationDashboard(), null, 2)}\n`;
}
