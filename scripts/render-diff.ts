/**
 * Pull-request review without credentials: renders every environment with the real charts at the
 * base and at the head commit (`wire-federation render <env> --out …`) and writes the diff of the
 * rendered manifests per environment as Markdown (ConfigMaps come first in every rendered file,
 * secrets are masked by render). Needs helm and the chart repository (or WIRE_CHARTS_DIR), no
 * cluster, no secret: fork pull requests get it too. Used by .github/workflows/pull-request.yml.
 *
 * Usage: node --require tsx/cjs scripts/render-diff.ts <out.md> <base checkout>
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** One environment's rendered files at base and head (undefined: not rendered there). */
export interface EnvironmentRender {
  readonly environment: string;
  readonly base: ReadonlyMap<string, string> | undefined;
  readonly head: ReadonlyMap<string, string> | undefined;
  /** render's summary line at head (findings), for the reviewer. */
  readonly headReport?: string;
}

/** Unified diff of two texts (`diff -u`), empty when equal. */
export function unifiedDiff(name: string, before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'render-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    const run = spawnSync('diff', ['-u', '--label', `base/${name}`, '--label', `head/${name}`, join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    if (run.status === 2 || run.error) throw new Error(`diff failed: ${run.stderr || run.error?.message}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Refuses text that could hold a secret (render masks them; this is the second lock). */
export function assertNoSecret(text: string): void {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----|SENSITIVE-PLACEHOLDER/.test(text))
    throw new Error('a rendered manifest holds a private key or an unmasked secret; refusing to post it');
}

/** The Markdown comment: per environment, the diff of each rendered release. Pure (but for diff). */
export function renderDiffMarkdown(renders: readonly EnvironmentRender[]): string {
  const out = [
    '## Rendered manifests (helm template)',
    '',
    'What changes in the manifests the charts render from this pull request (ConfigMaps first, secrets masked). Certificates known only at apply are placeholders.',
    '',
  ];
  for (const r of renders) {
    if (r.head === undefined) {
      out.push(`### ${r.environment}: not rendered at head`, '', '```', r.headReport ?? '', '```', '');
      continue;
    }
    const files = [...new Set([...(r.base?.keys() ?? []), ...r.head.keys()])].sort();
    const diffs = files.map((f) => unifiedDiff(`${r.environment}/${f}`, r.base?.get(f) ?? '', r.head!.get(f) ?? '')).filter((d) => d !== '');
    const note = r.base === undefined ? ' (new, or not rendered at base)' : '';
    if (diffs.length === 0) {
      out.push(`### ${r.environment}: no change`, '');
      continue;
    }
    const text = diffs.join('');
    assertNoSecret(text);
    out.push(
      `### ${r.environment}${note}`,
      '',
      r.headReport ? `\`${r.headReport}\`` : '',
      '',
      '<details open><summary>diff</summary>',
      '',
      '```diff',
      text.trimEnd(),
      '```',
      '',
      '</details>',
      '',
    );
  }
  return out.join('\n');
}

function readDir(dir: string): Map<string, string> | undefined {
  if (!existsSync(dir)) return undefined;
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

/** Renders `environment` in the checkout `root` into `out`; render's first line. */
function renderIn(root: string, environment: string, out: string): string {
  const args = [join(root, 'bin', 'wire-federation.js'), 'render', environment, '--out', out];
  if (process.env.WIRE_CHARTS_DIR) args.push('--chart-dir', process.env.WIRE_CHARTS_DIR);
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  return `${run.stdout}${run.stderr}`.split('\n')[0] ?? '';
}

function environmentsIn(root: string): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(join(root, 'stacks', 'environments')) as { environments: { environment: string }[] }).environments.map((e) => e.environment);
  } catch {
    return [];
  }
}

function main(): void {
  const [outFile = 'rendered-diff.md', baseRoot] = process.argv.slice(2);
  if (baseRoot === undefined) {
    console.error('usage: render-diff.ts <out.md> <base checkout>');
    process.exit(2);
  }
  const head = resolve(__dirname, '..');
  const base = resolve(baseRoot);
  const work = mkdtempSync(join(tmpdir(), 'render-diff-out-'));
  const names = [...new Set([...environmentsIn(head), ...environmentsIn(base)])];
  const renders: EnvironmentRender[] = names.map((environment) => {
    const headReport = renderIn(head, environment, join(work, 'head'));
    renderIn(base, environment, join(work, 'base'));
    return { environment, head: readDir(join(work, 'head', environment)), base: readDir(join(work, 'base', environment)), headReport };
  });
  writeFileSync(outFile, renderDiffMarkdown(renders));
  rmSync(work, { recursive: true, force: true });
}

if (require.main === module) main();
