/**
 * docs/reference/config.md from the zod schema (lib/config/schema/, one file per section).
 *
 * Types, defaults and allowed values come from walking the runtime schema; the documentation of
 * each field comes from the JSDoc comment on its property inside the zod object literal, read
 * with the TypeScript compiler API. Both walks go the same way (`def.innerType`, `def.shape`,
 * `def.options`, `def.element`, `def.in`), so a field added to the schema in the same style shows
 * up without a change here.
 */
import * as ts from 'typescript';
import { z } from 'zod';
import { wireFederationConfigSchema } from '../../lib/config/schema';
import { normalizeDnsName } from '../../lib/core/names';
import { cell, generatedNotice } from './markdown';

const SCHEMA_FILE = 'lib/config/schema/index.ts';
const SCHEMA_EXPORT = 'wireFederationConfigSchema';

/** The documentation of one property: its comment and its tags. */
interface Doc {
  readonly text: string;
  readonly defaultTag?: string;
  readonly deprecated?: string;
}

/** One row of the reference. */
export interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
  readonly conditions: string[];
}

/** Runtime schema node, as zod 4 exposes it. */
interface Node {
  readonly def: {
    readonly type: string;
    readonly innerType?: Node;
    readonly shape?: Record<string, Node>;
    readonly options?: readonly Node[];
    readonly element?: Node;
    readonly in?: Node;
    readonly out?: Node;
    readonly transform?: unknown;
    readonly entries?: Record<string, string>;
    readonly values?: readonly unknown[];
    readonly discriminator?: string;
    readonly defaultValue?: unknown;
    readonly format?: string;
  };
  readonly description?: string;
}

/** The TypeScript side of the walk: the static type of the same schema node. */
class TypeSide {
  private readonly checker: ts.TypeChecker;
  readonly root: ts.Type;

  constructor(root: string) {
    const file = `${root}/${SCHEMA_FILE}`;
    const program = ts.createProgram([file], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    });
    this.checker = program.getTypeChecker();
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`cannot read ${SCHEMA_FILE}`);
    const exported = this.checker.getSymbolAtLocation(source);
    const symbol = exported && this.checker.getExportsOfModule(exported).find((s) => s.name === SCHEMA_EXPORT);
    if (symbol === undefined) throw new Error(`${SCHEMA_FILE} exports no ${SCHEMA_EXPORT}`);
    this.root = this.checker.getTypeOfSymbol(symbol);
  }

  /** `type.def.<name>` */
  defProperty(type: ts.Type | undefined, name: string): ts.Type | undefined {
    const def = type && this.property(type, 'def');
    return def && this.property(def, name);
  }

  /** The type of property `key` of a shape type. */
  field(shape: ts.Type | undefined, key: string): ts.Type | undefined {
    return shape && this.property(shape, key);
  }

  private property(type: ts.Type, name: string): ts.Type | undefined {
    const symbol = type.getProperty(name);
    return symbol && this.checker.getTypeOfSymbol(symbol);
  }

  /** Element `i` of a tuple type (`def.options`). */
  element(type: ts.Type | undefined, i: number): ts.Type | undefined {
    if (type === undefined || !(type.flags & ts.TypeFlags.Object) || !((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference)) return undefined;
    return this.checker.getTypeArguments(type as ts.TypeReference)[i];
  }

  /** The JSDoc of property `key` of the shape type. */
  doc(shape: ts.Type | undefined, key: string): Doc {
    const symbol = shape?.getProperty(key);
    if (symbol === undefined) return { text: '' };
    const text = ts.displayPartsToString(symbol.getDocumentationComment(this.checker));
    const tags = symbol.getJsDocTags(this.checker);
    const tag = (name: string): string | undefined => {
      const found = tags.find((t) => t.name === name);
      return found === undefined ? undefined : ts.displayPartsToString(found.text ?? []).trim();
    };
    return { text, defaultTag: tag('default'), deprecated: tag('deprecated') };
  }
}

const json = (v: unknown): string => `\`${JSON.stringify(v)}\``;

/** What TSDoc's `@default` says: `- prose` or a value. */
function defaultFromTag(tag: string): string {
  if (tag.startsWith('- ')) return tag.slice(2);
  if (tag.startsWith('-')) return tag.slice(1).trim();
  return `\`${tag}\``;
}

