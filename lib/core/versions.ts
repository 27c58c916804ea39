/**
 * Versions as `x.y.z` (chart versions, Envoy Gateway and cert-manager versions with a `v`):
 * the ONE comparison every rule and check uses. Pure; imports nothing of ours.
 */

/** The numbers of `x.y.z`: a leading `v` allowed, pre-release and build suffixes ignored. */
function versionNumbers(version: string): number[] {
  return version.replace(/^v/, '').split(/[-+]/)[0].split('.').map(Number);
}

/**
 * Compares two `x.y.z` versions: negative when `a` is older, 0 when the same, positive when newer.
 * A leading `v` (`v1.19.1`) is allowed; pre-release and build suffixes are ignored; a missing part
 * counts as 0.
 */
export function compareVersions(a: string, b: string): number {
  const pa = versionNumbers(a);
  const pb = versionNumbers(b);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
