/** One problem in a config: where it is and what is wrong. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `peers[2].domain`; empty for the whole config. */
  readonly path: string;
  /** Names the field, says what is allowed and shows the value received. */
  readonly message: string;
  /**
   * The stable id of the check that found it (see the README's list of checks).
   * @default 'schema'
   */
  readonly rule?: string;
}

/**
 * Thrown for a config with problems. Carries every problem at once; its message lists them one
 * per line as `path: message`, so the CLI and synth can print it without a stack trace.
 */
export class FederationConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source?: string) {
    // One line per problem, whatever a received value contains: a newline in user input must
    // not forge further problem lines (or something that looks like a stack trace).
    const lines = problems.map((p) => ({ ...p, path: oneLine(p.path), message: oneLine(p.message) }));
    const where = source ? ` in ${source}` : '';
    super(
      `Invalid federation config${where} (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n` +
        lines.map((p) => `  ${p.path || '(config)'}: ${p.message}`).join('\n'),
    );
    this.name = 'FederationConfigError';
    this.problems = lines;
  }
}

/** Renders a path array as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`))
    .join('');
}

/** Short rendering of a received value for messages (never multi-line, bounded length). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** One line, whatever the input: control characters (newlines too) are shown escaped. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1));
}
