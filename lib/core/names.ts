/**
 * DNS names as federation uses them. Plain functions, imports nothing of ours: shared by the
 * config, the constructs and the verifier (the ground floor).
 */

/** Service label of the federation SRV record. */
export const FEDERATOR_SRV_PREFIX = '_wire-server-federator._tcp';

/** Removes one trailing dot: names are compared and emitted without it. */
export function stripTrailingDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Name without trailing dot, lowercase: how DNS names are compared. */
export function normalizeDnsName(name: string): string {
  return stripTrailingDot(name).toLowerCase();
}

/** The SRV name peers look up for `backendDomain`: `_wire-server-federator._tcp.<domain>`. */
export function federatorSrvName(backendDomain: string): string {
  return `${FEDERATOR_SRV_PREFIX}.${stripTrailingDot(backendDomain)}`;
}

/** The name with exactly one trailing dot: the fully qualified form some providers want. */
export function withTrailingDot(name: string): string {
  return `${stripTrailingDot(name)}.`;
}

/**
 * `name` relative to `zone` (both compared without trailing dot, case-insensitively): `''` for the
 * zone apex, undefined when the name is not inside the zone.
 */
export function relativeDnsName(name: string, zone: string): string | undefined {
  const n = normalizeDnsName(name);
  const z = normalizeDnsName(zone);
  if (n === z) return '';
  return n.endsWith(`.${z}`) ? n.slice(0, -(z.length + 1)) : undefined;
}
