import type { Values } from '../../core/values';

/** Plain Helm values: nested maps (leaves may be Terraform tokens for apply-time content): lib/core/values.ts. */
export type { Values };

/** A Helm value that must never be shown: it goes to `set_sensitive`, not to `values`. */
export interface SensitiveValue {
  /** Dotted Helm path, e.g. `secrets.tlsWildcardKey`. */
  readonly path: string;
  /** The value (normally a Terraform token of a sensitive variable or resource attribute). */
  readonly value: string;
}

/** Values for one release: reviewable values plus sensitive entries. */
export interface ReleaseValues {
  readonly values: Values;
  readonly sensitive: readonly SensitiveValue[];
}
