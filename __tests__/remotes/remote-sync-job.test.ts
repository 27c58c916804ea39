import { parse as parseYaml } from 'yaml';
import { WireFederationInput } from '../../lib/config';
import { baseInput, problemsOf, resourceAt, synthStack } from '../support/config';

const TEAM = '6f2a4b1c-9d3e-4f5a-8b7c-1d2e3f4a5b6c';
const peers: WireFederationInput['peers'] = [{ domain: 'b.example', searchPolicy: 'full_search', restrictToTeams: [TEAM] }, { domain: 'a.example' }];
const apiInput = (extra: Partial<WireFederationInput> = {}) => baseInput({ peers, remotes: { mode: 'api' }, ...extra });
const configList = (json: any) =>
  parseYaml(resourceAt(json, 'helm_release', 'Federation/WireServer/Resource').values[0]).brig.config.optSettings.setFederationDomainConfigs;

describe('RemoteSyncJob (remotes.mode api)', () => {
  const json = synthStack(apiInput());
  const job = resourceAt(json, 'kubernetes_job_v1', 'Federation/RemoteSync/Job');
  const script = resourceAt(json, 'kubernetes_config_map_v1', 'Federation/RemoteSync/Script');

  test('a Job runs the generated script from a ConfigMap, after wire-server, and Terraform waits for it', () => {
    expect(job.metadata.name).toMatch(/^wire-federation-remotes-[0-9a-f]{10}$/);
    expect(script.metadata.name).toBe(job.metadata.name);
    expect(job.metadata.namespace).toBe('wire');
    expect(job.wait_for_completion).toBe(true);
    const pod = job.spec.template.spec;
    expect(pod.container[0]).toMatchObject({ image: 'node:20-alpine', command: ['node', '/sync/sync.js'] });
    expect(pod.volume[0].config_map.name).toBe(job.metadata.name);
    expect(job.depends_on).toEqual([
      expect.stringMatching(/^helm_release\.Federation_WireServer_/),
      expect.stringMatching(/^kubernetes_config_map_v1\.Federation_RemoteSync_Script_/),
    ]);
  });

  test('the script carries the desired remotes with search policy and team restriction', () => {
    const source: string = script.data['sync.js'];
    const desired = JSON.parse(/const DESIRED = (\[[\s\S]*?\n\]);/.exec(source)![1]);
    expect(desired).toEqual([
      { domain: 'a.example', search_policy: 'no_search', restriction: { tag: 'allow_all', value: null } },
      { domain: 'b.example', search_policy: 'full_search', restriction: { tag: 'restrict_by_team', value: [TEAM] } },
    ]);
    expect(source).toContain('http://brig:8080');
  });

  test('the Job name changes when, and only when, the desired list changes', () => {
    const name = (input: WireFederationInput) => resourceAt(synthStack(input), 'kubernetes_job_v1', 'Federation/RemoteSync/Job').metadata.name;
    expect(name(apiInput({ peers: [...peers].reverse() }))).toBe(job.metadata.name);
    expect(name(apiInput({ ingress: { ipv4: '203.0.113.99' } }))).toBe(job.metadata.name);
    expect(name(apiInput({ peers: [{ ...peers[0], searchPolicy: 'no_search' }, peers[1]] }))).not.toBe(job.metadata.name);
  });

  test('the image is configurable (offline clusters)', () => {
    const json2 = synthStack(apiInput({ remotes: { mode: 'api', image: 'registry.local/node:20' } }));
    expect(resourceAt(json2, 'kubernetes_job_v1', 'Federation/RemoteSync/Job').spec.template.spec.container[0].image).toBe('registry.local/node:20');
  });

  test('team restrictions need the API', () => {
    expect(problemsOf(baseInput({ peers }))).toEqual([{ path: 'peers[0].restrictToTeams', message: expect.stringMatching(/^needs remotes.mode api/) }]);
  });
});

describe('migration to API-managed remotes: one config change per step', () => {
  const plain = peers.map(({ restrictToTeams: _t, ...p }) => p);
  test('step 1 (config): the deprecated list only, no Job', () => {
    const json = synthStack(baseInput({ peers: plain }));
    expect(configList(json)).toEqual([
      { domain: 'a.example', search_policy: 'no_search' },
      { domain: 'b.example', search_policy: 'full_search' },
    ]);
    expect(json.resource.kubernetes_job_v1).toBeUndefined();
  });

  test('step 2 (api + keepConfigList): the list stays while the Job writes the same remotes', () => {
    const json = synthStack(baseInput({ peers: plain, remotes: { mode: 'api', keepConfigList: true } }));
    expect(configList(json)).toHaveLength(2);
    expect(json.resource.kubernetes_job_v1).toBeDefined();
  });

  test('step 3 (api): the list is gone; brig keeps the remotes the Job wrote', () => {
    const json = synthStack(baseInput({ peers: plain, remotes: { mode: 'api' } }));
    expect(configList(json)).toBeUndefined();
    expect(json.resource.kubernetes_job_v1).toBeDefined();
  });

  test('the Job runs again from step 2 to step 3 (keepConfigList is part of its name), and step 2 copies every peer', () => {
    const step = (keepConfigList: boolean) => synthStack(baseInput({ peers, remotes: { mode: 'api', keepConfigList } }));
    const job2 = resourceAt(step(true), 'kubernetes_job_v1', 'Federation/RemoteSync/Job');
    const job3 = resourceAt(step(false), 'kubernetes_job_v1', 'Federation/RemoteSync/Job');
    expect(job2.metadata.name).toMatch(/^wire-federation-remotes-[0-9a-f]{10}$/);
    expect(job3.metadata.name).not.toBe(job2.metadata.name);
    const source = (json: any) => resourceAt(json, 'kubernetes_config_map_v1', 'Federation/RemoteSync/Script').data['sync.js'];
    expect(source(step(true))).toContain('"keepConfigList": true');
    expect(source(step(false))).toContain('"keepConfigList": false');
  });
});
