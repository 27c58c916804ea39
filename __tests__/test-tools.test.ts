import { execFileSync } from 'node:child_process';
import { describeWithCharts, describeWithHelm, realChartArchive } from './support/test-tools';

describeWithHelm('test tools: helm', (helm) => {
  test('the helm binary runs and is helm 3 or later', () => {
    const version = execFileSync(helm, ['version', '--short'], { encoding: 'utf8' });
    expect(version).toMatch(/^v[34]\.\d+/);
  });
});

describeWithCharts('test tools: real chart archives', () => {
  test('wire-server, nginx-ingress-services and wire-ingress archives are found', () => {
    for (const chart of ['wire-server', 'nginx-ingress-services', 'wire-ingress']) expect(realChartArchive(chart)).toMatch(/\.tgz$/);
  });
});
