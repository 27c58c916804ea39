/**
 * `render`: the Helm releases of a synthesized environment through the real chart
 * (`helm template`), and the checks on what comes out. The library knows no folder of the
 * repository: the stack JSON, the chart folder and the output folder are parameters.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Finding } from '../checks/finding';
import type { WireFederationConfig } from '../config';
import { compareStrings } from '../order';
import { maskSecretShapes } from '../helm/values/secrets';
import { ChartKeys, readChartKeys, withUnpacked } from './chart-keys';
import { CHECKED_CHARTS, RENDER_RULE_IDS, RenderedRelease, checkManifests, unreadValueFindings, versionFactFindings } from './checks';
import { ExpressionError } from './expressions';
import { isOciRepository, ociChartReference } from '../core/chart-facts';
import { ChartLocation, Manifest, helmTemplate, locateChart } from './helm';
import { ReleaseToRender, StackOutputs, SynthesizedStack, releasesOf } from './releases';

export interface RenderOptions {
  /** The helm binary. */
  readonly helm: string;
  /**
   * A folder of chart archives (`<chart>-<version>.tgz`) or chart folders (`<chart>/`), for
   * offline use. @default - the chart repository of each release (needs network)
   */
  readonly chartDir?: string;
  /** Outputs of deployed stacks (real certificates instead of placeholders). @default - none */
  readonly outputs?: StackOutputs;
  /**
   * Fetch charts from an OCI registry over plain HTTP (`helm pull --plain-http`), for a local
   * registry such as `oci://127.0.0.1:5000/charts`. @default false (HTTPS)
   */
  readonly plainHttp?: boolean;
}

/** One release of the environment after rendering. */
export interface RenderedReleaseResult extends RenderedRelease {
  /** Where the chart came from, in words (`…/wire-server-5.32.0.tgz`, `repo … version …`). */
  readonly chartSource?: string;
  /** helm's error when it failed. */
  readonly error?: string;
}

export interface RenderResult {
  readonly environment: string;
  readonly releases: readonly RenderedReleaseResult[];
  /** Releases of charts render does not check (e.g. cert-manager), left out. */
  readonly skipped: readonly { readonly address: string; readonly chart: string }[];
  /** Findings of the checks (no path prefix for the environment). */
  readonly findings: readonly Finding[];
  /** Things worth knowing: placeholders used, a chart of another version. */
  readonly notes: readonly string[];
}

/** Names of the secrets the stack creates itself (kubernetes_secret resources). */
function terraformSecrets(stack: SynthesizedStack): string[] {
  const out: string[] = [];
  for (const type of ['kubernetes_secret', 'kubernetes_secret_v1']) {
    for (const r of Object.values(stack.resource?.[type] ?? {})) {
      const meta = Array.isArray(r.metadata) ? r.metadata[0] : r.metadata;
      if (typeof meta?.name === 'string') out.push(meta.name);
    }
  }
  return out;
}

/**
 * The `helm pull` arguments of a chart in a repository: an OCI registry takes the chart as a
 * reference (`oci://host/path/<chart>`; Helm refuses `--repo` with it), a classic repository
 * takes `--repo`.
 */
export function pullArguments(location: Extract<ChartLocation, { kind: 'repository' }>, dir: string, plainHttp = false): string[] {
  const args = isOciRepository(location.repository)
    ? ['pull', ociChartReference(location.repository, location.chart), '-d', dir, ...(plainHttp ? ['--plain-http'] : [])]
    : ['pull', location.chart, '--repo', location.repository, '-d', dir];
  if (location.version !== undefined) args.push('--version', location.version);
  return args;
}

/** How long one `helm pull` may take before render gives up on it (a registry that does not answer). */
const PULL_TIMEOUT_MS = 300_000;

