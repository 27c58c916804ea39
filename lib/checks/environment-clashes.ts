import type { WireFederationConfig } from '../config';

/** Two environments with the same name or the same backend domain. */
export interface EnvironmentClash {
  readonly key: 'environment' | 'backendDomain';
  readonly value: string;
  readonly first: WireFederationConfig;
  readonly second: WireFederationConfig;
}

/**
 * Every environment that repeats an earlier one's name (it names the stack) or backend domain
 * (every backend needs its own). Pure; callers word the finding for their context.
 */
export function environmentClashes(configs: readonly WireFederationConfig[]): EnvironmentClash[] {
  const clashes: EnvironmentClash[] = [];
  for (const key of ['environment', 'backendDomain'] as const) {
    const seen = new Map<string, WireFederationConfig>();
    for (const c of configs) {
      const first = seen.get(c[key]);
      if (first !== undefined) clashes.push({ key, value: c[key], first, second: c });
      else seen.set(c[key], c);
    }
  }
  return clashes;
}
