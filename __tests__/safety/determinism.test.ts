/**
 * Determinism: the same config always synthesizes the same bytes, and the order of things that
 * have no order (peers, their CA certificates, non-overlapping values files) does not show in the
 * output. Overlapping values files are ordered on purpose: the later file wins.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdktf';
import { parse as parseYaml } from 'yaml';
import type { WireFederationInput } from '../../lib/config';
import { addEnvironments } from '../../stacks/app';
import { ENVIRONMENTS_BASE_DIR, environments } from '../../stacks/environments';
import { makeCa } from '../support/certificates';
import { OTHER_CA_PEM, PEER_CA_PEM, REPO_ROOT, baseInput, resourceAt } from '../support/config';
import { filesUnder } from '../support/files';

type Peer = NonNullable<WireFederationInput['peers']>[number];

/** Synthesizes `inputs` in a fresh Testing app: stack name → cdk.tf.json text. */
function synthTexts(inputs: readonly WireFederationInput[], baseDir = ENVIRONMENTS_BASE_DIR): Map<string, string> {
  const app = Testing.app();
  const stacks = addEnvironments(app, inputs, baseDir);
  return new Map(stacks.map((s) => [s.node.id, Testing.synth(s)]));
}

const synthOne = (input: WireFederationInput): string => [...synthTexts([input], REPO_ROOT).values()][0];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'wfc-determinism-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the same config, synthesized twice', () => {
  test('Testing.synth of every example environment is byte-identical', () => {
    const first = synthTexts(environments);
    const second = synthTexts(environments);
    expect([...first.keys()].sort()).toEqual(environments.map((e) => e.environment).sort());
    for (const [name, text] of first) {
      expect(text.length).toBeGreaterThan(1000);
      expect(second.get(name)).toBe(text);
    }
  });

  test('app.synth() into two directories writes byte-identical files', () => {
    const write = (dir: string): string[] => {
      const app = new App({ outdir: dir });
      addEnvironments(app, environments, ENVIRONMENTS_BASE_DIR);
      app.synth();
      return filesUnder(dir);
    };
    const a = join(tmp, 'synth-a');
    const b = join(tmp, 'synth-b');
    const filesA = write(a);
    const filesB = write(b);
    expect(filesB).toEqual(filesA);
    const stackFiles = filesA.filter((f) => f.endsWith('/cdk.tf.json'));
    expect(stackFiles).toEqual(environments.map((e) => `stacks/${e.environment}/cdk.tf.json`).sort());
    for (const f of filesA) expect({ file: f, same: readFileSync(join(b, f)).equals(readFileSync(join(a, f))) }).toEqual({ file: f, same: true });
  });
});