/** Fetches a chart from its repository into a temporary folder: the archive's path. */
function pullChart(helm: string, location: Extract<ChartLocation, { kind: 'repository' }>, dir: string, plainHttp?: boolean): string {
  const args = pullArguments(location, dir, plainHttp);
  execFileSync(helm, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: PULL_TIMEOUT_MS });
  const file = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (file === undefined) throw new Error(`helm pull ${location.chart} wrote no archive`);
  return join(dir, file);
}

function chartKeysOf(path: string): ChartKeys {
  return path.endsWith('.tgz') ? withUnpacked(path, readChartKeys) : readChartKeys(path);
}

/**
 * Renders the Wire releases of one synthesized environment and checks the manifests.
 * Never throws for a problem of the environment: each is a finding (`render-failed` when helm
 * fails, with the chart's own message).
 */
export function renderEnvironment(config: WireFederationConfig, stack: SynthesizedStack, options: RenderOptions): RenderResult {
  const findings: Finding[] = [];
  const notes: string[] = [];
  let releases: ReleaseToRender[];
  try {
    releases = releasesOf(stack, { stackName: config.environment, outputs: options.outputs });
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return {
      environment: config.environment,
      releases: [],
      skipped: [],
      findings: [
        {
          level: 'error',
          rule: RENDER_RULE_IDS.renderFailed,
          path: '',
          message: `the Helm values hold a Terraform expression render cannot evaluate: ${e.message}`,
        },
      ],
      notes,
    };
  }
  const skipped = releases.filter((r) => !CHECKED_CHARTS.includes(r.chart)).map((r) => ({ address: r.address, chart: r.chart }));
  const rendered: RenderedReleaseResult[] = [];
  const pulled = mkdtempSync(join(tmpdir(), 'wire-federation-charts-'));
  try {
    for (const release of releases.filter((r) => CHECKED_CHARTS.includes(r.chart))) {
      const where = `${release.chart}`;
      let location = locateChart(release, options.chartDir);
      if (location === undefined) {
        findings.push({
          level: 'error',
          rule: RENDER_RULE_IDS.renderFailed,
          path: where,
          message: `no chart ${release.chart} ${release.version ?? ''} in ${options.chartDir ?? 'the release'} (expected ${release.chart}-${release.version}.tgz or a ${release.chart}/ folder)`,
        });
        rendered.push({ release, manifests: [], error: 'chart not found' });
        continue;
      }
      const source =
        location.kind === 'local'
          ? location.path
          : isOciRepository(location.repository)
            ? `${ociChartReference(location.repository, location.chart)} ${location.version ?? ''}`.trim()
            : `${location.repository} ${location.chart} ${location.version ?? ''}`.trim();
      if (location.kind === 'repository') {
        try {
          const dir = join(pulled, release.name);
          mkdirSync(dir, { recursive: true });
          location = { kind: 'local', path: pullChart(options.helm, location, dir, options.plainHttp) };
        } catch (e) {
          const message = (e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message;
          findings.push({
            level: 'error',
            rule: RENDER_RULE_IDS.renderFailed,
            path: where,
            message: `could not fetch ${source}: ${message}; give --chart-dir with the chart archive for offline use`,
          });
          rendered.push({ release, manifests: [], error: message });
          continue;
        }
      }
      if (location.kind === 'local' && location.otherVersion !== undefined && location.otherVersion !== release.version) {
        notes.push(`${release.chart}: rendered with ${location.path} (version ${location.otherVersion}); the environment pins ${release.version}`);
      }
      const result = helmTemplate(options.helm, release, location);
      if (result.error !== undefined) {
        findings.push({
          level: 'error',
          rule: RENDER_RULE_IDS.renderFailed,
          path: where,
          message: `helm template ${release.name} failed: ${result.error
            .split('\n')
            .filter((l) => l.trim() !== '' && !/^Use --debug/.test(l))
            .join(' ')}`,
        });
        rendered.push({ release, manifests: [], chartSource: source, error: result.error });
        continue;
      }
      rendered.push({ release, manifests: result.manifests, chartSource: source });
      findings.push(...unreadValueFindings(config, release.chart, release.values, chartKeysOf((location as { path: string }).path)));
      findings.push(...versionFactFindings(config, release));
      if (release.placeholders.length > 0) notes.push(`${release.chart}: placeholders for values known at apply: ${release.placeholders.join(', ')}`);
    }
  } finally {
    rmSync(pulled, { recursive: true, force: true });
  }
  const ok = rendered.filter((r) => r.error === undefined);
  if (ok.length === rendered.length) {
    findings.push(...checkManifests({ config, releases: ok, terraformSecrets: terraformSecrets(stack), outputs: options.outputs }));
  }
  return { environment: config.environment, releases: rendered, skipped, findings, notes };
}

/** Kind order of the review text: configuration first, then the rest. */
const KIND_ORDER = ['ConfigMap', 'Secret'];

/** Whether a Secret value is public (only certificates). */
function isPublic(base64: string): boolean {
  const text = Buffer.from(base64, 'base64').toString('utf8').trim();
  return text !== '' && text.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '').trim() === '';
}

