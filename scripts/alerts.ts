/**
 * `npm run alerts`: writes monitoring/alerts.yaml, the packaged Prometheus rule file of the
 * federation exporter, from lib/monitoring/alert-rules.ts (a test checks it is up to date).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alertRulesYaml } from '../lib/monitoring/alert-rules';

const file = resolve(__dirname, '..', 'monitoring', 'alerts.yaml');
writeFileSync(file, alertRulesYaml());
process.stdout.write(`wrote ${file}\n`);
