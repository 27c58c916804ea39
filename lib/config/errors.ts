/** One problem in a config: where it is and what is wrong. */
export interface ConfigProblem {
  /** Dotted path of the field, e.g. `peers[2].domain`; empty for the whole config. */
  readonly path: string;
  /** Names the field, says what is allowed and shows the value received. */
  readonly message: string;
}

/**
 * Thrown for a config with problems. Carries every problem at once; its message lists them one
 * per line as `path: message`, so the CLI and synth can print it without a stack trace.
 */
export class FederationConfigError extends Error {
  public readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], source?: string) {
    const where = source ? ` in ${source}` : '';
    super(
      `Invalid federation config${where} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.path || '(config)'}: ${p.message}`).join('\n'),
    );
    this.name = 'FederationConfigError';
    this.problems = problems;
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
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
