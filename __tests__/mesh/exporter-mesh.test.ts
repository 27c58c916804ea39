/**
 * The exporter measures the mesh each round (lib/verify/serve.ts + lib/mesh): against the partial
 * mesh of fake peers on 127.0.0.1, /metrics has one series per link between two peers (1 missing,
 * 0 connected; none for a link nobody could tell), label values only from the config, each peer's
 * answer kind; a link that appears clears its series; a peer that answers after the round
 * deadline does not hold the round up and is not counted as connected.
 */
import { RunningExporter, startExporter } from '../../lib/verify/serve';
import { MESH_METRIC_NAMES } from '../../lib/mesh/metrics';
import { meshOfRound, meshRoundExtra } from '../../lib/mesh/exporter';
import { MESH_GROUP } from '../../lib/verify/checks/mesh';
import { FakeFederation, FakeFederationPki, exporterOptionsFor, makeFederationPki, startFakeFederation } from '../support/fake-federation';
import { BETA, DELTA, EPSILON, GAMMA, MESH_US, PARTIAL_MESH, ZETA } from '../support/fake-mesh';
import { ParsedMetrics, parseMetrics, select, valueOf } from '../support/prometheus-text';

let pki: FakeFederationPki;
let federation: FakeFederation;
const exporters: RunningExporter[] = [];

beforeAll(async () => {
  pki = await makeFederationPki();
  federation = await startFakeFederation(pki, PARTIAL_MESH);
}, 60_000);

afterAll(async () => {
  await Promise.all(exporters.splice(0).map((e) => e.stop()));
  await federation?.close();
});

async function start(overrides: { roundDeadlineMs?: number; mesh?: boolean } = {}): Promise<RunningExporter> {
  const exporter = await startExporter({
    ...exporterOptionsFor(federation, pki, 4000, 3_600_000),
    roundDeadlineMs: overrides.roundDeadlineMs,
    extras: overrides.mesh === false ? [] : [meshRoundExtra()],
  });
  exporters.push(exporter);
  return exporter;
}

async function scrape(exporter: RunningExporter): Promise<ParsedMetrics> {
  return parseMetrics(await (await fetch(`${exporter.url}/metrics`)).text());
}

const missing = (m: ParsedMetrics): Record<string, number> =>
  Object.fromEntries(select(m, MESH_METRIC_NAMES.linkMissing).map((s) => [`${s.labels.from} → ${s.labels.to}`, s.value]));
const answer = (m: ParsedMetrics, peer: string): string[] =>
  select(m, MESH_METRIC_NAMES.peerAnswer, { peer })
    .filter((s) => s.value === 1)
    .map((s) => s.labels.answer);

describe('the exporter measures the mesh', () => {
  let exporter: RunningExporter;
  let metrics: ParsedMetrics;
  beforeAll(async () => {
    exporter = await start();
    await exporter.runRound();
    metrics = await scrape(exporter);
  }, 30_000);

  test('one series per link between two peers that answered: 1 missing, 0 connected', () => {
    const links = missing(metrics);
    expect(
      Object.entries(links)
        .filter(([, v]) => v === 1)
        .map(([k]) => k)
        .sort(),
    ).toEqual([`${GAMMA} → ${DELTA}`, `${ZETA} → ${GAMMA}`]);
    // beta, gamma and zeta answered: 3 × 4 links; delta (no endpoint) and epsilon (refuses us) have none.
    expect(Object.keys(links)).toHaveLength(12);
    expect(links[`${BETA} → ${GAMMA}`]).toBe(0);
    expect(Object.keys(links).some((k) => k.startsWith(DELTA) || k.startsWith(EPSILON))).toBe(false);
  });

  test("bounded cardinality: label values are configured peers only, never our domain or a peer's text", () => {
    const peers = new Set(PARTIAL_MESH.map((p) => p.domain));
    const series = select(metrics, MESH_METRIC_NAMES.linkMissing);
    expect(series.every((s) => peers.has(s.labels.from) && peers.has(s.labels.to) && s.labels.from !== s.labels.to)).toBe(true);
    expect(series.length).toBeLessThanOrEqual(peers.size * (peers.size - 1));
    expect(select(metrics, MESH_METRIC_NAMES.peerAnswer).every((s) => peers.has(s.labels.peer))).toBe(true);
    expect(series.some((s) => s.labels.to === MESH_US)).toBe(false);
  });

  test("each peer's answer kind; the links of the last round by state", () => {
    expect(answer(metrics, BETA)).toEqual(['answered']);
    expect(answer(metrics, DELTA)).toEqual(['no-endpoint']);
    expect(answer(metrics, EPSILON)).toEqual(['refused']);
    expect(answer(metrics, ZETA)).toEqual(['answered']);
    expect(valueOf(metrics, MESH_METRIC_NAMES.peerLastAnswer, { peer: BETA })).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(select(metrics, MESH_METRIC_NAMES.peerLastAnswer, { peer: DELTA })).toEqual([]);
    expect(Object.fromEntries(select(metrics, MESH_METRIC_NAMES.links).map((s) => [s.labels.state, s.value]))).toEqual({
      connected: 19,
      missing: 3,
      unknown: 8,
    });
    expect(meshOfRound(exporter.lastRound)?.links).toHaveLength(30);
  });

  test('a link that appears clears its series (gamma adds delta)', async () => {
    await federation.replacePeer({ domain: GAMMA, kind: 'healthy', federatesWith: [BETA, DELTA, EPSILON, ZETA] });
    await exporter.runRound();
    const after = missing(await scrape(exporter));
    expect(after[`${GAMMA} → ${DELTA}`]).toBe(0);
    expect(after[`${ZETA} → ${GAMMA}`]).toBe(1);
  }, 30_000);
});

describe('the mesh within the round deadline', () => {
  afterAll(async () => {
    await federation.replacePeer(PARTIAL_MESH.find((p) => p.domain === BETA)!);
  });

  test('a peer whose brig answers after the deadline is unreachable, no series for its links, the round ends in time', async () => {
    await federation.replacePeer({
      domain: BETA,
      kind: 'healthy',
      mesh: { status: 200, body: '{"non_connected_backends":[]}', contentType: 'application/json', delayMs: 6_000 },
    });
    const exporter = await start({ roundDeadlineMs: 1_500 });
    const round = await exporter.runRound();
    expect(round.durationSeconds).toBeLessThan(4);
    expect(meshOfRound(round)?.missedDeadline).toEqual([BETA]);
    expect(
      meshOfRound(round)
        ?.links.filter((l) => l.from === BETA)
        .every((l) => l.state === 'unknown'),
    ).toBe(true);
    const m = await scrape(exporter);
    expect(answer(m, BETA)).toEqual(['unreachable']);
    expect(Object.keys(missing(m)).some((k) => k.startsWith(BETA))).toBe(false);
  }, 30_000);

  test("the registry's mesh metrics name the round extra that feeds them", () => {
    expect(MESH_GROUP.fedByRoundExtra).toBe(meshRoundExtra().name);
  });

  test('without the mesh extra the exporter asks nothing', async () => {
    const exporter = await start({ mesh: false });
    const round = await exporter.runRound();
    expect(meshOfRound(round)).toBeUndefined();
    expect(select(await scrape(exporter), MESH_METRIC_NAMES.linkMissing)).toEqual([]);
  }, 30_000);
});
