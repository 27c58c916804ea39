import { Annotations } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import type { WireFederationConfig } from '../config/parse';
import { buildModel } from './model';
import { runConfigRules, runRules } from './pack';

/**
 * Runs the federation rules on a construct. Warnings come from the config rules and are
 * annotated once, now (annotations added during validation would not be printed); errors are
 * returned from the validation, so synth stops and lists every one of them.
 */
export class FederationChecks implements IValidation {
  constructor(
    private readonly scope: IConstruct,
    private readonly config: WireFederationConfig,
  ) {
    for (const f of runConfigRules({ config }).filter((x) => x.level === 'warning')) {
      Annotations.of(scope).addWarning(`[${f.rule}] ${f.message}`);
    }
  }

  /** Re-reads the tree (escape hatches applied after construction count) and returns errors. */
  public validate(): string[] {
    return runRules(buildModel(this.scope, this.config))
      .filter((f) => f.level === 'error')
      .map((f) => `[${f.rule}] ${f.message}`);
  }
}
