import type { FederationModel } from './model';

/** One result of a rule. */
export interface Finding {
  readonly level: 'error' | 'warning';
  /** The rule's id, e.g. `proxied-federation-record`. */
  readonly rule: string;
  /** What is wrong, where, and how to fix it. */
  readonly message: string;
}

/** A federation rule: a small pure function over the model. */
export interface FederationRule {
  readonly id: string;
  /** One line: what the rule protects against. */
  readonly description: string;
  /**
   * Whether the rule needs only the config (then `wire-federation validate` runs it too). Rules
   * that read resources report errors only: their warnings would surface during validation,
   * where cdktf no longer prints annotations.
   */
  readonly configOnly: boolean;
  readonly check: (model: FederationModel) => Finding[];
}
