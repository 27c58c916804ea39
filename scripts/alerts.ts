/**
 * `npm run alerts`: writes monitoring/alerts.yaml, the packaged Prometheus rule file of the
 * federation exporter, and monitoring/alertmanager-inhibit.yaml, its Alertmanager inhibition
 * rules, from lib/monitoring/alert-rules.ts (a test checks both are up to date).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alertRulesYaml, alertmanagerInhibitYaml } from '../lib/monitoring/alert-rules';

for (const [name, text] of [['alerts.yaml', alertRulesYaml()], ['alertmanager-inhibit.yaml', alertmanagerInhibitYaml()]] as const) {
  const file = resolve(__dirname, '..', 'monitoring', name);
  writeFileSync(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
