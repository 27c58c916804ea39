/**
 * `wire-federation verify` loads no cdktf (bin/commands/index.ts loads only the command that
 * runs; the exporter's image installs no cdktf): the CLI runs in a process of its own with a
 * preloaded hook that writes, at exit, which modules of cdktf, constructs and @cdktf/* are in
 * `require.cache`. `validate` (which synthesizes) is the control: it does load cdktf, so the hook
 * sees it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/config';
import { closedPort } from '../support/tls-servers';
import { TempDir, configInput, writeConfig } from '../verify/harness';

let dir: TempDir;
let config: string;
let hook: string;
let dnsPort: number;

beforeAll(async () => {
  dir = new TempDir();
  config = writeConfig(dir, configInput(443));
  hook = dir.file(
    'hook.js',
    [
      "process.on('exit', () => {",
      '  const loaded = Object.keys(require.cache).filter((k) => /[\\\\/]node_modules[\\\\/](cdktf|constructs|@cdktf)[\\\\/]/.test(k));',
      "  require('fs').writeFileSync(process.env.LOADED_REPORT, JSON.stringify(loaded));",
      '});',
    ].join('\n'),
  );
  dnsPort = await closedPort();
});
afterAll(() => dir?.cleanup());

function cli(args: readonly string[]): { code: number | null; loaded: string[]; out: string } {
  const report = join(dir.path, `loaded-${args[0]}-${args.length}.json`);
  const r = spawnSync(process.execPath, ['--require', hook, join(REPO_ROOT, 'bin', 'wire-federation.js'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', LOADED_REPORT: report },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, loaded: JSON.parse(readFileSync(report, 'utf8')) as string[], out: r.stdout + r.stderr };
}

describe('the CLI loads cdktf only for the commands that need it', () => {
  test('verify --help: no cdktf, constructs or provider module', () => {
    const r = cli(['verify', '--help']);
    expect({ code: r.code, loaded: r.loaded }).toEqual({ code: 0, loaded: [] });
    expect(r.out).toContain('--serve');
  }, 120_000);

  test('a verify run (its checks fail: no DNS server answers) loads none either', () => {
    const r = cli(['verify', '--config', config, '--peers', '--dns-server', `127.0.0.1:${dnsPort}`, '--timeout', '300']);
    expect({ code: r.code, loaded: r.loaded }).toEqual({ code: 1, loaded: [] });
    expect(r.out).toMatch(/dns\.srv/);
  }, 120_000);

  test('mesh --help (the mesh command and lib/mesh) loads none either', () => {
    const r = cli(['mesh', '--help']);
    expect({ code: r.code, loaded: r.loaded }).toEqual({ code: 0, loaded: [] });
    expect(r.out).toContain('get-not-fully-connected-backends');
  }, 120_000);

  test('control: validate synthesizes and loads cdktf (the hook sees it)', () => {
    const r = cli(['validate', config]);
    expect(r.loaded.some((k) => /[\\/]node_modules[\\/]cdktf[\\/]/.test(k))).toBe(true);
  }, 120_000);

  test('--help still lists every command', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['validate', 'lock', 'verify', 'check-pairs', 'mesh', 'preflight', 'adopt', 'render', 'card']) expect(r.out).toContain(command);
  }, 120_000);
});
