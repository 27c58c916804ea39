/**
 * `check-pairs --live`: the federation call in both directions between two environments that
 * federate with each other, against fake ingresses + federators on 127.0.0.1.
 */
import type { WireFederationInput } from '../../lib/config';
import { lines } from '../support/cli';
import { startDnsServer, TestDnsServer } from '../support/dns-server';
import { FakeFederatorOptions, startFakeFederator, FakeFederator } from '../support/fake-federator';
import { BACKEND, FEDERATOR, PEER, PEER_FEDERATOR, Pki, TempDir, configInput, goodZone, makePki, peerZone, run, writeConfig } from './harness';

let pki: Pki;
let dns: TestDnsServer;
let dir: TempDir;
let files: Record<'alphaCert' | 'alphaKey' | 'betaCert' | 'betaKey' | 'alphaCa' | 'betaCa' | 'strangerCa', string>;
const servers: FakeFederator[] = [];

beforeAll(async () => {
  pki = await makePki();
  dns = await startDnsServer({});
  dir = new TempDir();
  files = {
    alphaCert: dir.file('alpha.pem', pki.federator.chainPem),
    alphaKey: dir.file('alpha.key', pki.federator.keyPem),
    betaCert: dir.file('beta.pem', pki.peerFederator.chainPem),
    betaKey: dir.file('beta.key', pki.peerFederator.keyPem),
    alphaCa: dir.file('alpha-ca.pem', pki.ca.certPem),
    betaCa: dir.file('beta-ca.pem', pki.peerCa.certPem),
    strangerCa: dir.file('stranger-ca.pem', pki.strangerCa.certPem),
  };
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await dns?.close();
  dir?.cleanup();
});

/** alpha and beta, listing each other (CAs by environment name), each deployed as a fake. */
async function deploy(alpha: Partial<FakeFederatorOptions> = {}, beta: Partial<FakeFederatorOptions> = {}): Promise<{ alphaFile: string; betaFile: string }> {
  const a = await startFakeFederator({
    host: FEDERATOR,
    cert: pki.federator.chainPem,
    key: pki.federator.keyPem,
    clientCa: [pki.ca.certPem, pki.peerCa.certPem],
    dnsServer: dns.address,
    remotes: [PEER],
    ...alpha,
  });
  const b = await startFakeFederator({
    host: PEER_FEDERATOR,
    cert: pki.peerFederator.chainPem,
    key: pki.peerFederator.keyPem,
    clientCa: [pki.peerCa.certPem, pki.ca.certPem],
    dnsServer: dns.address,
    remotes: [BACKEND],
    ...beta,
  });
  servers.push(a, b);
  dns.setZone({ ...goodZone(a.port), ...peerZone(b.port) });
  const alphaInput = configInput(a.port, { peers: [{ domain: PEER, caCertificates: [{ environment: 'beta' }] }] });
  const betaInput: WireFederationInput = {
    ...configInput(b.port, { peers: [{ domain: BACKEND, caCertificates: [{ environment: 'alpha' }] }] }),
    environment: 'beta',
    backendDomain: PEER,
    federatorDomain: PEER_FEDERATOR,
  };
  return { alphaFile: writeConfig(dir, alphaInput, 'alpha.json'), betaFile: writeConfig(dir, betaInput, 'beta.json') };
}

const both = (): string[] => [
  '--client-cert',
  `alpha=${files.alphaCert}`,
  '--client-key',
  `alpha=${files.alphaKey}`,
  '--client-cert',
  `beta=${files.betaCert}`,
  '--client-key',
  `beta=${files.betaKey}`,
];

async function checkPairs(f: { alphaFile: string; betaFile: string }, extra: string[]) {
  return run(['check-pairs', '--config', f.alphaFile, '--config', f.betaFile, '--live', '--dns-server', dns.address, '--timeout', '1500', ...extra]);
}

describe('check-pairs --live', () => {
  test('both directions succeed when both certificates are given', async () => {
    const f = await deploy();
    const { code, out, err } = await checkPairs(f, [...both(), '--ca', `alpha=${files.alphaCa}`, '--ca', `beta=${files.betaCa}`]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)).toEqual([
      "✔ live[alpha→beta]  beta's federator accepted alpha: federation API versions 0, 1, 2, 3; ours: 0, 1, 2, 3 from wire-server chart 5.32.0; common: 0, 1, 2, 3 (highest 3)",
      "✔ live[beta→alpha]  alpha's federator accepted beta: federation API versions 0, 1, 2, 3; ours: 0, 1, 2, 3 from wire-server chart 5.32.0; common: 0, 1, 2, 3 (highest 3)",
      '✔ 2 environments: every federating pair agrees; 2 live calls succeeded',
    ]);
    expect(out).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  test('only one certificate at hand: that direction is called, the other is named as not called', async () => {
    const f = await deploy();
    const { code, out } = await checkPairs(f, ['--client-cert', `alpha=${files.alphaCert}`, '--client-key', `alpha=${files.alphaKey}`]);
    expect(code).toBe(0);
    expect(lines(out)[0]).toMatch(/^✔ live\[alpha→beta\]/);
    expect(lines(out)[1]).toBe('- live[beta→alpha]  not called: no certificate of beta: pass --client-cert beta=<pem> --client-key beta=<key>');
  });

  test('a refusal names the cause and the fix in the file of the side that must act', async () => {
    const f = await deploy({}, { remotes: [] });
    const { code, out } = await checkPairs(f, both());
    expect(code).toBe(1);
    const line = lines(out).find((l) => l.includes('live[alpha→beta]'));
    expect(line).toBe(
      `✖ live[alpha→beta]  beta's federator refused the call: HTTP 400 federation-denied ("origin domain [${BACKEND}] not in the federation allow list") → ` +
        `beta does not list alpha in its remotes (or its federation strategy is allowNone): add ${BACKEND} to beta's peers in ${f.betaFile} and deploy beta`,
    );
    expect(lines(out).at(-1)).toBe('✖ 2 environments: 1 live call failed');
  });

  test('the server certificate is judged against what the caller trusts for the peer', async () => {
    const f = await deploy();
    const { code, out } = await checkPairs(f, [...both(), '--ca', `beta=${files.strangerCa}`]);
    expect(code).toBe(1);
    const line = lines(out).find((l) => l.includes('live[alpha→beta]'));
    expect(line).toContain(
      `but alpha's federator would refuse beta's server certificate: it does not verify against the CAs alpha trusts for beta: the CA of beta (${files.strangerCa})`,
    );
    expect(lines(out).find((l) => l.includes('live[beta→alpha]'))).toMatch(/^✔/);
  });

  test('usage errors: live options without --live, unknown environment, certificate without key', async () => {
    const f = await deploy();
    const base = ['check-pairs', '--config', f.alphaFile, '--config', f.betaFile];
    expect(await run([...base, '--client-cert', `alpha=${files.alphaCert}`])).toMatchObject({ code: 2, err: expect.stringContaining('need --live') });
    expect(await run([...base, '--live', '--client-cert', `gamma=${files.alphaCert}`])).toMatchObject({
      code: 2,
      err: expect.stringContaining('"gamma", which is not one of the environments checked: alpha, beta'),
    });
    expect(await run([...base, '--live', '--client-cert', `alpha=${files.alphaCert}`])).toMatchObject({
      code: 2,
      err: expect.stringContaining('give --client-cert alpha=<pem> and --client-key alpha=<key> together'),
    });
  });
});
