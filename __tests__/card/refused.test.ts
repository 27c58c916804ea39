/**
 * `card add` refuses bad cards with one clear line each and writes nothing (the config's bytes
 * stay the same, no CA bundle appears); `card export` refuses what it must not send.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnder } from '../support/files';
import { cli, lines } from '../support/cli';
import { makeCa, makeLeaf } from '../support/certificates';
import { Organisation, Workspace, caEntry, makeOrganisation, tampered } from './support';

let red: Organisation;
let blue: Organisation;
let ws: Workspace;
let redConfig: string;
let blueCard: string;
let blueCardText: string;

beforeAll(async () => {
  [red, blue] = await Promise.all([makeOrganisation('red'), makeOrganisation('blue')]);
  ws = new Workspace();
  redConfig = ws.organisation(red);
  const blueConfig = ws.organisation(blue, {}, 'blue.yaml');
  blueCard = join(ws.path, 'blue-card.yaml');
  const exported = await cli(['card', 'export', '--config', blueConfig, '--contact', 'ops@blue.example.com', '--date', '2026-12-03', '--out', blueCard]);
  expect(exported.code).toBe(0);
  blueCardText = readFileSync(blueCard, 'utf8');
});
afterAll(() => ws?.cleanup());

/** Adds `text` as a card to red; asserts nothing was written; returns exit code and stderr lines. */
async function addRefused(name: string, text: string, config = redConfig): Promise<{ code: number; err: string[]; out: string }> {
  const card = ws.file(name, text);
  const before = readFileSync(config);
  const files = filesUnder(ws.path);
  const { code, out, err } = await cli(['card', 'add', '--config', config, card]);
  expect(readFileSync(config).equals(before)).toBe(true);
  expect(filesUnder(ws.path)).toEqual(files);
  return { code, out, err: lines(err) };
}

/** The one problem line of a refusal, after checking the refusal's shape. */
function oneProblem(result: { code: number; err: string[]; out: string }, card: string): string {
  expect(result.code).toBe(1);
  expect(result.out).toBe('');
  expect(result.err).toHaveLength(2);
  expect(result.err[1]).toBe(`✖ ${join(ws.path, card)}: refused, nothing written`);
  return result.err[0];
}

