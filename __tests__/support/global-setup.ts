/**
 * jest global set-up: fetches the test tools once per machine, before any worker starts.
 */
import { ensureHelm, realChartsDir } from './test-tools';

export default function globalSetup(): void {
  const { helm, reason } = ensureHelm();
  if (!helm) process.stderr.write(`\nNOTICE: tests that run helm are skipped: ${reason}\n`);
  if (!realChartsDir())
    process.stderr.write('\nNOTICE: tests that render the real Wire charts are skipped: the chart archives are not beside this clone (set WIRE_CHARTS_DIR)\n');
}
