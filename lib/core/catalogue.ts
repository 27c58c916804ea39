/**
 * The one shape of every catalogue of ids: validation rules, render, adopt and preflight checks,
 * and the checks of `verify`. Each entry says its level, when it passes or what it finds, and the
 * usual fix; docs/reference/checks.md is generated from the catalogues.
 *
 * Imports nothing of ours (ground floor).
 */

/** The level of a catalogue entry's findings. */
export type CatalogueLevel = 'error' | 'warning' | 'error or warning' | 'info';

/** What one rule or check id means. */
export interface CatalogueEntry {
  /** The level of its findings. */
  readonly level: CatalogueLevel;
  /** One line: when the check passes, or what the rule finds. */
  readonly description: string;
  /**
   * The usual fix when it fails.
   * @default - the finding's message says it
   */
  readonly fix?: string;
}

/** A catalogue: ids to their entries, in the order they are documented. */
export type Catalogue<Id extends string = string> = { readonly [K in Id]: CatalogueEntry };

/**
 * Declares a catalogue and keeps its literal ids (so a finding's id can be typed as
 * `keyof typeof CATALOGUE`), checking every entry against {@link CatalogueEntry}.
 */
export function defineCatalogue<const T extends Record<string, CatalogueEntry>>(entries: T): T {
  return entries;
}

/** The ids and entries of a catalogue as a list, in declaration order. */
export function catalogueEntries<T extends Record<string, CatalogueEntry>>(c: T): Array<{ id: keyof T & string } & CatalogueEntry> {
  return Object.entries(c).map(([id, e]) => ({ id, ...e }));
}
