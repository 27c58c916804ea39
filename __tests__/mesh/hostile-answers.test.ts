/**
 * What a peer answers to the mesh query is hostile input: bounded, validated, never printed raw,
 * and anything but brig's answer leaves the peer's links unknown, never connected. Fake peers on
 * 127.0.0.1 answer in brig's place with oversized, malformed, stranger, slow and refusing
 * answers; one serves a certificate we do not trust for it, one never speaks.
 */
import type { WireFederationInput } from '../../lib/config';
import { parseMeshAnswer, maxAnswerBytes, MESH_PATH } from '../../lib/mesh/protocol';
import { parseGalleyAnswer } from '../../lib/mesh/galley';
import { FakeFederation, FakeFederationPki, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import type { FakePeerSpec } from '../support/fake-federation';
import { MESH_US } from '../support/fake-mesh';
import { TempDir, run, writeConfig } from '../verify/harness';

const ESC = '\u001b';
const EVIL = 'evil.attacker.example';
const STRANGER = 'stranger.attacker.example';
const peer = (name: string): string => `wire.${name}.test`;
const hostile = (name: string, mesh: FakePeerSpec['mesh']): FakePeerSpec => ({ domain: peer(name), kind: 'healthy', mesh });

const OVERSIZED = Buffer.alloc(2 * 1024 * 1024, ' ');
OVERSIZED.write('{"non_connected_backends":[]}');

const PEERS: readonly FakePeerSpec[] = [
  { domain: peer('good'), kind: 'healthy' },
  hostile('oversized', { status: 200, body: OVERSIZED, contentType: 'application/json' }),
  hostile('notjson', { status: 200, body: `hello ${ESC}[31mred${ESC}[0m`, contentType: 'application/json' }),
  hostile('stranger', { status: 200, body: JSON.stringify({ non_connected_backends: [STRANGER] }), contentType: 'application/json' }),
  hostile('numbers', { status: 200, body: '{"non_connected_backends":[1,2]}', contentType: 'application/json' }),
  hostile('escape', { status: 200, body: JSON.stringify({ non_connected_backends: [`${ESC}[2Jx.test`] }), contentType: 'application/json' }),
  hostile('html', { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', contentType: 'text/html' }),
  hostile('crash', { status: 500, body: 'Something went wrong', contentType: 'text/plain' }),
  hostile('label', {
    status: 403,
    body: JSON.stringify({ code: 403, label: `${ESC}[2Jbad-label`, message: `<script>${EVIL}</script>` }),
    contentType: 'application/json',
  }),
  hostile('slow', { status: 200, body: '{"non_connected_backends":[]}', contentType: 'application/json', delayMs: 4_000 }),
  { domain: peer('untrusted'), kind: 'healthy' },
  { domain: peer('silent'), kind: 'silent' },
];

let pki: FakeFederationPki;
let federation: FakeFederation;
let dir: TempDir;
let args: string[];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, PEERS);
  dir = new TempDir();
  // We trust a stranger CA for "untrusted": its real certificate does not verify.
  const input: WireFederationInput = {
    ...federation.config,
    peers: federation.config.peers!.map((p) => (p.domain === peer('untrusted') ? { ...p, caCertificates: [{ pem: pki.strangerCa.certPem }] } : p)),
  };
  const config = writeConfig(dir, input);
  args = [
    config,
    '--client-cert',
    dir.file('tls.crt', pki.federator.chainPem),
    '--client-key',
    dir.file('tls.key', pki.federator.keyPem),
    '--dns-server',
    federation.dns.address,
    '--timeout',
    '1500',
  ];
}, 60_000);

afterAll(async () => {
  await federation?.close();
  dir?.cleanup();
});

interface Answer {
  peer: string;
  kind: string;
  message: string;
  label?: string;
}