/** JSON Schema facts of a leaf (range, format), when zod can express them. */
function leafFacts(node: Node): { type?: string; minimum?: number; maximum?: number; format?: string; minItems?: number; maxItems?: number } {
  try {
    return z.toJSONSchema(node as unknown as z.ZodType, { io: 'input', unrepresentable: 'any' }) as never;
  } catch {
    return {};
  }
}

const FORMATS: Readonly<Record<string, string>> = { uuid: 'UUID', url: 'URL', uri: 'URL', email: 'email address', ipv4: 'IPv4 address', ipv6: 'IPv6 address' };

/** A short type name of a leaf or container node (wrappers already removed). */
function typeName(node: Node, dnsName = false): string {
  const d = node.def;
  switch (d.type) {
    case 'string': {
      if (dnsName) return 'DNS name';
      const facts = leafFacts(node);
      if (facts.format !== undefined && facts.format !== 'regex') return FORMATS[facts.format] ?? `string (${facts.format})`;
      const pattern = patternMessages(node);
      return pattern.length > 0 ? `string: ${pattern.join('; ')}` : 'string';
    }
    case 'number': {
      const facts = leafFacts(node);
      const base = facts.type === 'integer' ? 'integer' : 'number';
      if (facts.minimum !== undefined && facts.minimum <= Number.MIN_SAFE_INTEGER) return base;
      if (facts.minimum !== undefined && facts.maximum !== undefined) return `${base}, ${facts.minimum} to ${facts.maximum}`;
      if (facts.minimum !== undefined) return `${base}, at least ${facts.minimum}`;
      if ((facts as { exclusiveMinimum?: number }).exclusiveMinimum === 0) return `${base}, positive`;
      return base;
    }
    case 'boolean':
      return 'boolean';
    case 'enum':
      return Object.values(d.entries ?? {})
        .map((v) => json(v))
        .join(' | ');
    case 'literal':
      return (d.values ?? []).map((v) => json(v)).join(' | ');
    case 'object':
      return 'object';
    case 'array': {
      const facts = leafFacts(node);
      const { core: element, dnsName: elementIsDnsName } = unwrap(d.element as Node);
      const inner =
        element.def.type === 'object'
          ? 'objects'
          : element.def.type === 'union'
            ? (element.def.options ?? []).map((o) => variantName(o)).join(' or ')
            : typeName(element, elementIsDnsName);
      const size = facts.maxItems !== undefined ? ` (at most ${facts.maxItems})` : facts.minItems !== undefined ? ` (at least ${facts.minItems})` : '';
      const plural: Readonly<Record<string, string>> = { string: 'strings', 'DNS name': 'DNS names', UUID: 'UUIDs', URL: 'URLs', boolean: 'booleans' };
      return `list of ${plural[inner] ?? inner}${size}`;
    }
    case 'union':
      return d.discriminator !== undefined ? `object, by \`${d.discriminator}\`` : (d.options ?? []).map((o) => variantName(o)).join(' or ');
    default:
      return d.type;
  }
}

/**
 * What the schema's own messages say a string pattern allows ("must be a Kubernetes namespace
 * name (…)" → "a Kubernetes namespace name (…)"): regex checks only.
 */
function patternMessages(node: Node): string[] {
  const checks = (node.def as { checks?: ReadonlyArray<{ _zod: { def: { format?: string; error?: (issue: object) => unknown } } }> }).checks ?? [];
  const out: string[] = [];
  for (const check of checks) {
    const { format, error } = check._zod.def;
    if (format !== 'regex' || error === undefined) continue;
    let message: unknown;
    try {
      message = error({});
    } catch {
      continue;
    }
    if (typeof message === 'string') out.push(message.replace(/^must (be )?/, ''));
  }
  return out;
}

/** `{file}` for an object option of a union, else its type. */
function variantName(option: Node): string {
  const core = unwrap(option).core;
  if (core.def.type === 'object') return `\`{${Object.keys(core.def.shape ?? {}).join(', ')}}\``;
  return typeName(core);
}

