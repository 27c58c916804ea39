import type { FederationRule, Finding } from '../finding';
import { valueAt } from '../model';

/** Chart keys that no longer do anything, with what replaced them. */
export const REMOVED_CHART_KEYS: ReadonlyArray<{ readonly chart: 'wireServer' | 'nginxIngressServices'; readonly path: string; readonly instead: string }> = [
  {
    chart: 'wireServer',
    path: 'federator.config.optSettings.federationStrategy',
    instead:
      "removed from the wire-server chart in 4.36.0 and silently ignored: the federation strategy is brig's brig.config.optSettings.setFederationStrategy (this project sets it from federation.strategy), and the allowed remotes are brig's (peers, remotes.mode)",
  },
  {
    chart: 'wireServer',
    path: 'brig.config.optSettings.setFederationDomainConfigsUpdateFreq',
    instead: 'unused by brig (it always refreshes its remote list on its own): remove it; the remotes come from peers (remotes.mode)',
  },
  {
    chart: 'wireServer',
    path: 'tags.federator',
    instead: 'the old name of tags.federation, which this project sets: remove tags.federator',
  },
];

/**
 * A values file that still sets a removed chart key (the federation docs still show some of them):
 * the chart ignores it, so whatever the operator meant does not happen.
 */
export const removedChartKey: FederationRule = {
  id: 'removed-chart-key',
  description:
    'values files set no key the chart no longer reads (`federator.config.optSettings.federationStrategy`, `setFederationDomainConfigsUpdateFreq`, `tags.federator`); the warning names what replaced it',
  level: 'warning',
  configOnly: true,
  check: ({ config }) => {
    const findings: Finding[] = [];
    for (const key of REMOVED_CHART_KEYS) {
      for (const doc of config.charts[key.chart]?.valuesDocuments ?? []) {
        const value = valueAt(doc.values, key.path);
        if (value === undefined) continue;
        findings.push({
          level: 'warning',
          rule: 'removed-chart-key',
          path: doc.path,
          message: `values file ${doc.file} sets ${key.path} (received ${JSON.stringify(value)}): ${key.instead}.`,
        });
      }
    }
    return findings;
  },
};