describe('hostile answers to the mesh query', () => {
  let answers: Map<string, Answer>;
  let links: Array<{ from: string; to: string; state: string }>;
  let text: string;
  beforeAll(async () => {
    const json = await run(['mesh', ...args, '--json']);
    const parsed = JSON.parse(json.out) as { answers: Answer[]; links: typeof links };
    answers = new Map(parsed.answers.map((a) => [a.peer, a]));
    links = parsed.links;
    text = (await run(['mesh', ...args])).out;
  }, 60_000);

  it.each([
    ['oversized', 'malformed', /answered more than \d+ bytes/],
    ['notjson', 'malformed', /the answer is not JSON/],
    ['stranger', 'malformed', /names 1 domain we did not ask about/],
    ['numbers', 'malformed', /holds an element that is not a domain name/],
    ['escape', 'malformed', /holds an element that is not a domain name/],
    ['html', 'unreachable', /HTTP 502.*cannot reach/],
    ['crash', 'unreachable', /HTTP 500/],
    ['label', 'refused', /refused the call: HTTP 403/],
    ['slow', 'unreachable', /no answer to the federation call within/],
    ['untrusted', 'untrusted', /does not verify against the CAs we trust for it/],
    ['silent', 'unreachable', /no TLS handshake|within/],
  ])('%s: %s, and its links to the other peers are unknown', (name, kind, message) => {
    const answer = answers.get(peer(name))!;
    expect(answer.kind).toBe(kind);
    expect(answer.message).toMatch(message);
    const from = links.filter((l) => l.from === peer(name) && l.to !== MESH_US);
    expect(from).toHaveLength(PEERS.length - 1);
    expect(from.every((l) => l.state === 'unknown')).toBe(true);
  });

  it('the healthy peer answered, and its links are connected', () => {
    expect(answers.get(peer('good'))?.kind).toBe('answered');
    expect(links.filter((l) => l.from === peer('good')).every((l) => l.state === 'connected')).toBe(true);
  });

  it('never prints what the peers sent raw: no escape sequence, no domain we did not ask about', () => {
    for (const out of [text, JSON.stringify([...answers.values()])]) {
      expect(out).not.toContain(ESC);
      expect(out).not.toContain(STRANGER);
    }
    // A refusal's label and message are shown as verify shows them: control characters removed, shortened.
    expect(answers.get(peer('label'))?.label).toBe('[2Jbad-label');
    expect(answers.get(peer('label'))?.message).toContain(`("<script>${EVIL}</script>")`);
  });

  it('reads no more of an oversized answer than the limit', () => {
    // 2 MiB sent; the bound for 11 other peers is a few KiB.
    expect(maxAnswerBytes(PEERS.length - 1)).toBeLessThan(8 * 1024);
  });
});

describe('parseMeshAnswer (brig NonConnectedBackends)', () => {
  const asked = ['b.example', 'c.example'];
  it.each([
    ['{"non_connected_backends":[]}', { ok: true, notConnected: [], field: 'non_connected_backends' }],
    ['{"non_connected_backends":["C.Example."]}', { ok: true, notConnected: ['c.example'], field: 'non_connected_backends' }],
    ['{"connected_backends":["b.example"]}', { ok: true, notConnected: ['b.example'], field: 'connected_backends' }],
    ['[]', { ok: false, problem: 'the answer is not a JSON object' }],
    ['{}', { ok: false, problem: 'the answer has no field non_connected_backends' }],
    ['{"non_connected_backends":"b.example"}', { ok: false, problem: 'non_connected_backends is not a list' }],
    [
      '{"non_connected_backends":["b.example","c.example","d.example"]}',
      { ok: false, problem: 'non_connected_backends names 3 domains, more than the 2 asked about' },
    ],
    ['{"__proto__":{"non_connected_backends":[]}}', { ok: false, problem: 'the answer has no field non_connected_backends' }],
  ])('%s', (body, expected) => {
    expect(parseMeshAnswer(body, asked)).toEqual(expected);
  });

  it('the path is the federator route of brig', () => {
    expect(MESH_PATH).toBe('/federation/brig/get-not-fully-connected-backends');
  });
});

describe("parseGalleyAnswer (galley's FederationStatus)", () => {
  const asked = ['b.example', 'c.example'];
  it.each([
    [200, '{"status":"fully-connected"}', { kind: 'fully-connected' }],
    [200, '{"status":"non-fully-connected","not_connected":["b.example","c.example"]}', { kind: 'non-fully-connected', pair: ['b.example', 'c.example'] }],
    [533, '{"unreachable_backends":["c.example","evil.example"]}', { kind: 'unreachable-backends', backends: ['c.example'] }],
    [
      200,
      '{"status":"non-fully-connected","not_connected":["b.example","evil.example"]}',
      { kind: 'error', message: 'galley answered HTTP 200, not a federation status' },
    ],
    [404, '{"code":404,"label":"no-endpoint","message":"x"}', { kind: 'error', message: 'galley answered HTTP 404 no-endpoint, not a federation status' }],
  ])('%s %s', (status, body, expected) => {
    expect(parseGalleyAnswer(status, body, asked)).toEqual(expected);
  });
});
