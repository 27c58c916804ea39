/**
 * The durations of the exporter's schedule (`monitoring.interval`, `verify --serve --interval`):
 * one parser, so the config's validation refuses exactly what the CLI in the pod would refuse
 * (a pod that cannot start its exporter crash-loops). Pure; imports nothing of ours (the ground floor).
 */

/** The shortest interval between two rounds of checks, in milliseconds (1 s). */
export const MIN_INTERVAL_MS = 1000;
/** The longest interval between two rounds of checks, in milliseconds (24 h). */
export const MAX_INTERVAL_MS = 86_400_000;

/** What an interval must look like, for messages. */
export const INTERVAL_FORMAT = 'a duration between 1s and 24h such as 60s, 5m or 1h';

const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses an interval: `90s`, `5m`, `1h` or milliseconds (`1500ms`), between 1 s and 24 h.
 * @returns the milliseconds, or undefined when the text is no such duration
 */
export function parseIntervalMs(value: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h)$/.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
  return ms >= MIN_INTERVAL_MS && ms <= MAX_INTERVAL_MS ? ms : undefined;
}

/** Milliseconds as a Prometheus duration (`90s`, `4m`, `1h30m`), rounded up to whole seconds. */
export function prometheusDuration(ms: number): string {
  let s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text = `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  return text || '0s';
}