describe('order that means nothing does not show', () => {
  let peers: Peer[];

  beforeAll(async () => {
    const third = await makeCa({ commonName: 'third.example.org federation CA' });
    const fourthA = await makeCa({ commonName: 'fourth.example.org federation CA (old)' });
    const fourthB = await makeCa({ commonName: 'fourth.example.org federation CA (new)' });
    peers = [
      { domain: 'wire.acme.test', searchPolicy: 'exact_handle_search', caCertificates: [{ pem: PEER_CA_PEM }] },
      { domain: 'partner.example.net', searchPolicy: 'full_search', caCertificates: [{ pem: OTHER_CA_PEM }] },
      { domain: 'third.example.org', caCertificates: [{ pem: third.certPem }] },
      // A peer rotating its CA: two certificates.
      { domain: 'fourth.example.org', searchPolicy: 'no_search', caCertificates: [{ pem: fourthA.certPem }, { pem: fourthB.certPem }] },
    ];
  });

  const TEAM = '4f3c2e1d-0b9a-4c8d-8e7f-6a5b4c3d2e1f';

  /** Fixed permutations of four peers: reversed, rotated and two shuffles. */
  const ORDERS = [
    [3, 2, 1, 0],
    [1, 2, 3, 0],
    [2, 0, 3, 1],
    [3, 1, 0, 2],
  ];

  test.each([
    ['config mode', {}],
    ['api mode with team restrictions', { remotes: { mode: 'api' as const } }],
  ])('reordering peers yields identical JSON (%s)', (_name, overrides) => {
    const withTeams = (list: Peer[]): Peer[] => ('remotes' in overrides ? list.map((p, i) => (i === 1 ? { ...p, restrictToTeams: [TEAM] } : p)) : list);
    const reference = synthOne(baseInput({ ...overrides, peers: withTeams(peers) }));
    // The synthesized JSON holds every peer and every CA.
    for (const p of peers) expect(reference).toContain(p.domain);
    if ('remotes' in overrides) expect(reference).toContain(TEAM);
    expect(reference.match(/-----BEGIN CERTIFICATE-----/g)?.length).toBeGreaterThanOrEqual(5);
    for (const order of ORDERS) {
      const reordered = withTeams(peers).slice();
      const shuffled = order.map((i) => reordered[i]);
      expect({ order, same: synthOne(baseInput({ ...overrides, peers: shuffled })) === reference }).toEqual({ order, same: true });
    }
  });

  test('reordering the CA certificates of one peer yields identical JSON', () => {
    const reference = synthOne(baseInput({ peers }));
    const swapped = peers.map((p) => (p.caCertificates && p.caCertificates.length > 1 ? { ...p, caCertificates: [...p.caCertificates].reverse() } : p));
    expect(swapped[3].caCertificates).not.toEqual(peers[3].caCertificates);
    expect(synthOne(baseInput({ peers: swapped }))).toBe(reference);
  });

  describe('values files', () => {
    const file = (name: string, content: string): string => {
      const path = join(tmp, name);
      writeFileSync(path, content);
      return path;
    };
    const withValues = (files: string[]): WireFederationInput =>
      baseInput({ charts: { wireServer: { version: '5.32.0', valuesFiles: files }, nginxIngressServices: { version: '5.32.0' } } });
    /** The reviewable wire-server values (the first values document) of a synthesized stack. */
    const wireValues = (text: string): any => parseYaml(resourceAt(JSON.parse(text), 'helm_release', 'Federation/WireServer/Resource').values[0]);

    test('files that do not overlap: any order yields identical JSON', () => {
      const brig = file('brig.yaml', 'brig:\n  replicaCount: 3\n  config:\n    setMaxTeamSize: 500\n');
      const galley = file('galley.yaml', 'galley:\n  replicaCount: 2\ncargohold:\n  replicaCount: 4\n');
      const ab = synthOne(withValues([brig, galley]));
      expect(synthOne(withValues([galley, brig]))).toBe(ab);
      const values = wireValues(ab);
      expect(values.brig.replicaCount).toBe(3);
      expect(values.brig.config.setMaxTeamSize).toBe(500);
      expect(values.galley.replicaCount).toBe(2);
      expect(values.cargohold.replicaCount).toBe(4);
      expect(ab).not.toContain(tmp); // absolute paths of the files stay out of the output
    });

    test('files that overlap: order matters, the later file wins', () => {
      const three = file('three.yaml', 'brig:\n  replicaCount: 3\n  config:\n    setMaxTeamSize: 500\n');
      const five = file('five.yaml', 'brig:\n  replicaCount: 5\n');
      const threeThenFive = synthOne(withValues([three, five]));
      const fiveThenThree = synthOne(withValues([five, three]));
      expect(fiveThenThree).not.toBe(threeThenFive);
      expect(wireValues(threeThenFive).brig.replicaCount).toBe(5);
      expect(wireValues(fiveThenThree).brig.replicaCount).toBe(3);
      // Keys only one file sets survive either way (a deep merge, not a replacement).
      expect(wireValues(threeThenFive).brig.config.setMaxTeamSize).toBe(500);
      expect(wireValues(fiveThenThree).brig.config.setMaxTeamSize).toBe(500);
    });
  });
});
