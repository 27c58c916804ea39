/**
 * `wire-federation mesh` against a partial mesh of fake peers on 127.0.0.1 (__tests__/support/
 * fake-mesh.ts): each link reported by the text, JSON and DOT outputs; a peer without the
 * endpoint, refusing us, or answering garbage is "unknown", never connected.
 */
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeFederation, FakeFederationPki, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { BETA, DELTA, EPSILON, GAMMA, MESH_US, PARTIAL_MESH, PARTIAL_MESH_MISSING, PARTIAL_MESH_UNKNOWN, ZETA } from '../support/fake-mesh';
import { TempDir, run, writeConfig } from '../verify/harness';

interface JsonLink {
  from: string;
  to: string;
  state: 'connected' | 'missing' | 'unknown';
  reason: string;
  fix?: string;
}
interface JsonMesh {
  fullMesh: boolean;
  exitCode: number;
  summary: Record<string, number>;
  backends: string[];
  links: JsonLink[];
  missing: Array<{ from: string; to: string; fix: string }>;
  answers: Array<{ peer: string; kind: string; notConnected?: string[]; legacyField?: boolean; acceptsUs?: boolean; label?: string; message: string }>;
}

let pki: FakeFederationPki;
let federation: FakeFederation;
let dir: TempDir;
let config: string;
let certArgs: string[];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, PARTIAL_MESH);
  dir = new TempDir();
  config = writeConfig(dir, federation.config);
  certArgs = [
    '--client-cert',
    dir.file('tls.crt', pki.federator.chainPem),
    '--client-key',
    dir.file('tls.key', pki.federator.keyPem),
    '--dns-server',
    federation.dns.address,
    '--timeout',
    '4000',
  ];
}, 60_000);

afterAll(async () => {
  await federation?.close();
  dir?.cleanup();
});

const arrow = (l: { from: string; to: string }): string => `${l.from} → ${l.to}`;

describe('mesh --json on a partial mesh', () => {
  let mesh: JsonMesh;
  let code: number;
  beforeAll(async () => {
    const r = await run(['mesh', config, ...certArgs, '--json']);
    code = r.code;
    mesh = JSON.parse(r.out) as JsonMesh;
  }, 30_000);

  it('reports every link: the missing ones, the unknown ones, the rest connected', () => {
    expect(code).toBe(1);
    expect(mesh.fullMesh).toBe(false);
    expect(mesh.backends).toEqual([MESH_US, BETA, GAMMA, DELTA, EPSILON, ZETA]);
    expect(mesh.links).toHaveLength(30);
    expect(
      mesh.links
        .filter((l) => l.state === 'missing')
        .map(arrow)
        .sort(),
    ).toEqual([...PARTIAL_MESH_MISSING].sort());
    expect(
      mesh.links
        .filter((l) => l.state === 'unknown')
        .map(arrow)
        .sort(),
    ).toEqual([...PARTIAL_MESH_UNKNOWN].sort());
    expect(mesh.summary).toEqual({ connected: 19, missing: 3, unknown: 8 });
  });

  it('a peer without the endpoint is unknown, never connected', () => {
    const delta = mesh.answers.find((a) => a.peer === DELTA)!;
    expect(delta.kind).toBe('no-endpoint');
    expect(delta.message).toMatch(/HTTP 404 without body.*before chart 4\.36\.0/);
    for (const to of [BETA, GAMMA, EPSILON, ZETA]) expect(mesh.links.find((l) => l.from === DELTA && l.to === to)?.state).toBe('unknown');
    // Its federator accepted our call before its brig answered 404: it lists us.
    expect(mesh.links.find((l) => l.from === DELTA && l.to === MESH_US)?.state).toBe('connected');
  });

  it('a peer that refuses us: our link from it is missing, its other links unknown', () => {
    const epsilon = mesh.answers.find((a) => a.peer === EPSILON)!;
    expect(epsilon).toMatchObject({ kind: 'refused', label: 'federation-denied', acceptsUs: false });
    expect(mesh.links.find((l) => l.from === EPSILON && l.to === GAMMA)?.state).toBe('unknown');
  });

  it('reads the field name of charts 4.36–4.38 (connected_backends, meaning NOT connected)', () => {
    expect(mesh.answers.find((a) => a.peer === ZETA)).toMatchObject({ kind: 'answered', legacyField: true, notConnected: [GAMMA] });
    expect(mesh.answers.find((a) => a.peer === BETA)).toMatchObject({ kind: 'answered', notConnected: [] });
  });

  it('each missing link says who must add whom, with the card commands', () => {
    const fix = (from: string, to: string): string => mesh.missing.find((m) => m.from === from && m.to === to)!.fix;
    expect(fix(GAMMA, DELTA)).toBe(
      `${GAMMA} must add ${DELTA} to its federation remotes: ${DELTA}'s operator sends its card (npx wire-federation card export), ${GAMMA}'s operator runs npx wire-federation card add <their environment> <card of ${DELTA}> and deploys (without this tool: add ${DELTA} to brig's remotes, POST /i/federation/remotes)`,
    );
    // When a peer lacks us, the fix names our own card export command.
    expect(fix(EPSILON, MESH_US)).toContain(`card export ${config}`);
  });

  it('asks each peer about all the other peers, as galley does, with our origin domain', () => {
    const [request] = federation.meshRequestsOf(BETA);
    expect(request.originDomain).toBe(MESH_US);
    expect(JSON.parse(request.body)).toEqual({ domains: [GAMMA, DELTA, EPSILON, ZETA] });
  });
});

