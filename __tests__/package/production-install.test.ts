/**
 * The exporter image's install, without Docker: `npm pack` (which builds dist/), then the tarball
 * installed as the Dockerfile's run stage does (`--omit=dev --omit=peer`) into an empty folder,
 * offline from the npm cache `npm ci` filled. The install holds no cdktf, constructs or provider,
 * and the installed `wire-federation verify` runs (its checks fail: no DNS server answers on
 * 127.0.0.1), which it could not if anything on its path required them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/config';
import { closedPort } from '../support/tls-servers';
import { configInput } from '../verify/harness';

let work: string;
let prefix: string;

function mustRun(command: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(command, args, {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    timeout: 280_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return r.stdout;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'wire-federation-prod-install-'));
  const out = mustRun('npm', ['pack', '--json', '--pack-destination', work], REPO_ROOT);
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  prefix = join(work, 'app');
  writeFileSync(join(work, 'package.json'), '{}\n');
  // As the image: production dependencies only (no dev dependencies, no peers).
  mustRun(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--omit=dev',
      '--omit=peer',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--loglevel=error',
      join(work, filename),
    ],
    work,
  );
}, 300_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the production install of the packed package', () => {
  test('has no cdktf, constructs or @cdktf provider', () => {
    const modules = join(prefix, 'node_modules');
    expect(existsSync(join(modules, 'wire-federation-cdktf', 'dist', 'bin', 'cli.js'))).toBe(true);
    const installed = readdirSync(modules);
    expect(installed.filter((n) => n === 'cdktf' || n === 'constructs' || n === '@cdktf' || n === 'cdktf-cli')).toEqual([]);
    expect(installed).toEqual(expect.arrayContaining(['commander', 'prom-client', 'yaml', 'zod']));
  });

  test('its wire-federation verify runs without them', async () => {
    const dir = mkdtempSync(join(work, 'cfg-'));
    const config = join(dir, 'alpha.json');
    writeFileSync(config, JSON.stringify(configInput(443)));
    const dns = await closedPort();
    const bin = join(prefix, 'node_modules', 'wire-federation-cdktf', 'bin', 'wire-federation.js');
    const help = spawnSync(process.execPath, [bin, 'verify', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect({ code: help.status, err: help.stderr }).toEqual({ code: 0, err: '' });
    const run = spawnSync(process.execPath, [bin, 'verify', '--config', config, '--dns-server', `127.0.0.1:${dns}`, '--timeout', '300'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ code: run.status, cannotFind: /Cannot find module/.test(run.stderr) }).toEqual({ code: 1, cannotFind: false });
    expect(run.stdout).toContain('dns.srv');
  }, 120_000);
});
