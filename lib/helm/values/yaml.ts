/**
 * Rendering values to YAML and reading them back. Rendered documents are remembered, so
 * reading a document this process rendered (the federation rules do, on every synth) costs a
 * lookup instead of a YAML parse; any other text (e.g. changed by an escape hatch) is parsed.
 */
import { parse, stringify } from 'yaml';
import { sortKeys } from '../../core/values';
import type { Values } from './types';

const rendered = new Map<string, Values>();

/** YAML of `values` with keys sorted (stable output), remembered for {@link readValues}. */
export function renderValues(values: Values): string {
  const sorted = sortKeys(values);
  // No anchors/aliases for repeated objects: plainer for review, and ~30% faster to render.
  const text = stringify(sorted, { lineWidth: 0, aliasDuplicateObjects: false });
  rendered.set(text, sorted);
  return text;
}

/** The values of a YAML document (`{}` for an empty one). Do not modify the result. */
export function readValues(text: string): Values {
  let values = rendered.get(text);
  if (values === undefined) {
    values = (parse(text) as Values | null) ?? {};
    rendered.set(text, values);
  }
  return values;
}
