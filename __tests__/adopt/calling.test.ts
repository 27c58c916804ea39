/**
 * A running coturn and sftd are adopted, never installed twice: the plan keeps their operator
 * values, drops what the calling config owns (the federation listener, the whitelist, the CA
 * bundle, the allowlist, the TURN secret), records the imports (format 4); the stack imports
 * them; preflight refuses them unadopted; the record rules know them.
 */
import { Testing } from 'cdktf';
import { planAdoption } from '../../lib/adopt/plan';
import { recordFormatOf, renderAdoptionRecord } from '../../lib/config/adoption/record';
import { commandHint } from '../../lib/config/command-hint';
import { adoptionRecordProblems } from '../../lib/config/adoption/record-rules';
import { preflightFindings } from '../../lib/preflight/preflight';
import { FederationStack } from '../../stacks/federation-stack';
import { callingInput } from '../support/calling';
import { parse } from '../support/config';

const FILES = {
  wireServer: 'adopted/test/wire-server.yaml',
  nginxIngressServices: 'adopted/test/nginx-ingress-services.yaml',
  coturn: 'adopted/test/coturn.yaml',
  sftd: 'adopted/test/sftd.yaml',
};
const wireRunning = {
  brig: { config: { optSettings: { setFederationDomain: 'example.com' } } },
  galley: { config: { settings: { federationDomain: 'example.com' } } },
  cargohold: { config: { settings: { federationDomain: 'example.com' } } },
};
const coturnRunning = {
  coturnTurnListenIP: '__COTURN_HOST_IP__',
  secrets: { zrestSecrets: ['turn-secret-1'] },
  federate: { enabled: true, port: 9191, dtls: { enabled: true, remoteWhitelist: [{ host: 'coturn.old.example' }] } },
  ratelimit: { allowlist: ['192.0.2.1'] },
  tls: { enabled: true, secretRef: 'coturn-tls' },
};
const sftdRunning = {
  host: 'sftd.example.com',
  allowOrigin: 'https://webapp.example.com',
  multiSFT: { enabled: true, discoveryRequired: true, turnDiscoveryURL: 'https://x', secret: 'turn-secret-1' },
};

