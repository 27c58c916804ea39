import { execFileSync } from 'node:child_process';
import { startFakeKube } from './__tests__/support/fake-kube';
import { CACHED_HELM } from './__tests__/support/test-tools';
(async () => {
  const kube = await startFakeKube([{ name: 'wire-server', namespace: 'wire', revision: 4, chart: 'wire-server', chartVersion: '5.30.0', values: { brig: { x: 1 } } }]);
  for (const args of [['list', '-n', 'wire', '-o', 'json'], ['status', 'wire-server', '-n', 'wire', '-o', 'json'], ['list', '-n', 'empty', '-o', 'json'], ['status', 'nope', '-n', 'wire', '-o', 'json']]) {
    try { console.log(args.join(' '), '=>', execFileSync(CACHED_HELM, [...args, '--kubeconfig', kube.kubeconfig, '--kube-context', 'fake'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })); }
    catch (e: any) { console.log(args.join(' '), 'FAILED', e.status, e.stderr); }
  }
  console.log(kube.requests);
  await kube.close();
})();
