/**
 * A small parser of the Prometheus text exposition format (version 0.0.4), enough to read an
 * exporter's `/metrics` back in tests: `# HELP` / `# TYPE` lines and samples
 * `name{label="value",…} value [timestamp]`, with the format's escapes (`\\`, `\"`, `\n`).
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedMetrics {
  readonly samples: readonly Sample[];
  /** `# TYPE` by metric family name. */
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/y;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** Parses the text; throws on a line that is not in the format (a test must notice). */
export function parseMetrics(text: string): ParsedMetrics {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      (meta[1] === 'TYPE' ? types : help).set(meta[2], meta[3]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const body = m[2] ?? '';
    LABEL.lastIndex = 0;
    let pos = 0;
    while (pos < body.length) {
      LABEL.lastIndex = pos;
      const l = LABEL.exec(body);
      if (!l) throw new Error(`bad labels in: ${line}`);
      labels[l[1]] = unescape(l[2]);
      pos = LABEL.lastIndex;
    }
    samples.push({ name: m[1], labels, value: parseValue(m[3]) });
  }
  return { samples, types, help };
}

/** The samples of `name` whose labels include `labels`. */
export function select(parsed: ParsedMetrics, name: string, labels: Readonly<Record<string, string>> = {}): Sample[] {
  return parsed.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The value of the one sample of `name` with `labels`; throws when there is not exactly one. */
export function valueOf(parsed: ParsedMetrics, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = select(parsed, name, labels);
  if (found.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0].value;
}
