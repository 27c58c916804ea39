/**
 * The exporter's image without Docker: the Dockerfile copies files that exist and everything
 * the package ships (so `npm pack` in the build stage packs the same package as npm publish),
 * runs the `wire-federation` CLI as a non-root user, and the release workflow tags the image
 * with the package version, which is also the default `monitoring.image` tag.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { EXPORTER_IMAGE_REPOSITORY, defaultExporterImage } from '../../lib/monitoring/exporter-image';
import { REPO_ROOT } from '../support/config';

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.trim().split(/\s+/);
    return { op: op.toUpperCase(), args: rest };
  });
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; files: string[]; bin: Record<string, string> };

describe('Dockerfile', () => {
  const copies = instructions.filter((i) => i.op === 'COPY' && !i.args.some((a) => a.startsWith('--from=')));
  const sources = copies.flatMap((i) => i.args.slice(0, -1));

  test('every file the build stage copies exists', () => {
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((s) => !existsSync(join(REPO_ROOT, s)))).toEqual([]);
  });

  test('it copies everything the package ships (package.json files) and what the build needs', () => {
    const shipped = pkg.files.filter((f) => !f.startsWith('dist/'));
    // A shipped entry is copied by itself or by a folder that holds it (`docs` holds `docs/*.md`).
    expect(shipped.filter((f) => !sources.some((s) => f === s || f.startsWith(`${s}/`)))).toEqual([]);
    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']));
  });

  test('two stages; the second installs the packed package and runs the CLI as uid 1000', () => {
    const bases = instructions.filter((i) => i.op === 'FROM').map((i) => i.args[0]);
    // Pinned by digest, the same image in both stages.
    expect(bases).toHaveLength(2);
    expect(bases[0]).toMatch(/^node:22-bookworm-slim@sha256:[0-9a-f]{64}$/);
    expect(bases[1]).toBe(bases[0]);
    expect(instructions.find((i) => i.op === 'USER')?.args).toEqual(['1000:1000']);
    expect(instructions.find((i) => i.op === 'ENTRYPOINT')?.args.join(' ')).toBe(`["${Object.keys(pkg.bin)[0]}"]`);
    expect(instructions.find((i) => i.op === 'EXPOSE')?.args).toEqual(['9464']);
  });

  test('the run stage installs production dependencies only: no dev dependencies, no peers (cdktf, providers)', () => {
    const install = instructions
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args.join(' '))
      .find((r) => r.includes('npm install --global'));
    expect(install).toBeDefined();
    expect(install!.split(' ')).toEqual(expect.arrayContaining(['--omit=dev', '--omit=peer']));
  });

  test('.dockerignore keeps node_modules and the build output out of the context, not what is copied', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git']));
    expect(sources.filter((s) => ignored.some((i) => s === i || s.startsWith(`${i}/`)))).toEqual([]);
  });
});

describe('the image tag', () => {
  test('the default monitoring.image is the package version', () => {
    expect(defaultExporterImage()).toBe(`${EXPORTER_IMAGE_REPOSITORY}:${pkg.version}`);
  });

  test('the release workflow publishes ghcr.io/<repository>:<package version>', () => {
    const workflow = parseYaml(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as {
      jobs: Record<
        string,
        { needs?: string; permissions?: Record<string, string>; steps: Array<{ id?: string; run?: string; uses?: string; with?: Record<string, string> }> }
      >;
    };
    const job = workflow.jobs.image;
    expect(job.needs).toBe('publish');
    expect(job.permissions?.packages).toBe('write');
    const tagStep = job.steps.find((s) => s.id === 'image')!;
    expect(tagStep.run).toContain(`require('./package.json').version`);
    expect(tagStep.run).toContain('ghcr.io/${GITHUB_REPOSITORY,,}');
    const build = job.steps.find((s) => s.uses?.startsWith('docker/build-push-action'))!;
    expect(build.with?.tags).toBe('${{ steps.image.outputs.name }}:${{ steps.image.outputs.version }}');
    expect(EXPORTER_IMAGE_REPOSITORY.startsWith('ghcr.io/')).toBe(true);
  });

  test('the release workflow refuses to publish from a repository other than EXPORTER_IMAGE_REPOSITORY', () => {
    const workflow = parseYaml(readFileSync(join(REPO_ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as {
      jobs: { image: { steps: Array<{ id?: string; run?: string }> } };
    };
    const script = workflow.jobs.image.steps.find((s) => s.id === 'image')!.run!;
    const run = (repository: string) =>
      spawnSync('bash', ['-c', script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_REPOSITORY: repository, GITHUB_OUTPUT: '/dev/null' },
      });
    const own = EXPORTER_IMAGE_REPOSITORY.replace(/^ghcr\.io\//, '');
    expect(run(own.replace(/^[^/]+/, (o) => o.toUpperCase())).status).toBe(0);
    const fork = run('someone/wire-federation-cdktf');
    expect({ status: fork.status, out: fork.stdout }).toEqual({ status: 1, out: expect.stringContaining(`is '${EXPORTER_IMAGE_REPOSITORY}'`) });
  });
});