/**
 * What a masked value reads: a constant. No digest: a short unsalted hash of a low-entropy secret
 * (a password) can be guessed offline, and a keyed one would differ on every run, so it could not
 * show a change between two renders either. The review diff shows that a Secret changed through
 * its other fields and the chart's checksum annotations.
 */
export const MASKED = '(masked)';

/** A Secret with every non-certificate value masked (a constant: nothing of the value is shown). */
export function maskSecret(m: Manifest): Manifest {
  if (m.kind !== 'Secret') return m;
  const mask = (v: unknown, encoded: boolean): unknown => {
    const s = String(v ?? '');
    if (encoded && isPublic(s)) return s;
    return MASKED;
  };
  const maskAll = (data: unknown, encoded: boolean) =>
    data && typeof data === 'object' ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, mask(v, encoded)])) : data;
  return { ...m, ...(m.data ? { data: maskAll(m.data, true) } : {}), ...(m.stringData ? { stringData: maskAll(m.stringData, false) } : {}) };
}

/**
 * The manifests of a release as review text: ConfigMaps first, then Secrets (masked), then the
 * rest, each group by kind and name; certificates in Secrets decoded so a reviewer reads them.
 */
export function reviewText(manifests: readonly Manifest[]): string {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  const sorted = [...manifests].sort(
    (a, b) => rank(a.kind) - rank(b.kind) || compareStrings(a.kind, b.kind) || compareStrings(a.metadata.name, b.metadata.name),
  );
  return sorted
    .map((m) => {
      const masked = maskSecret(m);
      const decoded =
        masked.kind === 'Secret' && masked.data
          ? {
              ...masked,
              data: Object.fromEntries(
                Object.entries(masked.data).map(([k, v]) => [
                  k,
                  typeof v === 'string' && !v.startsWith('(masked') ? Buffer.from(v, 'base64').toString('utf8') : v,
                ]),
              ),
            }
          : masked;
      // Whatever the kind: a secret SHAPE (a private key, credentials in a URL, a token) is masked too.
      return `# ${m.kind}/${m.metadata.name}\n${maskSecretShapes(stringify(decoded, { lineWidth: 0, aliasDuplicateObjects: false }))}`;
    })
    .join('---\n');
}

/** Writes `<outDir>/<environment>/<release>.yaml` (review text) for every rendered release; the paths written. */
export function writeRendered(outDir: string, result: RenderResult): string[] {
  const dir = join(outDir, result.environment);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return result.releases
    .filter((r) => r.error === undefined)
    .map((r) => {
      const file = join(dir, `${r.release.name}.yaml`);
      writeFileSync(
        file,
        `# ${r.release.chart} ${r.release.version ?? ''} (release ${r.release.name}, namespace ${r.release.namespace})\n${reviewText(r.manifests)}`,
      );
      return file;
    });
}
