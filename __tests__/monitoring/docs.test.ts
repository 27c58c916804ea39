/**
 * docs/monitoring.md stays true: the /metrics excerpt parses and names only metrics the exporter
 * serves, the metrics table lists every one of them, the alerts table lists exactly the rules of
 * the rule file, and its relative links resolve.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { federationAlertRules } from '../../lib/monitoring/alert-rules';
import { METRIC_NAMES } from '../../lib/verify/serve';
import { REPO_ROOT } from '../support/config';
import { parseMetrics } from '../support/prometheus-text';

const PAGE = join(REPO_ROOT, 'docs', 'monitoring.md');
const text = readFileSync(PAGE, 'utf8');
const section = (title: string): string => text.slice(text.indexOf(`## ${title}`), text.indexOf('\n## ', text.indexOf(`## ${title}`) + 3));

describe('docs/monitoring.md', () => {
  test('the /metrics excerpt parses and names only metrics the exporter serves', () => {
    const excerpt = /```text\n([\s\S]*?)```/.exec(section('Metrics'))![1];
    const parsed = parseMetrics(excerpt);
    const names = new Set(parsed.samples.map((s) => s.name));
    expect(names.size).toBeGreaterThan(5);
    const known = new Set<string>(Object.values(METRIC_NAMES));
    expect([...names].filter((n) => !known.has(n))).toEqual([]);
  });

  test('the metrics table lists every metric of the exporter', () => {
    const listed = [...section('Metrics').matchAll(/^\| `(wire_federation_[a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(METRIC_NAMES).sort());
  });

  test('the alerts table lists exactly the rules of the rule file, with their severity', () => {
    const rows = [...section('Alerts').matchAll(/^\| `(WireFederation[A-Za-z]+)` \| (warning|critical) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(federationAlertRules()[0].rules.map((r) => [r.alert, r.labels.severity]));
  });

  test('relative links resolve', () => {
    const links = [...text.matchAll(/\]\((?!https?:)([^)#]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(join(dirname(PAGE), l)))).toEqual([]);
  });
});
