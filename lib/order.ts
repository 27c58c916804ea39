/** Code-unit order, independent of the locale (the same on every machine): for stable output. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
