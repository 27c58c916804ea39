/**
 * The pure parts of adoption: the running backend domain, the plan (what is kept, dropped,
 * listed as secret), the DNS decision, and the adoption record in the config.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dnsAdoption } from '../../lib/adopt/cloudflare';
import { domainFindings, runningDomain } from '../../lib/adopt/domain';
import { adoptionRecordProblems } from '../../lib/config/adoption/record-rules';
import { commandHint } from '../../lib/config/command-hint';
import { planAdoption } from '../../lib/adopt/plan';
import { baseInput, parse, problemsOf } from '../support/config';

const wireValues = (domains: [string?, string?, string?, string?], extra: Record<string, unknown> = {}): Record<string, any> => {
  const [brig, galley, cargohold, bw] = domains;
  const v: Record<string, any> = {
    brig: { config: { optSettings: {} } },
    galley: { config: { settings: {} } },
    cargohold: { config: { settings: {} } },
    'background-worker': { config: {} },
    ...extra,
  };
  if (brig !== undefined) v.brig.config.optSettings.setFederationDomain = brig;
  if (galley !== undefined) v.galley.config.settings.federationDomain = galley;
  if (cargohold !== undefined) v.cargohold.config.settings.federationDomain = cargohold;
  if (bw !== undefined) v['background-worker'].config.federationDomain = bw;
  return v;
};
const FILES = { wireServer: 'adopted/test/wire-server.yaml', nginxIngressServices: 'adopted/test/nginx-ingress-services.yaml' };

describe('running backend domain', () => {
  test('compliant: the four places agree (case and trailing dot do not matter)', () => {
    const running = runningDomain(wireValues(['example.com', 'Example.com', 'example.com.', 'example.com']));
    expect(running.domain).toBe('example.com');
    expect(domainFindings(running, 'example.com')).toEqual([]);
  });

  test('noncompliant 1: differs from the config', () => {
    const f = domainFindings(runningDomain(wireValues(['old.example.com', 'old.example.com', 'old.example.com', 'old.example.com'])), 'example.com');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ level: 'error', rule: 'adopt-backend-domain' });
    expect(f[0].message).toContain('set backendDomain to "old.example.com"');
  });

  test('noncompliant 2: two domains across the places', () => {
    const running = runningDomain(wireValues(['example.com', 'example.com', 'example.net', 'example.com']));
    expect(running.domain).toBeUndefined();
    expect(domainFindings(running, 'example.com')[0].message).toContain('cargohold.config.settings.federationDomain = "example.net"');
  });

  test('noncompliant 3: set nowhere', () => {
    expect(domainFindings(runningDomain(wireValues([])), 'example.com')[0].message).toMatch(/in none of its 4 places/);
  });

  test('a place left unset (an old chart without background-worker) is a warning, the rest must agree', () => {
    const running = runningDomain(wireValues(['example.com', 'example.com', 'example.com']));
    expect(running.domain).toBe('example.com');
    expect(domainFindings(running, 'example.com')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('background-worker.config.federationDomain is not set') }),
    ]);
  });
});

describe('planAdoption', () => {
  const config = parse(baseInput());
  const running = wireValues(['example.com', 'example.com', 'example.com', 'example.com'], {
    brig: {
      config: { optSettings: { setFederationDomain: 'example.com', setFederationStrategy: 'allowAll' }, smtp: { host: 'smtp' } },
      secrets: { smtpPassword: 'pw-1', rabbitmq: { username: 'u', password: 'pw-2' } },
    },
    spar: { config: { domain: 'x' }, secrets: { something: 'pw-3' } },
  });

  test("keeps the operator's values, drops owned keys and secrets, lists operator secrets only", () => {
    const plan = planAdoption({ config, running: { wireServer: { values: running, exists: true } }, valuesFiles: FILES });
    expect(plan.refused).toBe(false);
    expect(plan.sensitive.wireServer).toEqual(['brig.secrets.smtpPassword', 'spar.secrets.something']);
    expect(plan.ownedSecrets.map((s) => s.path)).toEqual(['brig.secrets.rabbitmq.username', 'brig.secrets.rabbitmq.password']);
    expect(plan.changes).toEqual([
      { release: 'wireServer', path: 'brig.config.optSettings.setFederationStrategy', from: '"allowAll"', to: '"allowDynamic"' },
      // from 5.30.0 background-worker takes galley's domain: its own copy is a duplicate to drop (chart facts)
      { release: 'wireServer', path: 'background-worker.config.federationDomain', from: '"example.com"', to: '(dropped: wire-server 5.32.0 does not read it)' },
    ]);
    const content = plan.valuesFiles.find((f) => f.release === 'wireServer')!.content;
    expect(content).toContain('smtp');
    expect(content).not.toMatch(/pw-|setFederation|federationDomain|rabbitmq/);
    expect(plan.record).toMatchObject({
      backendDomain: 'example.com',
      releases: { wireServer: { import: 'wire/wire-server', valuesFile: FILES.wireServer } },
      dnsRecords: {},
    });
    // No nginx-ingress-services release: it will be installed, and adopt says so.
    expect(plan.record!.releases.nginxIngressServices).toBeUndefined();
    expect(plan.findings).toEqual([expect.objectContaining({ rule: 'adopt-release', message: expect.stringContaining('the first deploy installs it') })]);
  });

  test('a secret inside a list cannot be passed by path: refused', () => {
    const values = { ...running, brig: { ...running.brig, config: { ...running.brig.config, users: [{ name: 'a', password: 'pw-4' }] } } };
    const plan = planAdoption({ config, running: { wireServer: { values, exists: true } }, valuesFiles: FILES });
    expect(plan.refused).toBe(true);
    expect(plan.findings.find((f) => f.level === 'error')?.message).toContain('brig.config.users holds secrets inside a list');
    expect(plan.valuesFiles).toEqual([]);
  });

  test('a running chart newer than the pinned one: the record carries it, and the record rules call the downgrade an error', () => {
    const plan = planAdoption({ config, running: { wireServer: { values: running, exists: true, chartVersion: '5.40.0', revision: 12 } }, valuesFiles: FILES });
    expect(plan.record?.releases.wireServer).toMatchObject({ chartVersion: '5.40.0', revision: 12 });
    const checked = adoptionRecordProblems(config, plan.record!, 'adopted/test.json', commandHint({ target: 'test' }));
    expect(checked.problems.map((p) => `${p.rule} ${p.path}: ${p.message}`)).toEqual([
      expect.stringContaining(
        'adoption-downgrade charts.wireServer.version: is 5.32.0, but wire-server 5.40.0 runs (adoption record adopted/test.json, revision 12): the first deploy would DOWNGRADE it',
      ),
    ]);
  });
});

describe('dnsAdoption', () => {
  const config = parse(baseInput({ ingress: { ipv4: '203.0.113.10', ipv6: '2001:db8::10' } }));
  const zoneA = config.dns.provider === 'cloudflare' ? config.dns.infrastructureZoneId : '';
  test('the record that already matches is preferred among duplicates; the other is a warning', () => {
    const found = new Map([
      [
        'a' as const,
        [
          { id: 'b'.repeat(32), name: 'federator.wire.example.org', type: 'A', content: '203.0.113.99' },
          { id: 'c'.repeat(32), name: 'FEDERATOR.wire.example.org.', type: 'A', content: '203.0.113.10' },
        ],
      ],
    ]);
    const r = dnsAdoption(config, found);
    expect(r.imports).toEqual({ a: `${zoneA}/${'c'.repeat(32)}` });
    expect(r.findings.map((f) => f.message)).toEqual([
      expect.stringContaining(`a second A record federator.wire.example.org → 203.0.113.99 exists (id ${'b'.repeat(32)})`),
    ]);
    expect(r.report).toContain('AAAA federator.wire.example.org: none exists, created by the first deploy (2001:db8::10)');
  });
});

describe('adoptionFile in the config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wfc-adopt-record-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the record adds its values file first and its secret paths, and exposes the import ids', () => {
    writeFileSync(join(dir, 'ws.yaml'), 'brig:\n  replicaCount: 3\n');
    writeFileSync(
      join(dir, 'r.json'),
      JSON.stringify({
        environment: 'test',
        backendDomain: 'example.com',
        releases: { wireServer: { import: 'wire/wire-server', valuesFile: join(dir, 'ws.yaml'), sensitiveValues: ['brig.secrets.smtpPassword'] } },
      }),
    );
    const config = parse(
      baseInput({
        adoptionFile: join(dir, 'r.json'),
        charts: { wireServer: { version: '5.32.0', sensitiveValues: ['brig.secrets.turn.secret'] }, nginxIngressServices: { version: '5.32.0' } },
      }),
    );
    expect(config.charts.wireServer.valuesFiles).toEqual([join(dir, 'ws.yaml')]);
    expect(config.charts.wireServer.sensitiveValues).toEqual(['brig.secrets.turn.secret', 'brig.secrets.smtpPassword']);
    expect(config.charts.wireServer.operatorValues).toEqual({ brig: { replicaCount: 3 } });
    expect(config.adoption?.imports).toEqual({ releases: { wireServer: 'wire/wire-server' }, dnsRecords: {} });
  });

  test('a record of another environment or domain is a config problem', () => {
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ environment: 'test', backendDomain: 'other.example.com' }));
    expect(problemsOf(baseInput({ adoptionFile: join(dir, 'other.json') }))).toEqual([
      expect.objectContaining({
        path: 'adoptionFile',
        message: expect.stringContaining(
          'records environment test with backend domain "other.example.com", but this is environment test with backend domain "example.com"',
        ),
      }),
    ]);
  });

  test('a malformed import id is a config problem naming the field', () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ environment: 'test', backendDomain: 'example.com', dnsRecords: { srv: 'not-an-id' } }));
    expect(problemsOf(baseInput({ adoptionFile: join(dir, 'bad.json') }))[0].message).toContain(
      'dnsRecords.srv must be a Cloudflare record import id "<zone_id>/<record_id>"; received "not-an-id"',
    );
  });
});
