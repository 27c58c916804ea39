/**
 * `monitoring.interval` and `verify --serve --interval` are parsed by one function
 * (lib/core/durations.ts): validate refuses what the CLI in the exporter's pod would refuse (the
 * pod would crash-loop), and warns when three check timeouts do not fit in the interval.
 */
import { InvalidArgumentError } from 'commander';
import { parseInterval } from '../../bin/options';
import { CONFIG_RULES } from '../../lib/config/errors';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { baseInput, parse, problemsOf } from '../support/config';

const withMonitoring = (monitoring: Record<string, unknown>) => ({ ...baseInput(), monitoring: { enabled: true, ...monitoring } });
const cliAccepts = (value: string): boolean => {
  try {
    parseInterval(value);
    return true;
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return false;
  }
};

describe('monitoring.interval', () => {
  test.each(['0s', '0m', '999ms', '25h', '1441m', '90', '1d', ' '])('%p is refused by validate and by the CLI', (value) => {
    expect(cliAccepts(value)).toBe(false);
    expect(problemsOf(withMonitoring({ interval: value }))).toEqual([
      {
        path: 'monitoring.interval',
        message: `must be a duration between 1s and 24h such as 60s, 5m or 1h (the exporter refuses anything else and its pod would crash-loop); received ${JSON.stringify(value)}`,
      },
    ]);
  });

  test.each(['1s', '60s', '5m', '24h', '1500ms'])('%p is accepted by both', (value) => {
    expect(cliAccepts(value)).toBe(true);
    expect(problemsOf(withMonitoring({ interval: value, timeoutMs: 100 }))).toEqual([]);
  });
});

describe('monitoring.timeoutMs against the interval', () => {
  test('3 × timeoutMs at or above the interval: a warning finding with its rule id', () => {
    const result = validateFederationConfig(withMonitoring({ interval: '15s', timeoutMs: 5000 }));
    const finding = result.findings.find((f) => f.rule === 'monitoring-timeout');
    expect(finding).toMatchObject({ level: 'warning', path: 'monitoring.timeoutMs', message: expect.stringContaining('monitoring.interval 15s') });
    expect(finding!.message).toContain('received 5000');
    expect(CONFIG_RULES['monitoring-timeout'].level).toBe('warning');
  });

  test('below the interval, or with monitoring off: no warning', () => {
    expect(parse(withMonitoring({ interval: '60s', timeoutMs: 5000 })).warnings).toEqual([]);
    expect(parse({ ...baseInput(), monitoring: { enabled: false, interval: '10s', timeoutMs: 5000 } }).warnings).toEqual([]);
  });
});