describe('mesh (text)', () => {
  it('prints the matrix, the answers, each missing link with its fix, and the unknown links', async () => {
    const { code, out } = await run(['mesh', config, ...certArgs]);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`Federation mesh of ${MESH_US} (environment alpha): 6 backends, 30 links: 19 connected, 3 missing, 8 unknown`);
    // Rows: us, beta, gamma, delta, epsilon, zeta; columns the same order.
    expect(lines).toContain(`1  · ✔ ✔ ✔ ✔ ✔  ${MESH_US} (us)`);
    expect(lines).toContain(`2  ✔ · ✔ ✔ ✔ ✔  ${BETA}`);
    expect(lines).toContain(`3  ✔ ✔ · ✖ ✔ ✔  ${GAMMA}`);
    expect(lines).toContain(`4  ✔ ? ? · ? ?  ${DELTA}`);
    expect(lines).toContain(`5  ✖ ? ? ? · ?  ${EPSILON}`);
    expect(lines).toContain(`6  ✔ ✔ ✖ ✔ ✔ ·  ${ZETA}`);
    expect(out).toContain(`✖ ${GAMMA} → ${DELTA}: ${GAMMA}'s brig says it does not federate with ${DELTA}`);
    expect(out).toContain(`    fix: ${GAMMA} must add ${DELTA} to its federation remotes`);
    expect(out).toContain(`? ${DELTA} → ${BETA}, ${GAMMA}, ${EPSILON}, ${ZETA}: ${DELTA} does not implement get-not-fully-connected-backends`);
    expect(out).toContain('NOT a full mesh');
  }, 30_000);
});

