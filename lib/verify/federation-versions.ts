/**
 * Federation API versions: which ones a wire-server release speaks, and how two lists meet.
 *
 * Backends negotiate a federation API version before every conversation between them: the
 * caller's federator asks the other side's brig (`POST /federation/brig/api-version`, answered
 * `{"supported_versions": [...]}`) and uses the highest version both support. Without a common
 * version the caller refuses to talk ("remote too old" / "remote too new"). An answer without
 * `supported_versions` comes from a backend that predates versioning and speaks version 0 only.
 *
 * Versions per wire-server chart release (from wire-server's changelog and its
 * `Wire.API.Federation.Version`):
 * - before 4.40.0: no negotiation, version 0 only;
 * - 4.40.0: versions 0 and 1 (federation API versioning, #3762);
 * - 5.6.0: adds version 2 (#4224);
 * - 5.15.0: adds version 3 (version 2 finalized, #4546); unchanged up to the 5.3x releases.
 */

/** A chart release and the federation API versions it supports from then on. */
interface VersionStep {
  readonly since: readonly [number, number, number];
  readonly versions: readonly number[];
}

const STEPS: readonly VersionStep[] = [
  { since: [5, 15, 0], versions: [0, 1, 2, 3] },
  { since: [5, 6, 0], versions: [0, 1, 2] },
  { since: [4, 40, 0], versions: [0, 1] },
  { since: [0, 0, 0], versions: [0] },
];

function parseSemver(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function atLeast(v: readonly number[], since: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== since[i]) return v[i] > since[i];
  return true;
}

/**
 * The federation API versions wire-server `chartVersion` supports (ascending). Pre-release
 * labels count as their release (5.30.0-develop… → 5.30.0).
 * @returns undefined when `chartVersion` is not a version number
 */
export function federationVersionsOfChart(chartVersion: string): number[] | undefined {
  const v = parseSemver(chartVersion);
  if (!v) return undefined;
  return [...STEPS.find((s) => atLeast(v, s.since))!.versions];
}

/** The first chart release that supports `version`, e.g. `5.15.0` for 3; undefined when none is known. */
export function firstChartWith(version: number): string | undefined {
  const step = [...STEPS].reverse().find((s) => s.versions.includes(version));
  return step && step.since[0] > 0 ? step.since.join('.') : undefined;
}

/**
 * Parses a list such as `0,1,2,3` (order and duplicates do not matter).
 * @returns the sorted versions, or a reason when invalid
 */
export function parseVersionList(text: string): { versions: number[] } | { error: string } {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d{1,3}$/.test(p))) return { error: 'must be a comma-separated list of federation API version numbers such as 0,1,2,3' };
  return { versions: [...new Set(parts.map(Number))].sort((a, b) => a - b) };
}

/** How two version lists meet, from the caller's side. */
export type VersionOverlap =
  | { readonly kind: 'common'; readonly common: readonly number[]; readonly highest: number }
  /** No common version; `older` is the side whose newest version is lower (it must upgrade). */
  | { readonly kind: 'none'; readonly older: 'ours' | 'theirs' };

/** Common versions of `ours` and `theirs`, as the federator computes them. */
export function versionOverlap(ours: readonly number[], theirs: readonly number[]): VersionOverlap {
  const common = ours.filter((v) => theirs.includes(v)).sort((a, b) => a - b);
  if (common.length > 0) return { kind: 'common', common, highest: common[common.length - 1] };
  // The federator's rule: remote too old when our newest version is above theirs.
  return { kind: 'none', older: Math.max(-1, ...ours) > Math.max(-1, ...theirs) ? 'theirs' : 'ours' };
}

/** `0, 1, 2` or `none`. */
export const formatVersions = (versions: readonly number[]): string => (versions.length === 0 ? 'none' : versions.join(', '));
