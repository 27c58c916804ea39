/**
 * The result model of `wire-federation verify` and its renderings (human lines, JSON).
 */
import type { VerifyCheckId } from './checks';
import type { CheckResult, CheckStatus } from './checks/types';

export type { CheckStatus, CheckResult } from './checks/types';

/** A check that could not run because an earlier one failed. */
export interface SkippedCheck {
  readonly id: string;
  readonly reason: string;
}

/** Everything one verify run found. */
export interface VerifyReport {
  readonly environment: string;
  readonly backendDomain: string;
  readonly federatorDomain: string;
  readonly checks: readonly CheckResult[];
  readonly skipped: readonly SkippedCheck[];
}

/**
 * Shorthands that build check results: ids from the registry of checks (`./checks/`), without
 * details (add the details the registry declares for the check: `{ ...pass(id, m), details }`).
 */
export const pass = (id: VerifyCheckId, message: string): CheckResult<never> => ({ id, status: 'pass', message });
export const fail = (id: VerifyCheckId, message: string, hint?: string): CheckResult<never> => ({ id, status: 'fail', message, ...(hint ? { hint } : {}) });
export const warn = (id: VerifyCheckId, message: string, hint?: string): CheckResult<never> => ({ id, status: 'warn', message, ...(hint ? { hint } : {}) });

/** Marks a check result as inconclusive (see {@link CheckResult.inconclusive}). */
export const inconclusive = <T extends CheckResult>(result: T): T => ({ ...result, inconclusive: true });

/** 0 when nothing failed (warnings allowed), 1 when any check failed. */
export function exitCodeOf(report: Pick<VerifyReport, 'checks'>): 0 | 1 {
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** Counts of checks by status. */
export function summarize(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

const SYMBOL: Readonly<Record<CheckStatus, string>> = { pass: '✔', fail: '✖', warn: '⚠' };

/** One line: symbol, id, message and (for failures and warnings) the hint. */
export function renderCheck(check: CheckResult, idWidth = 0): string {
  const hint = check.hint && check.status !== 'pass' ? ` → ${check.hint}` : '';
  return `${SYMBOL[check.status]} ${check.id.padEnd(idWidth)}  ${check.message}${hint}`;
}

const PEER_ID = /^peer\[([^\]]+)\]\.(.+)$/;

/** The peer a check id belongs to (`peer[<domain>].<check>`), and the id without that prefix. */
function peerOf(id: string): { peer?: string; short: string } {
  const m = PEER_ID.exec(id);
  return m ? { peer: m[1], short: m[2] } : { short: id };
}

/**
 * The human report: a heading, one line per check of our backend, then the checks of each peer
 * under a heading of their own (ids without the `peer[<domain>].` prefix), skipped checks where
 * they belong, a summary line.
 */
export function renderHuman(report: VerifyReport): string {
  const own = report.checks.filter((c) => !peerOf(c.id).peer);
  const ownSkipped = report.skipped.filter((s) => !peerOf(s.id).peer);
  const peers: string[] = [];
  for (const { id } of [...report.checks, ...report.skipped]) {
    const { peer } = peerOf(id);
    if (peer && !peers.includes(peer)) peers.push(peer);
  }
  const width = Math.max(0, ...[...report.checks, ...report.skipped].map((c) => peerOf(c.id).short.length));
  const lines = [`Verifying federation of ${report.backendDomain} (environment ${report.environment}, federator ${report.federatorDomain})`];
  lines.push(...own.map((c) => renderCheck(c, width)));
  lines.push(...ownSkipped.map((s) => `- ${s.id.padEnd(width)}  skipped: ${s.reason}`));
  for (const peer of peers) {
    lines.push(`Peer ${peer}:`);
    for (const c of report.checks) if (peerOf(c.id).peer === peer) lines.push(`  ${renderCheck({ ...c, id: peerOf(c.id).short }, width)}`);
    for (const s of report.skipped) if (peerOf(s.id).peer === peer) lines.push(`  - ${peerOf(s.id).short.padEnd(width)}  skipped: ${s.reason}`);
  }
  const counts = summarize(report.checks);
  const skipped = report.skipped.length > 0 ? `, ${report.skipped.length} skipped` : '';
  const verdict = counts.fail > 0 ? 'federation is NOT ready' : 'federation is ready';
  lines.push(`${counts.pass} passed, ${counts.fail} failed, ${counts.warn} warning${counts.warn === 1 ? '' : 's'}${skipped}: ${verdict}`);
  return `${lines.join('\n')}\n`;
}

/** The JSON report (stable field names for machines). */
export function renderJson(report: VerifyReport): string {
  const exitCode = exitCodeOf(report);
  return `${JSON.stringify(
    {
      environment: report.environment,
      backendDomain: report.backendDomain,
      federatorDomain: report.federatorDomain,
      ok: exitCode === 0,
      exitCode,
      summary: { ...summarize(report.checks), skip: report.skipped.length },
      checks: report.checks,
      skipped: report.skipped,
    },
    null,
    2,
  )}\n`;
}
