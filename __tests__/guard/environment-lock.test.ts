import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { FederationConfigError } from '../../lib/config';
import { lockFor, lockProblems } from '../../lib/guard/environment-lock';
import { readLock, writeLock } from '../../lib/guard/lock-file';
import { addEnvironments } from '../../stacks/app';
import { repositoryProject } from '../../stacks/cli';
import { domainPinAddress, logicalIdOf } from '../../lib/guard/pin-address';
import { OPERATOR_VALUES, PEER_CA_PEM, REPO_ROOT, baseInput, parse } from '../support/config';

/** Charts with an operator values file: only the lock findings show. */
const WITH_VALUES = { wireServer: { version: '5.32.0', valuesFiles: [OPERATOR_VALUES] }, nginxIngressServices: { version: '5.32.0' } };

describe('environment lock', () => {
  const config = parse(baseInput({ peers: [{ domain: 'b.example' }, { domain: 'a.example' }] }));

  test('records the backend domain and the sorted peers; keeps peers of the previous lock', () => {
    expect(lockFor(config)).toEqual({ environment: 'test', backendDomain: 'example.com', peers: ['a.example', 'b.example'] });
    expect(lockFor(config, { environment: 'test', backendDomain: 'example.com', peers: ['old.example'] }).peers).toEqual([
      'a.example',
      'b.example',
      'old.example',
    ]);
  });

  test('compliant: the config matches its lock', () => {
    expect(lockProblems(config, lockFor(config))).toEqual([]);
  });

  test('noncompliant: a changed backend domain explains why and how to proceed', () => {
    const [problem] = lockProblems(parse(baseInput({ backendDomain: 'other.example' })), lockFor(config));
    expect(problem.path).toBe('backendDomain');
    expect(problem.message).toMatch(/^is "other.example", but environment test is locked to "example.com"/);
    expect(problem.message).toMatch(/cannot change once users exist: clients may crash or lose data/);
    expect(problem.message).toMatch(/no users yet.*`npx wire-federation lock test --reset-domain`/);
  });

  test('the fix names the state address of the pin, as it is in the synthesized JSON', () => {
    const [problem] = lockProblems(parse(baseInput({ backendDomain: 'other.example' })), lockFor(config));
    const address = /`terraform state rm '([^']+)'`/.exec(problem.message)?.[1];
    expect(address).toBe('terraform_data.Federation_DomainPin_238574C0');
    const synthesized = repositoryProject.synthesize!('staging') as { resource: Record<string, Record<string, unknown>> };
    const [type, name] = address!.split('.');
    expect(Object.keys(synthesized.resource[type])).toEqual([name]);
    // Every stack puts the WireFederation at the same path below the stack: the same address.
    expect(domainPinAddress()).toBe(address);
    expect(logicalIdOf(['Federation', 'DomainPin', 'Resource'])).toBe(name);
  });

  test('noncompliant (api mode): a peer removed from the config without acknowledgement', () => {
    const apiConfig = (peers: { domain: string }[], removedPeers: string[] = []) => parse(baseInput({ peers, remotes: { mode: 'api', removedPeers } }));
    const lock = lockFor(apiConfig([{ domain: 'a.example' }, { domain: 'b.example' }]));
    const problems = lockProblems(apiConfig([{ domain: 'a.example' }]), lock);
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('peers');
    expect(problems[0].message).toMatch(/no longer lists b.example.*its API has no delete.*"Removing a peer".*remotes.removedPeers/);
    expect(lockProblems(apiConfig([{ domain: 'a.example' }], ['b.example']), lock)).toEqual([]);
  });

  test('config mode: a removed peer simply leaves the values', () => {
    const lock = lockFor(parse(baseInput({ peers: [{ domain: 'a.example' }, { domain: 'b.example' }] })));
    expect(lockProblems(parse(baseInput({ peers: [{ domain: 'a.example' }] })), lock)).toEqual([]);
  });

  test('lock files are written for review and read back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-locks-'));
    const file = writeLock(dir, { environment: 'test', backendDomain: 'example.com', peers: ['b', 'a'] });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "environment": "test",\n  "backendDomain": "example.com",\n  "peers": [\n    "a",\n    "b"\n  ]\n}\n');
    expect(readLock(dir, 'test')).toEqual({ environment: 'test', backendDomain: 'example.com', peers: ['a', 'b'] });
    expect(readLock(dir, 'absent')).toBeUndefined();
  });

  test('synth fails on a changed domain; warns when an environment has no lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-locks-'));
    writeLock(dir, lockFor(config));
    expect(() => addEnvironments(Testing.app(), [baseInput({ backendDomain: 'changed.example' })], REPO_ROOT, { locksDir: dir })).toThrow(
      FederationConfigError,
    );
    expect(() => addEnvironments(Testing.app(), [baseInput({ backendDomain: 'changed.example' })], REPO_ROOT, { locksDir: dir })).toThrow(
      /test:backendDomain: is "changed.example", but environment test is locked to "example.com"/,
    );
    const [stack] = addEnvironments(Testing.app(), [baseInput({ environment: 'fresh', charts: WITH_VALUES })], REPO_ROOT, { locksDir: dir });
    expect(stack.node.metadata.map((m) => m.data)).toEqual([
      expect.stringMatching(/^\[lock-missing\] environment fresh has no lock file.*npx wire-federation lock fresh/),
    ]);
  });

  test('synth fails when a locked peer disappears (api mode), and warns about peers the lock does not record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wfc-locks-'));
    const withPeers = (peers: { domain: string }[]) =>
      baseInput({ peers: peers.map((p) => ({ ...p, caCertificates: [{ pem: PEER_CA_PEM }] })), remotes: { mode: 'api' }, charts: WITH_VALUES });
    writeLock(dir, lockFor(parse(withPeers([{ domain: 'a.example' }, { domain: 'b.example' }]))));
    expect(() => addEnvironments(Testing.app(), [withPeers([{ domain: 'a.example' }])], REPO_ROOT, { locksDir: dir })).toThrow(
      /test:peers: no longer lists b.example, which environment test federated with/,
    );
    const [stack] = addEnvironments(Testing.app(), [withPeers([{ domain: 'a.example' }, { domain: 'b.example' }, { domain: 'c.example' }])], REPO_ROOT, {
      locksDir: dir,
    });
    expect(stack.node.metadata.map((m) => m.data)).toEqual([
      expect.stringMatching(
        /^\[lock-peers-unrecorded\] peers: the lock of environment test does not record the peers c.example: run `npx wire-federation lock test`/,
      ),
    ]);
  });

  test('two environments with the same backend domain are refused', () => {
    expect(() => addEnvironments(Testing.app(), [baseInput({ environment: 'one' }), baseInput({ environment: 'two' })], REPO_ROOT)).toThrow(
      /two:backendDomain: example.com is also the backend domain of environment one/,
    );
  });
});