describe('card add refuses a tampered card, writing nothing', () => {
  test('CA replaced, fingerprint kept', async () => {
    const other = await makeCa({ commonName: 'blue federation CA' });
    const text = tampered(blueCardText, (c) => (c.caCertificates[0].pem = other.certPem));
    const line = oneProblem(await addRefused('replaced.yaml', text), 'replaced.yaml');
    expect(line).toMatch(
      /^✖ .*replaced\.yaml: caCertificates\[0\]: the certificate's SHA-256 fingerprint is ([0-9A-F]{2}:){31}[0-9A-F]{2}, but the card says ([0-9A-F]{2}:){31}[0-9A-F]{2}: the certificate was replaced or the card edited; do not trust it, ask the sender \(ops@blue\.example\.com\) for the fingerprint over the phone and for a new card$/,
    );
  });

  test('backend domain changed to our own', async () => {
    const text = tampered(blueCardText, (c) => (c.backendDomain = 'RED.example.com.'));
    const line = oneProblem(await addRefused('own-domain.yaml', text), 'own-domain.yaml');
    expect(line).toBe(
      `✖ ${join(ws.path, 'own-domain.yaml')}: backendDomain: is red.example.com, the backend domain of environment red itself: this is our own card (or an edited one); add the card the partner sent`,
    );
  });

  test('a private key inside', async () => {
    const text = tampered(blueCardText, (c) => (c.caCertificates[0].pem = `${c.caCertificates[0].pem}${blue.federator.keyPem}`));
    const line = oneProblem(await addRefused('key.yaml', text), 'key.yaml');
    expect(line).toMatch(/: the card contains a PRIVATE KEY block: a card carries public material only/);
  });

  test('a private key hidden by a YAML escape ("PRIVATE\\u0020KEY"): found in the parsed value', async () => {
    const escaped = blue.federator.keyPem.replaceAll('PRIVATE KEY', 'PRIVATE\\u0020KEY').split('\n').join('\\n');
    const text = blueCardText.replace(/^contact: .*$/m, `contact: "${escaped}"`);
    expect(text).not.toMatch(/PRIVATE KEY/);
    const line = oneProblem(await addRefused('escaped-key.yaml', text), 'escaped-key.yaml');
    expect(line).toMatch(/: the card contains a PRIVATE KEY block: a card carries public material only/);
  });

  test("a CA subject that is not the certificate's", async () => {
    const text = tampered(blueCardText, (c) => (c.caCertificates[0].subject = 'CN=Trusted Root CA'));
    const line = oneProblem(await addRefused('subject.yaml', text), 'subject.yaml');
    expect(line).toBe(
      `✖ ${join(ws.path, 'subject.yaml')}: caCertificates[0].subject: is "CN=Trusted Root CA", but the certificate's subject is "CN=blue federation CA": the card was edited; ask the sender for a new card`,
    );
  });

  test('a misspelled field: one problem with "did you mean", no "is required"', async () => {
    const text = tampered(blueCardText, (c) => {
      c.backendDomian = c.backendDomain;
      delete c.backendDomain;
    });
    const line = oneProblem(await addRefused('typo.yaml', text), 'typo.yaml');
    expect(line).toBe(
      `✖ ${join(ws.path, 'typo.yaml')}: (card): unknown field "backendDomian": did you mean "backendDomain"? The card was edited by hand (a typo); ask for a card made by \`npx wire-federation card export\``,
    );
  });

  test('a token-like field', async () => {
    const text = tampered(blueCardText, (c) => (c.federator.apiToken = 'abc'));
    const line = oneProblem(await addRefused('token.yaml', text), 'token.yaml');
    expect(line).toMatch(
      /: federator\.apiToken: looks like a secret \(token, password, key\): a card carries public material only; remove the field and never send it$/,
    );
  });

  test('an expired CA', async () => {
    const expired = await makeCa({ commonName: 'old CA', notBefore: new Date(Date.now() - 400 * 86_400_000), validityDays: 30 });
    const text = tampered(blueCardText, (c) => (c.caCertificates[0] = caEntry(expired.certPem)));
    const line = oneProblem(await addRefused('expired.yaml', text), 'expired.yaml');
    expect(line).toMatch(/: caCertificates\[0\]: the CA certificate "CN=old CA" expired on \d{4}-\d{2}-\d{2}: ask the partner for their current CA$/);
  });

  test('a certificate that is not a CA', async () => {
    const text = tampered(blueCardText, (c) => (c.caCertificates[0] = caEntry(blue.federator.certPem)));
    const line = oneProblem(await addRefused('leaf.yaml', text), 'leaf.yaml');
    expect(line).toMatch(/: caCertificates\[0\]: "CN=federator\.blue\.example\.com" is not a CA certificate \(basicConstraints CA:FALSE/);
  });

  test('an unknown field', async () => {
    const text = tampered(blueCardText, (c) => (c.federator.weight = 10));
    const line = oneProblem(await addRefused('unknown.yaml', text), 'unknown.yaml');
    expect(line).toMatch(/: federator: unknown field "weight": a card of wire-federation-cdktf\/v1 has no such field/);
  });

  test('a domain that is not a DNS name', async () => {
    const text = tampered(blueCardText, (c) => (c.backendDomain = 'blue_example'));
    const line = oneProblem(await addRefused('bad-domain.yaml', text), 'bad-domain.yaml');
    expect(line).toMatch(/: backendDomain: backend domain must have at least two labels/);
  });

  test('a partner that is already a peer', async () => {
    const config = ws.file(
      'red-with-blue.yaml',
      readFileSync(redConfig, 'utf8').replace('peers: []', `peers:\n  - {domain: blue.example.com, caCertificates: [{file: blue-ca.pem}]}`),
    );
    const line = oneProblem(await addRefused('again.yaml', blueCardText, config), 'again.yaml');
    expect(line).toMatch(/: backendDomain: blue\.example\.com is already a peer of environment red \(peers\[0\]\): edit that entry to change it/);
  });

  test("a team that is not the partner's, and the pipeline's rules (team restrictions need remotes.mode api)", async () => {
    const card = ws.file('teams.yaml', blueCardText);
    const before = readFileSync(redConfig);
    const wrongTeam = await cli(['card', 'add', '--config', redConfig, card, '--allowed-teams', 'red-ops']);
    expect(wrongTeam.code).toBe(1);
    expect(lines(wrongTeam.err)[0]).toMatch(
      /--allowed-teams: "red-ops" is not a team of blue\.example\.com: the card offers blue-ops \(0b7e3c55-1f4d-4a8e-9c21-7d6f5e4a3b2c\)/,
    );
    const needsApi = await cli(['card', 'add', '--config', redConfig, card, '--allowed-teams', 'blue-ops']);
    expect(needsApi.code).toBe(1);
    expect(needsApi.err).toMatch(/✖ red:peers\[0\]\.allowedTeams: needs remotes\.mode api.*\[restrict-needs-api\]/);
    expect(readFileSync(redConfig).equals(before)).toBe(true);
  });
});

describe('card export', () => {
  test('private-ca mode without --ca-file: exit 2 with the command that saves the stack output', async () => {
    const config = ws.file('red-private.yaml', readFileSync(redConfig, 'utf8').replace(/pki:[\s\S]*$/, 'pki:\n  mode: private-ca\n'));
    const { code, out, err } = await cli(['card', 'export', '--config', config, '--contact', 'ops@red.example.com']);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toBe(
      'error: environment red uses pki.mode private-ca: its CA is created by Terraform at apply, so give it with --ca-file <file>, the stack output ca_certificate_pem saved after cdktf deploy: terraform -chdir=cdktf.out/stacks/red output -raw ca_certificate_pem > red-ca.pem\n',
    );
  });

  test('private-ca mode with --ca-file: the card carries that CA and says where it came from', async () => {
    const config = ws.file('red-private2.yaml', readFileSync(redConfig, 'utf8').replace(/pki:[\s\S]*$/, 'pki:\n  mode: private-ca\n'));
    const caFile = ws.file('red-output-ca.pem', red.ca.certPem);
    const { code, out, err } = await cli([
      'card',
      'export',
      '--config',
      config,
      '--ca-file',
      caFile,
      '--contact',
      'ops@red.example.com',
      '--date',
      '2026-12-03',
    ]);
    expect(code).toBe(0);
    expect(lines(err)[0]).toBe(`CA certificate from --ca-file ${caFile}:`);
    expect(out).toContain(`sha256: ${caEntry(red.ca.certPem).sha256}`);
  });

  test('--ca-file with a private key, or a certificate that is not a CA: refused', async () => {
    const config = ws.file(
      'red-private3.yaml',
      readFileSync(redConfig, 'utf8').replace(/pki:[\s\S]*$/, 'pki:\n  mode: cert-manager\n  certmasterEmail: ops@red.example.com\n'),
    );
    const withKey = ws.file('ca-and-key.pem', `${red.ca.certPem}${red.ca.keyPem}`);
    const keyed = await cli(['card', 'export', '--config', config, '--ca-file', withKey, '--contact', 'x']);
    expect(keyed.code).toBe(2);
    expect(keyed.err).toMatch(/^error: --ca-file ".*ca-and-key\.pem" contains a PRIVATE KEY: give the CA certificate\(s\) only/);
    const leaf = await makeLeaf({ issuer: red.ca, dnsNames: ['federator.red.example.com'] });
    const notCa = await cli(['card', 'export', '--config', config, '--ca-file', ws.file('leaf.pem', leaf.certPem), '--contact', 'x']);
    expect(notCa.code).toBe(1);
    expect(notCa.err).toMatch(/^✖ our card would be refused: caCertificates\[0\]: "CN=federator\.red\.example\.com" is not a CA certificate/);
  });

  test('--search-policy: the card asks for it; an unknown policy is a usage error', async () => {
    const { code, out, err } = await cli([
      'card',
      'export',
      '--config',
      redConfig,
      '--contact',
      'ops@red.example.com',
      '--search-policy',
      'exact_handle_search',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/^searchPolicy: exact_handle_search$/m);
    expect(err).not.toMatch(/searchPolicy/);
    const bad = await cli(['card', 'export', '--config', redConfig, '--contact', 'ops@red.example.com', '--search-policy', 'everyone']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--search-policy must be one of no_search, exact_handle_search, full_search; received "everyone"/);
  });

  test('to standard output: the card only (the CA source goes to stderr), and no --contact is a usage error', async () => {
    const { code, out, err } = await cli(['card', 'export', '--config', redConfig, '--contact', 'ops@red.example.com', '--date', '2026-12-03']);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Federation card of red\.example\.com \(2026-12-03\)/);
    expect(lines(err)[0]).toBe('CA certificate from pki.caFile red-ca.pem:');
    expect(lines(err)[2]).toBe('searchPolicy no_search (the default: we have no peers yet; give --search-policy to ask for another)');
    const missing = await cli(['card', 'export', '--config', redConfig]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/required option '--contact <who>' not specified/);
  });
});