describe('adopting a running coturn and sftd', () => {
  const config = parse(callingInput());

  test('the plan keeps the operator values, drops what calling owns, never writes the TURN secret, records the imports', () => {
    const plan = planAdoption({
      config,
      running: {
        wireServer: { values: wireRunning, exists: true },
        coturn: { values: coturnRunning, exists: true, chartVersion: '0.0.43', revision: 3 },
        sftd: { values: sftdRunning, exists: true, chartVersion: '0.0.43' },
      },
      valuesFiles: FILES,
    });
    expect(plan.findings.filter((f) => f.level === 'error')).toEqual([]);
    const coturn = plan.valuesFiles.find((f) => f.release === 'coturn')!.content;
    expect(coturn).toContain('coturnTurnListenIP: __COTURN_HOST_IP__');
    expect(coturn).toContain('secretRef: coturn-tls');
    expect(coturn).not.toMatch(/turn-secret|zrestSecrets|federate|ratelimit/);
    const sftd = plan.valuesFiles.find((f) => f.release === 'sftd')!.content;
    expect(sftd).toContain('host: sftd.example.com');
    // multiSFT.enabled, discoveryRequired and turnServerURI are the calling config's; the secret never stays
    expect(sftd).not.toMatch(/turn-secret|enabled|discoveryRequired|secret:/);
    expect(plan.ownedSecrets.filter((s) => s.release !== 'wireServer').map((s) => [s.release, s.path])).toEqual([
      ['coturn', 'secrets.zrestSecrets'],
      ['sftd', 'multiSFT.secret'],
    ]);
    expect(plan.ownedSecrets.find((s) => s.release === 'coturn')!.passAs).toContain("brig's secrets.turn.secret");
    // What the calling config changes on the running releases is shown (the whitelist, discovery).
    expect(plan.changes.filter((c) => c.release !== 'wireServer').map((c) => [c.release, c.path])).toEqual(
      expect.arrayContaining([
        ['coturn', 'federate.dtls.remoteWhitelist'],
        ['coturn', 'ratelimit.allowlist'],
        ['sftd', 'multiSFT.discoveryRequired'],
      ]),
    );
    const record = plan.record!;
    expect(record.releases.coturn).toEqual({ import: 'wire/coturn', chartVersion: '0.0.43', revision: 3, valuesFile: FILES.coturn, sensitiveValues: [] });
    expect(record.releases.sftd).toMatchObject({ import: 'wire/sftd', valuesFile: FILES.sftd });
    expect(record.format).toBe(4);
    expect(recordFormatOf({ releases: { wireServer: record.releases.wireServer }, supportReleases: {} })).toBe(2);
    expect(renderAdoptionRecord(record)).not.toContain('turn-secret');
  });

  test('not running: a warning that the first deploy installs it', () => {
    const plan = planAdoption({ config, running: { wireServer: { values: wireRunning, exists: true } }, valuesFiles: FILES });
    expect(plan.findings.filter((f) => f.rule === 'adopt-release').map((f) => f.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('no running coturn release wire/coturn: the first deploy installs it'),
        expect.stringContaining('no running sftd release wire/sftd'),
      ]),
    );
  });

  test('the stack imports the recorded coturn and sftd releases', () => {
    const record = {
      format: 4,
      environment: 'test',
      backendDomain: 'example.com',
      releases: { coturn: { import: 'wire/coturn', sensitiveValues: [] }, sftd: { import: 'wire/sftd', sensitiveValues: [] } },
      supportReleases: {},
      dnsRecords: {},
    };
    const adopted = { ...config, adoption: { record, imports: { releases: { coturn: 'wire/coturn', sftd: 'wire/sftd' }, dnsRecords: {} } } };
    const json = JSON.parse(Testing.synth(new FederationStack(Testing.app(), { config: adopted })));
    const imports = (json.import ?? []) as { to: string; id: string }[];
    expect(imports.map((i) => [i.to.replace(/_[0-9A-F]{8}$/, ''), i.id]).sort()).toEqual([
      ['helm_release.Federation_Calling_Coturn', 'wire/coturn'],
      ['helm_release.Federation_Calling_Sftd', 'wire/sftd'],
    ]);
  });

  test('preflight: a running coturn or sftd without an adoption record is refused', () => {
    const releases = [
      { name: 'coturn', namespace: 'wire', chart: 'coturn', chartVersion: '0.0.43', status: 'deployed' },
      { name: 'sftd', namespace: 'wire', chart: 'sftd', chartVersion: '0.0.43', status: 'deployed' },
    ];
    const findings = preflightFindings({ config, releases, command: commandHint({ target: 'test' }) });
    expect(findings.filter((f) => f.rule === 'preflight-unadopted-release').map((f) => f.message)).toEqual([
      expect.stringMatching(/^release wire\/coturn \(chart coturn 0\.0\.43, deployed\) already runs/),
      expect.stringMatching(/^release wire\/sftd \(chart sftd 0\.0\.43, deployed\) already runs/),
    ]);
    // coturn under another release name in the namespace: a second one would be installed beside it.
    const renamed = preflightFindings({ config, releases: [{ ...releases[0], name: 'turn' }], command: commandHint({ target: 'test' }) });
    expect(renamed.map((f) => f.rule)).toContain('preflight-release-name');
  });

  test('record rules: a recorded coturn the config no longer installs, a downgrade', () => {
    const record = {
      format: 4,
      environment: 'test',
      backendDomain: 'example.com',
      releases: { coturn: { import: 'wire/coturn', chartVersion: '9.0.0', sensitiveValues: [] } },
      supportReleases: {},
      dnsRecords: {},
    };
    const downgrade = adoptionRecordProblems(parse(callingInput()), record, 'adopted/test.json', commandHint({ target: 'test' }));
    expect(downgrade.problems).toEqual([expect.objectContaining({ path: 'charts.coturn.version', rule: 'adoption-downgrade' })]);
    const { charts } = callingInput();
    const without = parse({ ...callingInput({ calling: { enabled: false } }), charts: { ...charts, coturn: undefined, sftd: undefined } });
    const gone = adoptionRecordProblems(without, record, 'adopted/test.json', commandHint({ target: 'test' }));
    expect(gone.problems).toEqual([
      expect.objectContaining({
        path: 'charts.coturn',
        rule: 'adoption-release',
        message: expect.stringContaining('imports the running coturn release wire/coturn'),
      }),
    ]);
  });
});