/** Takes off optional/default/pipe wrappers; says whether the field is optional and its default. */
function unwrap(
  node: Node,
  type?: ts.Type,
  side?: TypeSide,
): { core: Node; coreType?: ts.Type; optional: boolean; hasDefault: boolean; defaultValue?: unknown; dnsName: boolean } {
  let optional = false;
  let dnsName = false;
  let hasDefault = false;
  let defaultValue: unknown;
  let current = node;
  let currentType = type;
  for (;;) {
    const d = current.def;
    if (d.type === 'optional' || d.type === 'nullable') {
      optional = true;
    } else if (d.type === 'default' || d.type === 'prefault') {
      if (!hasDefault) {
        hasDefault = true;
        defaultValue = d.defaultValue;
      }
    } else if (d.type === 'pipe') {
      // A string normalized as a DNS name (lib/config/schema/fields.ts `domain`, `sanName`).
      if (d.out?.def.transform === normalizeDnsName) dnsName = true;
      current = d.in as Node;
      currentType = side?.defProperty(currentType, 'in');
      continue;
    } else {
      return { core: current, coreType: currentType, optional, hasDefault, defaultValue, dnsName };
    }
    current = d.innerType as Node;
    currentType = side?.defProperty(currentType, 'innerType');
  }
}

/** Walks the schema; rows in schema order. */
function collect(side: TypeSide): FieldRow[] {
  const rows: FieldRow[] = [];
  /** How many forms each discriminated union has (a field of every form needs no condition). */
  const optionCount = new Map<string, number>();
  const visit = (node: Node, type: ts.Type | undefined, path: string, doc: Doc, conditions: readonly string[]): void => {
    const { core, coreType, optional, hasDefault, defaultValue, dnsName } = unwrap(node, type, side);
    if (core.def.type === 'union' && core.def.discriminator !== undefined) optionCount.set(`${path}.${core.def.discriminator}`, core.def.options?.length ?? 0);
    const isContainer = core.def.type === 'object' || (core.def.type === 'union' && core.def.discriminator !== undefined);
    let shown: string;
    if (doc.defaultTag !== undefined) shown = defaultFromTag(doc.defaultTag);
    else if (hasDefault && !isContainer) shown = json(defaultValue);
    else if (hasDefault || optional) shown = isContainer ? 'see its fields' : 'unset';
    else shown = 'required';
    const description = [
      doc.deprecated !== undefined ? `**Deprecated.** ${doc.deprecated}` : '',
      doc.text || (doc.deprecated === undefined ? (node.description ?? core.description ?? '') : ''),
    ]
      .filter((s) => s !== '')
      .join(' ');
    if (path !== '' && !path.endsWith('[]')) rows.push({ path, type: typeName(core, dnsName), defaultValue: shown, description, conditions: [...conditions] });

    const d = core.def;
    if (d.type === 'object') {
      const shapeType = side.defProperty(coreType, 'shape');
      for (const [key, child] of Object.entries(d.shape ?? {}))
        visit(child, propertyType(side, shapeType, key), path === '' ? key : `${path}.${key}`, side.doc(shapeType, key), conditions);
    } else if (d.type === 'array') {
      visit(d.element as Node, side.defProperty(coreType, 'element'), `${path}[]`, { text: '' }, conditions);
    } else if (d.type === 'union') {
      const optionsType = side.defProperty(coreType, 'options');
      (d.options ?? []).forEach((option, i) => {
        const optionType = side.element(optionsType, i);
        const o = unwrap(option, optionType, side);
        if (o.core.def.type !== 'object') return;
        const shape = o.core.def.shape ?? {};
        const shapeType = side.defProperty(o.coreType, 'shape');
        let optionConditions = conditions;
        if (d.discriminator !== undefined) {
          const tag = unwrap(shape[d.discriminator]).core.def.values ?? [];
          optionConditions = [...conditions, `\`${path}.${d.discriminator}: ${tag.map(String).join(' | ')}\``];
        }
        for (const [key, child] of Object.entries(shape)) {
          if (key === d.discriminator) continue;
          visit(child, propertyType(side, shapeType, key), `${path}.${key}`, side.doc(shapeType, key), optionConditions);
        }
      });
      if (d.discriminator !== undefined) rows.splice(rows.findIndex((r) => r.path === path) + 1, 0, discriminatorRow(core, path, defaultValue));
    }
  };
  visit(wireFederationConfigSchema, side.root, '', { text: '' }, []);
  return merge(rows).map((row) => {
    const keys = new Set(row.conditions.map((c) => /^`([^:]+):/.exec(c)?.[1]));
    const [key] = [...keys];
    return keys.size === 1 && key !== undefined && row.conditions.length === optionCount.get(key) ? { ...row, conditions: [] } : row;
  });
}

/** The row of a discriminator (`dns.provider`, `pki.mode`): its values over all options. */
function discriminatorRow(union: Node, path: string, unionDefault: unknown): FieldRow {
  const key = union.def.discriminator as string;
  const values: unknown[] = [];
  let defaultValue: unknown = (unionDefault as Record<string, unknown> | undefined)?.[key];
  for (const option of union.def.options ?? []) {
    const field = unwrap(option).core.def.shape?.[key];
    if (field === undefined) continue;
    const f = unwrap(field);
    values.push(...(f.core.def.values ?? []));
    if (f.hasDefault && defaultValue === undefined) defaultValue = f.defaultValue;
  }
  return {
    path: `${path}.${key}`,
    type: values.map((v) => json(v)).join(' | '),
    defaultValue: defaultValue === undefined ? 'required' : json(defaultValue),
    description: `Selects the form of \`${path}\`: the fields below that name a \`${key}\` apply to that one only.`,
    conditions: [],
  };
}

function propertyType(side: TypeSide, shape: ts.Type | undefined, key: string): ts.Type | undefined {
  return side.field(shape, key);
}

/** Rows equal but for their condition (a field every option has) become one. */
function merge(rows: readonly FieldRow[]): FieldRow[] {
  const out: FieldRow[] = [];
  for (const row of rows) {
    const same = out.find((r) => r.path === row.path && r.type === row.type && r.defaultValue === row.defaultValue && r.description === row.description);
    if (same === undefined) out.push({ ...row, conditions: [...row.conditions] });
    else if (same.conditions.length > 0 && row.conditions.length > 0) same.conditions.push(...row.conditions.filter((c) => !same.conditions.includes(c)));
    else same.conditions.length = 0;
  }
  return out;
}

/** `provider: a`, `provider: b` → `provider: a, b` (same key). */
function describeConditions(conditions: readonly string[]): string {
  if (conditions.length === 0) return '';
  const parsed = conditions.map((c) => /^`([^:]+): (.*)`$/.exec(c));
  if (parsed.every((p) => p !== null && p[1] === parsed[0]?.[1]))
    return `*only with \`${parsed[0]?.[1]}\`: ${parsed.map((p) => `\`${p?.[2]}\``).join(', ')}.* `;
  return `*only with ${conditions.join(' and ')}.* `;
}

/** The whole page. */
export function configReference(root: string): string {
  const rows = collect(new TypeSide(root));
  const sections = new Map<string, FieldRow[]>();
  for (const row of rows) {
    const top = row.path.split(/[.[]/)[0];
    const hasChildren = rows.some((r) => r.path.startsWith(`${top}.`) || r.path.startsWith(`${top}[]`));
    const section = hasChildren ? top : '';
    sections.set(section, [...(sections.get(section) ?? []), row]);
  }
  const lines = [
    '# Configuration reference',
    '',
    generatedNotice('the zod schema in `lib/config/schema.ts` (types, defaults, allowed values) and the documentation comment on each field'),
    '',
    "One environment's config (`WireFederationInput` in TypeScript, or a YAML/JSON file for `wire-federation validate`). Paths use `.` for nested fields and `[]` for list entries; a field that applies to one form of a union (`dns.provider`, `pki.mode`, `backend.type`) says so. Unknown keys are refused everywhere (`schema` check). Domains are normalized when parsed: lowercase, one trailing dot removed.",
    '',
    '"required" fields have no default; "unset" fields are optional and off unless given.',
    '',
  ];
  const order = ['', ...[...sections.keys()].filter((k) => k !== '')];
  for (const section of order) {
    const list = sections.get(section);
    if (list === undefined) continue;
    lines.push(`## ${section === '' ? 'Top-level fields' : `\`${section}\``}`, '', '| field | type | default | description |', '|---|---|---|---|');
    for (const row of list)
      lines.push(`| \`${row.path}\` | ${cell(row.type)} | ${cell(row.defaultValue)} | ${cell(describeConditions(row.conditions) + row.description)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
