/**
 * `wire-federation lock`, in process, always with `--locks-dir <tmp>` (the repository's lock
 * files are never touched): writes reviewable lock files, is idempotent, refuses a changed backend
 * domain unless `--reset-domain` is given.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../bin/config-source';
import { environments } from '../../stacks/environments';
import { cli, lines } from '../support/cli';

let root: string;
let n = 0;
/** A fresh, not yet existing locks directory. */
const locksDir = (): string => join(root, `locks-${++n}`);

/** The lock file `lock` must write for `env` (peers of the config plus `keep`, sorted, one per line). */
function expectedLock(env: string, keep: string[] = []): string {
  const config = loadConfig(env, undefined);
  const peers = [...new Set([...keep, ...config.peers.map((p) => p.domain)])].sort();
  // The ingress chart is recorded when it is not the default (staging runs wire-ingress).
  const chart = config.ingress.chart === 'nginx-ingress-services' ? {} : { ingressChart: config.ingress.chart };
  return `${JSON.stringify({ environment: env, backendDomain: config.backendDomain, ...chart, peers }, null, 2)}\n`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'wfc-cli-lock-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('lock', () => {
  test("a config file: locks/ beside it by default, --locks-dir elsewhere; a changed domain names the file, the pin's state address and --locks-dir", async () => {
    const dir = join(root, 'consumer');
    mkdirSync(dir);
    const acme = join(dir, 'acme.yaml');
    const yaml = (domain: string): string =>
      `environment: acme\nbackendDomain: ${domain}\nfederatorDomain: federator.${domain}\ngreenfield: true\ningress: {ipv4: 203.0.113.1}\n` +
      'dns: {backendZoneId: "0123456789abcdef0123456789abcdef", infrastructureZoneId: "0123456789abcdef0123456789abcdef"}\n' +
      'charts: {wireServer: {version: "5.32.0"}, nginxIngressServices: {version: "5.32.0"}}\n';
    writeFileSync(acme, yaml('acme.example.org'));
    expect(await cli(['lock', acme])).toEqual({ code: 0, out: `✔ ${acme}: wrote ${join(dir, 'locks', 'acme.json')}\n`, err: '' });
    const elsewhere = locksDir();
    expect(await cli(['lock', acme, '--locks-dir', elsewhere])).toEqual({ code: 0, out: `✔ ${acme}: wrote ${join(elsewhere, 'acme.json')}\n`, err: '' });
    writeFileSync(acme, yaml('other.example.org'));
    const refused = await cli(['lock', acme, '--locks-dir', elsewhere]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`run \`npx wire-federation lock ${acme} --reset-domain --locks-dir ${elsewhere}\``);
    expect(refused.err).toContain("`terraform state rm 'terraform_data.Federation_DomainPin_238574C0'`");
    expect(refused.err).toContain(`(${join(elsewhere, 'acme.json')})`);
  });

  test('lock staging writes the lock file; a second run rewrites the same bytes', async () => {
    const dir = locksDir();
    const file = join(dir, 'staging.json');
    const first = await cli(['lock', 'staging', '--locks-dir', dir]);
    expect(first).toEqual({ code: 0, out: `✔ staging: wrote ${file}\n`, err: '' });
    const content = readFileSync(file, 'utf8');
    expect(content).toBe(expectedLock('staging'));
    expect(JSON.parse(content)).toEqual({
      environment: 'staging',
      backendDomain: 'staging.wire.example.com',
      ingressChart: 'wire-ingress',
      peers: expect.arrayContaining(['wire.acme.test']),
    });

    const second = await cli(['lock', 'staging', '--locks-dir', dir]);
    expect(second).toEqual({ code: 0, out: `✔ staging: updated ${file}\n`, err: '' });
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(readdirSync(dir)).toEqual(['staging.json']);
  });

  test('peers of the previous lock are kept (brig never forgets a remote)', async () => {
    const dir = locksDir();
    await cli(['lock', 'staging', '--locks-dir', dir]);
    const file = join(dir, 'staging.json');
    const previous = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...previous, peers: ['gone.example.net', ...previous.peers] }));
    const { code } = await cli(['lock', 'staging', '--locks-dir', dir]);
    expect(code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(expectedLock('staging', ['gone.example.net']));
  });

  test('no environment: exit 2, nothing written', async () => {
    const dir = locksDir();
    const { code, out, err } = await cli(['lock', '--locks-dir', dir]);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(lines(err)).toEqual(['error: name the config files or environments to lock, or give --all']);
    expect(existsSync(dir)).toBe(false);
  });

  test('an unknown environment: exit 2, nothing written', async () => {
    const dir = locksDir();
    const { code, err } = await cli(['lock', 'unknown-env', '--locks-dir', dir]);
    expect(code).toBe(2);
    expect(lines(err)).toEqual([expect.stringMatching(/^error: unknown environment "unknown-env"; known: /)]);
    expect(existsSync(dir)).toBe(false);
  });

  describe('a lock whose backend domain differs from the config', () => {
    const handWritten = '{"environment":"staging","backendDomain":"old.staging.example.com","peers":["gone.example.net","wire.acme.test"]}';
    let dir: string;
    let file: string;

    beforeAll(() => {
      dir = locksDir();
      mkdirSync(dir);
      file = join(dir, 'staging.json');
      writeFileSync(file, handWritten);
    });

    test('lock staging refuses: exit 1, the explanation on stderr, the file unchanged', async () => {
      const { code, out, err } = await cli(['lock', 'staging', '--locks-dir', dir]);
      expect({ code, out }).toEqual({ code: 1, out: '' });
      expect(err).toMatch(/^✖ staging: backendDomain is "staging\.wire\.example\.com", but environment staging is locked to "old\.staging\.example\.com"/);
      expect(err).toContain('cannot change once users exist');
      expect(err).toContain('wire-federation lock staging --reset-domain');
      expect(lines(err)).toHaveLength(1);
      expect(readFileSync(file, 'utf8')).toBe(handWritten);
    });

    test('with --reset-domain: exit 0 and the file records the new domain (and starts over with the peers)', async () => {
      const { code, out, err } = await cli(['lock', 'staging', '--reset-domain', '--locks-dir', dir]);
      expect({ code, err }).toEqual({ code: 0, err: '' });
      expect(out).toBe(`✔ staging: updated ${file} (backend domain reset to staging.wire.example.com)\n`);
      expect(readFileSync(file, 'utf8')).toBe(expectedLock('staging'));
    });
  });

  test('lock --all writes one file per example environment', async () => {
    const dir = locksDir();
    const names = environments.map((e) => e.environment);
    const { code, out, err } = await cli(['lock', '--all', '--locks-dir', dir]);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(lines(out)).toEqual(names.map((name) => `✔ ${name}: wrote ${join(dir, `${name}.json`)}`));
    expect(readdirSync(dir).sort()).toEqual(['blue.json', 'onprem.json', 'production.json', 'red.json', 'staging.json']);
    for (const name of names) expect(readFileSync(join(dir, `${name}.json`), 'utf8')).toBe(expectedLock(name));
  });

  test('lock --help: exit 0, documents --reset-domain and --locks-dir', async () => {
    const { code, out } = await cli(['lock', '--help']);
    expect(code).toBe(0);
    expect(out).toContain('--reset-domain');
    expect(out).toContain('--locks-dir <dir>');
  });
});
