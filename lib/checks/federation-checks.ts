import { Annotations } from 'cdktf';
import type { IConstruct, IValidation } from 'constructs';
import type { WireFederationConfig } from '../config/parse';
import { buildModel } from './model';
import { runRules } from './pack';

/** The marker of a federation rule error inside cdktf's "Validation failed" text. */
export const RULE_ERROR = /^\[([a-z0-9-]+)\] (?:([A-Za-z0-9_.[\]/-]+): )?(.*)$/;

export interface FederationChecksOptions {
  /**
   * Annotate the rules' warnings now (annotations added during validation are not printed).
   * @default true
   */
  readonly annotateWarnings?: boolean;
}

/**
 * Runs the federation rules on a construct: the safety net behind the validation pipeline
 * (`lib/validation/pipeline.ts`), which runs the same rules before anything is synthesized. It
 * catches what changes the tree after the pipeline ran (escape-hatch overrides). Errors are
 * returned as `[rule] path: message`, which synth reports in the pipeline's format.
 */
export class FederationChecks implements IValidation {
  constructor(
    private readonly scope: IConstruct,
    private readonly config: WireFederationConfig,
    options: FederationChecksOptions = {},
  ) {
    if (options.annotateWarnings ?? true) {
      for (const f of runRules(buildModel(scope, config)).filter((x) => x.level === 'warning')) {
        Annotations.of(scope).addWarning(`[${f.rule}] ${f.path ? `${f.path}: ` : ''}${f.message}`);
      }
    }
  }

  /** Re-reads the tree (escape hatches applied after construction count) and returns errors. */
  public validate(): string[] {
    return runRules(buildModel(this.scope, this.config))
      .filter((f) => f.level === 'error')
      .map((f) => `[${f.rule}] ${f.path ? `${f.path}: ` : ''}${f.message}`);
  }
}
