/**
 * `npm run alerts`: writes monitoring/alerts.yaml, the packaged Prometheus rule file of the
 * federation exporter, and monitoring/alertmanager-inhibit.yaml, its Alertmanager inhibition
 * rules, from lib/monitoring/alert-rules.ts, and the Grafana dashboard of the monitoring chart
 * from lib/monitoring/dashboard.ts (tests check all three are up to date).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alertRulesYaml, alertmanagerInhibitYaml } from '../lib/monitoring/alert-rules';
import { dashboardJson } from '../lib/monitoring/dashboard';

for (const [name, text] of [
  ['monitoring/alerts.yaml', alertRulesYaml()],
  ['monitoring/alertmanager-inhibit.yaml', alertmanagerInhibitYaml()],
  ['charts/wire-federation-monitoring/dashboards/wire-federation.json', dashboardJson()],
] as const) {
  const file = resolve(__dirname, '..', name);
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
