/**
 * How findings are printed: the same lines from synth, `validate`, `lock` and `render`.
 *
 *     ✖ staging:dns.srv.weight: must be between 1 and 65535 ...; received 0 [schema]
 *     ⚠ staging:ingress.ipv4: 10.0.0.1 is a private (10.0.0.0/8) address ... [ingress-address-not-public]
 *
 * One line per finding, whatever a received value contains (control characters are escaped).
 */
import { oneLine } from '../config/errors';
import type { Finding } from '../checks/finding';

/** A finding as the pipeline returns it: path and environment always set. */
export interface ValidationFinding extends Finding {
  readonly path: string;
  /** The environment's name (`#<index>` when the config has no usable name). */
  readonly environment: string;
}

/** Exit codes of every entry point (synth, CLI commands). */
export const EXIT_CODES = {
  /** Valid (warnings allowed). */
  ok: 0,
  /** At least one error finding. */
  findings: 1,
  /** Usage error: unknown command, option, environment or missing file. */
  usage: 2,
} as const;

export interface FormatOptions {
  /**
   * Prefix each path with the environment name (`staging:dns.ttl`), for reports that cover
   * several environments. @default true
   */
  readonly withEnvironment?: boolean;
  /** Text before each line. @default '  ' */
  readonly indent?: string;
}

/** One finding as one line (no newline at the end). */
export function formatFinding(f: ValidationFinding, options: FormatOptions = {}): string {
  const where = `${options.withEnvironment === false ? '' : `${f.environment}:`}${f.path || '(config)'}`;
  return `${options.indent ?? '  '}${f.level === 'error' ? '✖' : '⚠'} ${oneLine(where)}: ${oneLine(f.message)} [${f.rule}]`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 errors, 1 warning" (parts with zero left out; "no findings" when empty). */
export function countFindings(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  const parts = [...(errors > 0 ? [plural(errors, 'error')] : []), ...(warnings > 0 ? [plural(warnings, 'warning')] : [])];
  return parts.length === 0 ? 'no findings' : parts.join(', ');
}

/**
 * The report synth prints: a heading and one line per finding, errors first. Empty when there is
 * nothing to report.
 */
export function formatReport(findings: readonly ValidationFinding[], where: string): string {
  if (findings.length === 0) return '';
  const errors = findings.filter((f) => f.level === 'error');
  const heading = errors.length > 0 ? `Invalid federation config in ${where}` : `Federation config warnings in ${where}`;
  const ordered = [...errors, ...findings.filter((f) => f.level === 'warning')];
  return `${heading} (${countFindings(findings)}):\n${ordered.map((f) => formatFinding(f)).join('\n')}\n`;
}
