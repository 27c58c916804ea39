/**
 * Produces the output samples of docs/verify.md ("Sample"): starts the test DNS server and
 * federator-like TLS servers on 127.0.0.1 (the peer: a fake ingress + federator, see
 * ../support/fake-federator.ts) and runs the real CLI (`node bin/wire-federation.js verify …`)
 * against them: a working setup with a peer, a broken one (text and JSON), and a peer whose
 * federator refuses us (it does not list our domain).
 *
 *   npx tsx __tests__/verify/readme-sample.ts
 */
import { execFile } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { promisify } from 'node:util';
import { makeLeaf } from '../support/certificates';
import { startDnsServer } from '../support/dns-server';
import { startFakeFederator } from '../support/fake-federator';
import { startFederatorServer } from '../support/tls-servers';
import { BACKEND, FEDERATOR, PEER, PEER_FEDERATOR, TempDir, configInput, goodZone, makePki, peerZone, srv, SRV_ALPHA, writeConfig } from './harness';

const cli = resolve(__dirname, '..', '..', 'bin', 'wire-federation.js');

async function main(): Promise<void> {
  const pki = await makePki();
  const dir = new TempDir();
  const dns = await startDnsServer({});
  const ours = await startFederatorServer({
    cert: pki.federator.chainPem,
    key: pki.federator.keyPem,
    clientCa: [pki.ca.certPem, pki.peerCa.certPem],
    clientAuth: 'http',
  });
  const peerOptions = {
    host: PEER_FEDERATOR,
    cert: pki.peerFederator.chainPem,
    key: pki.peerFederator.keyPem,
    clientCa: [pki.ca.certPem],
    dnsServer: dns.address,
  };
  const peer = await startFakeFederator({ ...peerOptions, remotes: [BACKEND] });
  const refusing = await startFakeFederator({ ...peerOptions, remotes: [] });
  const serverOnly = await makeLeaf({ issuer: pki.ca, dnsNames: [FEDERATOR], extendedKeyUsages: ['serverAuth'] });
  const broken = await startFederatorServer({ cert: serverOnly.chainPem, key: serverOnly.keyPem, clientAuth: 'none' });
  try {
    const files = {
      ca: dir.file('alpha-ca.pem', pki.ca.certPem),
      cert: dir.file('federator.pem', pki.federator.chainPem),
      key: dir.file('federator.key', pki.federator.keyPem),
      peerCa: dir.file('beta-ca.pem', pki.peerCa.certPem),
    };
    const config = writeConfig(dir, configInput(ours.port, { peers: [{ domain: PEER, caCertificates: [{ file: files.peerCa }] }] }), 'alpha.json');
    const run = async (title: string, extra: string[] = []): Promise<void> => {
      // Relative file names (run in the temporary directory), as an operator would type them.
      const args = [
        'verify',
        '--config',
        basename(config),
        '--dns-server',
        dns.address,
        '--ca',
        basename(files.ca),
        '--client-cert',
        basename(files.cert),
        '--client-key',
        basename(files.key),
        '--peers',
        ...extra,
      ];
      const shown = args.join(' ');
      const child = await promisify(execFile)(process.execPath, [cli, ...args], { cwd: dir.path }).then(
        (r) => ({ ...r, code: 0 }),
        (e: { stdout: string; stderr: string; code: number }) => e,
      );
      process.stdout.write(`## ${title}\n$ wire-federation ${shown}\n${child.stdout}${child.stderr}(exit ${child.code})\n\n`);
    };
    dns.setZone({ ...goodZone(ours.port), ...peerZone(peer.port) });
    await run('working');
    dns.setZone({ ...goodZone(broken.port, { [SRV_ALPHA]: [srv(FEDERATOR, broken.port, 0)] }), ...peerZone(peer.port) });
    writeConfig(dir, configInput(broken.port, { peers: [{ domain: PEER, caCertificates: [{ file: files.peerCa }] }] }), 'alpha.json');
    await run('broken');
    await run('broken, as JSON', ['--json']);
    dns.setZone({ ...goodZone(ours.port), ...peerZone(refusing.port) });
    writeConfig(dir, configInput(ours.port, { peers: [{ domain: PEER, caCertificates: [{ file: files.peerCa }] }] }), 'alpha.json');
    await run('refused by the peer');
  } finally {
    await Promise.all([dns.close(), ours.close(), peer.close(), broken.close(), refusing.close()]);
    dir.cleanup();
  }
}

void main();
