/**
 * Produces the mesh sample of docs/monitoring.md ("The federation mesh"): starts the partial mesh
 * of fake peers on 127.0.0.1 (../support/fake-mesh.ts) and runs the real CLI
 * (`node bin/wire-federation.js mesh …`) against it, in a directory of its own so that paths
 * print as they would for `alpha.json` there. Prints the text output and writes the picture
 * rendered by Graphviz from `mesh --dot` to docs/images/mesh.svg (needs `dot`, Debian package
 * graphviz).
 *
 *   npx tsx __tests__/mesh/docs-sample.ts
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { PARTIAL_MESH } from '../support/fake-mesh';
import { TempDir, writeConfig } from '../verify/harness';

const ROOT = resolve(__dirname, '..', '..');
const cli = resolve(ROOT, 'bin', 'wire-federation.js');

async function main(): Promise<void> {
  const pki = await makeFederationPki();
  const federation = await startFakeFederation(pki, PARTIAL_MESH);
  const dir = new TempDir();
  try {
    writeConfig(dir, federation.config, 'alpha.json');
    dir.file('tls.crt', pki.federator.chainPem);
    dir.file('tls.key', pki.federator.keyPem);
    const args = ['mesh', 'alpha.json', '--client-cert', 'tls.crt', '--client-key', 'tls.key', '--dns-server', federation.dns.address];
    const run = async (extra: string[]): Promise<string> => {
      try {
        return (await promisify(execFile)(process.execPath, [cli, ...args, ...extra], { cwd: dir.path, env: { ...process.env, CHECKPOINT_DISABLE: '1' } }))
          .stdout;
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    };
    const text = await run([]);
    process.stdout.write(`$ wire-federation mesh alpha.json --client-cert tls.crt --client-key tls.key\n${text}`);
    const dot = await run(['--dot']);
    const svg = execFileSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    writeFileSync(resolve(ROOT, 'docs', 'images', 'mesh.svg'), svg);
    process.stdout.write('wrote docs/images/mesh.svg\n');
  } finally {
    await federation.close();
    dir.cleanup();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
