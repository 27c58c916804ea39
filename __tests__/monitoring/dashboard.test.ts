/**
 * The Grafana dashboard (lib/monitoring/dashboard.ts → charts/wire-federation-monitoring/
 * dashboards/wire-federation.json): the shipped file is what `npm run alerts` writes; its shape is
 * type-checked against Grafana's published schema (`Dashboard` of @grafana/schema 13.2.3, classic
 * model and package root, no excess properties) by ./dashboard-schema.ts under
 * `npx tsc --noEmit -p .`; here, what types cannot say (unique ids, grid positions, a Prometheus
 * target per panel, the variables it uses defined); every metric it queries is in a real scrape of
 * the exporter; every query parses (promtool check rules, each query as a recording rule,
 * variables filled in). Neither Debian nor npm has a Grafana to load it into: these checks stand
 * in for that.
 */
import { VariableRefresh, VariableSort } from '@grafana/schema';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DASHBOARD_UID, dashboardJson, federationDashboard } from '../../lib/monitoring/dashboard';
import { RunningExporter, startExporter } from '../../lib/verify/serve';
import { REPO_ROOT } from '../support/config';
import { exporterOptionsFor, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import type { FakeFederation } from '../support/fake-federation';
import { parseMetrics } from '../support/prometheus-text';
import { describeWithBinary } from '../support/test-tools';
import { TempDir } from '../verify/harness';

const FILE = join(REPO_ROOT, 'charts', 'wire-federation-monitoring', 'dashboards', 'wire-federation.json');
type Json = { [key: string]: any };
const dashboard = federationDashboard() as Json;
const panels = dashboard.panels as Json[];
const exprs = panels.flatMap((p) => (p.targets as Json[]).map((t) => ({ panel: p.title as string, expr: t.expr as string })));
const variables = (dashboard.templating.list as Json[]).map((v) => v.name as string);

/** The query with Grafana's variables filled in, as Prometheus receives it. */
const filled = (expr: string): string =>
  expr
    .replace(/\$job/g, 'wire-federation-exporter')
    .replace(/\$peer/g, '.*')
    .replace(/\$__rate_interval/g, '5m');
const metricsOf = (expr: string): string[] => [...new Set(expr.match(/\b(?:wire_federation|process|nodejs)_[a-z_]+\b(?=\s*[{[)]|\s*$)/g) ?? [])];

describe('the Grafana dashboard', () => {
  test('the chart ships what `npm run alerts` writes', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(dashboardJson());
  });

  test('structure: uid, unique panel ids, grid positions inside 24 columns, targets with a query, variables defined', () => {
    expect(dashboard.uid).toBe(DASHBOARD_UID);
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) {
      expect({ title: p.title, type: typeof p.type, inside: p.gridPos.x + p.gridPos.w <= 24 && p.gridPos.w > 0 && p.gridPos.h > 0 }).toEqual({
        title: p.title,
        type: 'string',
        inside: true,
      });
      expect({ title: p.title, targets: p.targets.length > 0, refIds: new Set(p.targets.map((t: Json) => t.refId)).size === p.targets.length }).toEqual({
        title: p.title,
        targets: true,
        refIds: true,
      });
      expect(p.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    const used = new Set(
      JSON.stringify(panels)
        .match(/\$(\w+)/g)
        ?.map((v) => v.slice(1))
        .filter((v) => !v.startsWith('__')),
    );
    expect([...used].filter((v) => !variables.includes(v))).toEqual([]);
  });

  test("Grafana schema: the type check covers the generator, and our enum values are Grafana's", () => {
    // ./dashboard-schema.ts is the check; it only runs while tsconfig includes it.
    const tsconfig = JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
    expect(tsconfig.include).toContain('__tests__/**/*.ts');
    expect(readFileSync(join(__dirname, 'dashboard-schema.ts'), 'utf8')).toMatch(/federationDashboard\(\) satisfies GrafanaJson<ClassicDashboard>/);
    const queries = (dashboard.templating.list as Json[]).filter((v) => v.type === 'query');
    expect(queries.map((v) => [v.refresh, v.sort])).toEqual(queries.map(() => [VariableRefresh.onTimeRangeChanged, VariableSort.alphabeticalAsc]));
  });

  test('it shows what the issue asks: per-peer status, days to expiry, round duration, deadline misses, memory', () => {
    const all = exprs.map((e) => e.expr).join('\n');
    for (const metric of [
      'wire_federation_check_ok',
      'wire_federation_certificate_not_after_timestamp_seconds',
      'wire_federation_round_duration_seconds',
      'wire_federation_round_deadline_exceeded_total',
      'process_resident_memory_bytes',
    ]) {
      expect(all).toContain(metric);
    }
  });

  describe('against a real scrape of the exporter', () => {
    let federation: FakeFederation;
    let exporter: RunningExporter;
    let served: Set<string>;
    beforeAll(async () => {
      const pki = await makeFederationPki();
      federation = await startFakeFederation(pki, [
        { domain: 'wire.beta.test', kind: 'healthy' },
        { domain: 'wire.gamma.test', kind: 'denies-federation' },
      ]);
      exporter = await startExporter(exporterOptionsFor(federation, pki, 1500, 3_600_000));
      await exporter.runRound();
      served = new Set(parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text()).samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
    }, 60_000);
    afterAll(async () => {
      await exporter?.stop();
      await federation?.close();
    });

    test('every metric a panel or variable queries is one the exporter serves', () => {
      const queried = [...exprs.map((e) => e.expr), ...(dashboard.templating.list as Json[]).map((v) => v.query?.query ?? '')].flatMap(metricsOf);
      expect(queried.length).toBeGreaterThan(8);
      expect([...new Set(queried)].filter((m) => !served.has(m))).toEqual([]);
    });
  });
});

describeWithBinary('the Grafana dashboard queries with promtool', 'promtool', (promtool) => {
  test('every query parses (each one a recording rule in promtool check rules)', () => {
    const dir = new TempDir();
    try {
      const rules = exprs.map((e, i) => ({ record: `dashboard:query_${i}`, expr: filled(e.expr) }));
      const file = dir.file('dashboard-queries.yaml', stringify({ groups: [{ name: 'dashboard', rules }] }));
      const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8', timeout: 30_000 });
      expect({ code: r.status, out: r.stdout + r.stderr }).toEqual({ code: 0, out: expect.stringContaining(`SUCCESS: ${rules.length} rules found`) });
      // The check can fail: a broken query is refused.
      const broken = dir.file('broken.yaml', stringify({ groups: [{ name: 'x', rules: [{ record: 'x:y', expr: 'sum(' }] }] }));
      expect(spawnSync(promtool, ['check', 'rules', broken], { encoding: 'utf8', timeout: 30_000 }).status).not.toBe(0);
    } finally {
      dir.cleanup();
    }
  });
});
