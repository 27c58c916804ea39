import type { CatalogueEntry } from '../core/catalogue';
import type { FederationModel } from './model';

/**
 * One result of a check: the one finding type of every entry point (synth, `validate`, `lock`,
 * the library). Every check of the validation pipeline (`lib/validation/pipeline.ts`) returns
 * these. `Rule` narrows the id to one catalogue's ids where one catalogue's checks make it.
 */
export interface Finding<Rule extends string = string> {
  readonly level: 'error' | 'warning';
  /**
   * The check's stable id, e.g. `proxied-federation-record` or `schema`: an id of the catalogue
   * of the check that made it (`Finding<PairRuleId>` for the pair rules, …).
   */
  readonly rule: Rule;
  /**
   * Where: the config path (`peers[2].domain`, `charts.wireServer.valuesFiles[0]`), or the
   * construct path for a resource without a config field; `''` for the whole config.
   * @default - the pipeline takes a leading `path: ` off the message, else `''`
   */
  readonly path?: string;
  /** What is wrong, the value received, and how to fix it. */
  readonly message: string;
  /**
   * The environment the finding belongs to, when several are checked together.
   * @default - the one environment being checked
   */
  readonly environment?: string;
}

/**
 * A federation rule: a small pure function over the model, with its catalogue entry (the one
 * shape of lib/core/catalogue.ts: level, description, fix) next to it.
 */
export interface FederationRule extends Omit<CatalogueEntry, 'level'> {
  readonly id: string;
  /** One line: what the rule protects against. */
  readonly description: string;
  /**
   * The level of the rule's findings (docs/reference/checks.md).
   * @default 'error'
   */
  readonly level?: 'error' | 'warning';
  /**
   * Whether the rule needs only the config (no resources). The validation pipeline runs every
   * rule; config-only rules also run where no construct tree exists.
   */
  readonly configOnly: boolean;
  readonly check: (model: FederationModel) => Finding[];
}
