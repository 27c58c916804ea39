import { Token } from 'cdktf';
import type { FederationRule, Finding } from '../finding';
import { findConflicts } from '../../core/values';
import { releaseSettings } from '../model';

/**
 * A value set by a values file AND by the federation config: the federation value wins, so the
 * file's value is dead (or the operator expects something else). A warning naming the file.
 */
export const valuesConflict: FederationRule = {
  id: 'values-conflict',
  description: 'values files do not set federation values to something else (the federation value wins)',
  level: 'warning',
  configOnly: false,
  check: ({ config, releases }) => {
    const findings: Finding[] = [];
    for (const release of releases) {
      if (release.federationValues === undefined) continue;
      const found = releaseSettings(config, release.attributes.name);
      if (found === undefined) continue;
      for (const doc of found.settings.valuesDocuments) {
        for (const c of findConflicts(doc.values, release.federationValues)) {
          const ours =
            Token.isUnresolved(c.federationValue) || (typeof c.federationValue === 'string' && c.federationValue.includes('${'))
              ? '(apply-time value)'
              : JSON.stringify(c.federationValue);
          findings.push({
            level: 'warning',
            rule: 'values-conflict',
            path: doc.path,
            message: `values file ${doc.file} sets ${release.chart} value ${c.path} to ${JSON.stringify(c.operatorValue)}, but the federation config sets it to ${ours}; the federation value wins. Remove ${c.path} from ${doc.file}.`,
          });
        }
      }
    }
    return findings;
  },
};
