/**
 * `wire-federation check-pairs`: the repository's environments, --config files, exit codes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../../bin/cli';
import { repositoryProject } from '../../stacks/cli';
import { baseInput } from '../support/config';
import type { WireFederationInput } from '../../lib/config';

async function run(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { writeOut: (t) => (out += t), writeErr: (t) => (err += t) }, repositoryProject);
  return { code, out, err };
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'wire-federation-check-pairs-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeEnv(file: string, name: string, overrides: Partial<WireFederationInput>): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify(
      baseInput({
        environment: name,
        backendDomain: `${name}.example.com`,
        federatorDomain: `federator.${name}.example.com`,
        peers: [],
        ...overrides,
      }),
    ),
  );
  return path;
}

describe('check-pairs', () => {
  test('the environments of this repository agree: exit 0 with a success summary', async () => {
    const { code, out, err } = await run(['check-pairs']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(out).toBe('✔ 5 environments: every federating pair agrees\n');
  });

  test('--config files with a one-sided pair: exit 1 with the finding', async () => {
    const a = writeEnv('a.yaml', 'a', { peers: [{ domain: 'b.example.com', caCertificates: [{ environment: 'b' }] }] });
    const b = writeEnv('b.yaml', 'b', {});
    const { code, out, err } = await run(['check-pairs', '--config', a, '--config', b]);
    expect({ code, err }).toEqual({ code: 1, err: '' });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `✖ a (a.example.com) lists b (b.example.com) as a peer (peers[0] in ${a}), but b does not list a.example.com and its federation.strategy is allowDynamic, so b refuses a. ` +
        `To federate, add {domain: 'a.example.com', caCertificates: [{environment: 'a'}]} to peers in ${b}; otherwise remove peers[0] in ${a}.`,
    );
    expect(lines[1]).toBe('✖ 2 environments: 1 error');
  });

  test('--config files with different search policies: warnings only, exit 0', async () => {
    const a = writeEnv('wa.yaml', 'a', { peers: [{ domain: 'b.example.com', searchPolicy: 'full_search', caCertificates: [{ environment: 'b' }] }] });
    const b = writeEnv('wb.yaml', 'b', { peers: [{ domain: 'a.example.com', caCertificates: [{ environment: 'a' }] }] });
    const { code, out } = await run(['check-pairs', '--config', a, '--config', b]);
    expect(code).toBe(0);
    expect(out).toMatch(/^⚠ a \(a\.example\.com\) lets users of b search with full_search .*\n✔ 2 environments: every federating pair agrees \(1 warning\)\n$/);
  });

  test('an invalid config file prints its problems and exits 2', async () => {
    const good = writeEnv('good.yaml', 'good', {});
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...baseInput(), federatorDomain: 'Not A Domain' }));
    const { code, out, err } = await run(['check-pairs', '--config', good, '--config', bad]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/^Invalid federation config in .*bad\.json \(1 problem\):\n {2}federatorDomain: /);
  });

  test('an unreadable file exits 2', async () => {
    const { code, out, err } = await run(['check-pairs', '--config', join(dir, 'missing.yaml')]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/missing\.yaml.*\n.*cannot read the config file \(ENOENT\)/);
  });

  test('two files with the same environment name exit 2', async () => {
    const a = writeEnv('same1.yaml', 'same', {});
    const b = writeEnv('same2.yaml', 'same', { backendDomain: 'other.example.com' });
    const { code, err } = await run(['check-pairs', '--config', a, '--config', b]);
    expect(code).toBe(2);
    expect(err).toBe(`error: environment same is defined in both ${a} and ${b}; every environment needs its own name and backend domain\n`);
  });

  test('--help documents the option and the exit codes', async () => {
    const { code, out } = await run(['check-pairs', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--config <file>');
    expect(out).toContain('Exit codes: 0');
  });
});