describe('mesh --dot', () => {
  it('draws each pair: both ways connected as one edge, missing and unknown links per direction', async () => {
    const { code, out } = await run(['mesh', config, ...certArgs, '--dot']);
    expect(code).toBe(1);
    expect(out).toMatch(/^digraph federation_mesh \{/);
    expect(out).toContain(`"${BETA}" -> "${GAMMA}" [dir=both, color="#2e7d32"];`);
    expect(out).toContain(`"${GAMMA}" -> "${DELTA}" [color="#c62828", style=dashed, penwidth=2, label="missing", fontcolor="#c62828"];`);
    expect(out).toContain(`"${DELTA}" -> "${GAMMA}" [color="#9e9e9e", style=dotted, label="?"];`);
    expect(out).toContain(`"${EPSILON}" -> "${MESH_US}" [color="#c62828"`);
    const dot = spawnSync('dot', ['-Tsvg'], { input: out, encoding: 'utf8' });
    if (dot.error) {
      console.warn('SKIPPED: rendering --dot with Graphviz: `dot` is not installed');
      return;
    }
    expect(dot.status).toBe(0);
    expect(dot.stdout).toContain('<svg');
  }, 30_000);
});

/**
 * galley's internal `GET /i/federation-status` as wire-server answers it
 * (libs/wire-subsystems/src/Wire/FederationSubsystem/Interpreter.hs `getFederationStatusImpl`:
 * every remote is asked about the others through our federator; any failed call makes the answer
 * 533 `{"unreachable_backends": [...]}`, else the first pair not connected, else fully connected).
 * This one answers from the model of PARTIAL_MESH.
 */
async function startFakeGalley(): Promise<{
  url: string;
  requests: Array<{ method?: string; path?: string; zUser?: string; body: string }>;
  close(): Promise<void>;
}> {
  const requests: Array<{ method?: string; path?: string; zUser?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, zUser: req.headers['z-user'] as string | undefined, body });
      const domains = (JSON.parse(body) as { domains: string[] }).domains;
      const failing = domains.filter((d) => d === DELTA || d === EPSILON);
      res.writeHead(failing.length > 0 ? 533 : 200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(failing.length > 0 ? { unreachable_backends: failing } : { status: 'non-fully-connected', not_connected: [GAMMA, DELTA] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('mesh --galley (inside the cluster)', () => {
  it("adds galley's own verdict: it asks GET /i/federation-status with a Z-User and the peers", async () => {
    const galley = await startFakeGalley();
    try {
      const { out } = await run(['mesh', config, ...certArgs, '--galley', galley.url]);
      expect(out).toContain(`galley (inside the cluster) could not reach: ${DELTA}, ${EPSILON}`);
      expect(galley.requests[0]).toMatchObject({ method: 'GET', path: '/i/federation-status', zUser: '00000000-0000-0000-0000-000000000000' });
      expect(JSON.parse(galley.requests[0].body)).toEqual({ domains: [BETA, GAMMA, DELTA, EPSILON, ZETA] });
      const json = JSON.parse((await run(['mesh', config, ...certArgs, '--galley', galley.url, '--json'])).out) as { galley: unknown };
      expect(json.galley).toEqual({ kind: 'unreachable-backends', backends: [DELTA, EPSILON] });
    } finally {
      await galley.close();
    }
  }, 30_000);
});

describe('mesh usage', () => {
  it('needs our federator certificate', async () => {
    const { code, err } = await run(['mesh', config, '--dns-server', federation.dns.address]);
    expect(code).toBe(2);
    expect(err).toContain('give --client-cert and --client-key');
  });

  it('refuses --json with --dot', async () => {
    const { code, err } = await run(['mesh', config, ...certArgs, '--json', '--dot']);
    expect(code).toBe(2);
    expect(err).toContain('--json and --dot exclude each other');
  });

  it('refuses a --galley that is not an internal http URL', async () => {
    const { code, err } = await run(['mesh', config, ...certArgs, '--galley', 'https://user:pw@galley/x']);
    expect(code).toBe(2);
    expect(err).toContain('--galley must be');
  });
});

describe('mesh on a full mesh', () => {
  it('exits 0 and says so; allowAll peers count every domain as connected (brig answers an empty set)', async () => {
    const full = await startFakeFederation(pki, [
      { domain: BETA, kind: 'healthy' },
      { domain: GAMMA, kind: 'healthy', strategy: 'allowAll', federatesWith: [] },
    ]);
    const d = new TempDir();
    try {
      const file = writeConfig(d, full.config);
      const { code, out } = await run([
        'mesh',
        file,
        '--client-cert',
        d.file('tls.crt', pki.federator.chainPem),
        '--client-key',
        d.file('tls.key', pki.federator.keyPem),
        '--dns-server',
        full.dns.address,
      ]);
      expect(code).toBe(0);
      expect(out).toContain('3 backends, 6 links: 6 connected, 0 missing, 0 unknown');
      expect(out).toContain('Full mesh: users of all these backends can share conversations.');
    } finally {
      await full.close();
      d.cleanup();
    }
  }, 30_000);
});
