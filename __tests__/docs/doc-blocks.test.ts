/**
 * Docs that are tested: every fenced block of README.md and docs/**\/*.md (except the generated
 * TypeDoc reference docs/api/) is run, validated or explicitly marked, and every relative link
 * resolves. The conventions (also in docs/README.md, "Contributing to the docs"):
 *
 * - ```sh: COMMANDS. The block runs as one `bash -e -o pipefail` script, offline, in a scratch
 *   copy of the repository (its tracked and new files, node_modules linked), from its root, and
 *   must exit 0, or N given by `<!-- doc-test: exit N -->` on the line before the fence. In that
 *   copy `npx wire-federation …` is the repository's CLI (`node bin/wire-federation.js`), and
 *   `npm ci` is a no-op (node_modules is linked). A block that names `charts-offline` gets the
 *   real Wire chart archives there and helm on PATH; without them it is skipped with a notice.
 *   Blocks run in the order of the files (README.md first, then docs/ by path), all in the same
 *   copy, so a block may use what an earlier one wrote.
 * - ```yaml / ```json: an environment CONFIG. Parsed and validated with the validation pipeline
 *   (errors fail, warnings pass); file references resolve against the repository root, as those
 *   of the example environments do (`stacks/environments/peers/…`, `stacks/environments/values/…`). `<!-- doc-test: yaml -->`
 *   makes a YAML/JSON block parse-only (helm values, a card, a Prometheus rule).
 * - ```ts: type-checked with the project (strict), each block a module of its own; imports of
 *   `wire-federation-cdktf[/…]` resolve to the sources of this repository.
 * - ```text / ```console: OUTPUT samples, not run.
 * - `<!-- doc-test: skip: <reason> -->` (a reason is required) before any block: not run. Blocks
 *   in any other language (or without one) must carry a marker.
 * - Relative links must resolve to a file or folder of the repository, and `#anchor` to a heading
 *   of the target; nothing may link into or mention `../shared`.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { validateFederationConfig } from '../../lib/validation/pipeline';
import { formatFinding } from '../../lib/validation/format';
import { REPO_ROOT, realChartsDir, testHelm } from '../support/test-tools';

/** One fenced block. */
interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly body: string;
  readonly marker?: Marker;
}

type Marker = { kind: 'skip'; reason: string } | { kind: 'exit'; code: number } | { kind: 'yaml' } | { kind: 'invalid'; text: string };

const MARKER = /^<!--\s*doc-test:\s*(.*?)\s*-->$/;

function parseMarker(line: string): Marker | undefined {
  const m = MARKER.exec(line.trim());
  if (m === null) return undefined;
  const text = m[1];
  const skip = /^skip:\s*(\S.*)$/.exec(text);
  if (skip) return { kind: 'skip', reason: skip[1] };
  const exit = /^exit\s+(\d+)$/.exec(text);
  if (exit) return { kind: 'exit', code: Number(exit[1]) };
  if (text === 'yaml') return { kind: 'yaml' };
  return { kind: 'invalid', text };
}

/** The Markdown files the test reads, README.md first. */
export function docFiles(root = REPO_ROOT): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .map((f) => join('docs', f))
    .filter((f) => f.endsWith('.md') && !f.startsWith(join('docs', 'api')))
    .sort();
  return ['README.md', ...docs];
}

/** Fenced blocks of one file (fences of 3+ backticks or tildes; an inner shorter fence is content). */
export function blocksOf(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[i]); i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = before >= 0 ? parseMarker(lines[before]) : undefined;
    // Blocks inside list items are indented: take the fence's indentation off every line.
    const indent = open[1].length;
    const dedented = body.map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l));
    blocks.push({ file, line: start + 1, lang: open[3].toLowerCase(), body: dedented.join('\n'), ...(marker ? { marker } : {}) });
  }
  return blocks;
}

const where = (b: Block): string => `${b.file}:${b.line}`;

const FILES = docFiles();
const TEXTS = new Map(FILES.map((f) => [f, readFileSync(join(REPO_ROOT, f), 'utf8')]));
const BLOCKS = FILES.flatMap((f) => blocksOf(f, TEXTS.get(f) as string));
const RUN = BLOCKS.filter((b) => b.marker?.kind !== 'skip');
const OUTPUT_LANGS = new Set(['text', 'console']);
const CONFIG_LANGS = new Set(['yaml', 'yml', 'json']);

/** Base directory of relative file references in config blocks: the repository, as for the example environments. */
const CONFIG_BASE = REPO_ROOT;

describe('doc blocks: markers and languages', () => {
  test('the test reads README.md and the guides', () => {
    expect(FILES).toContain('README.md');
    expect(FILES).toContain(join('docs', 'README.md'));
    expect(BLOCKS.length).toBeGreaterThan(10);
  });

  test('every marker is one the test knows, and every block has a language the test runs or a marker', () => {
    const problems: string[] = [];
    for (const b of BLOCKS) {
      if (b.marker?.kind === 'invalid')
        problems.push(`${where(b)}: unknown marker "<!-- doc-test: ${b.marker.text} -->"; use "skip: <reason>", "exit N" or "yaml"`);
      if (b.marker?.kind === 'skip') continue;
      if (b.marker?.kind === 'yaml' && !CONFIG_LANGS.has(b.lang))
        problems.push(`${where(b)}: "doc-test: yaml" on a \`${b.lang || '(no language)'}\` block; it is for yaml/json blocks`);
      if (b.marker?.kind === 'exit' && b.lang !== 'sh')
        problems.push(`${where(b)}: "doc-test: exit" on a \`${b.lang || '(no language)'}\` block; it is for sh blocks`);
      if (!['sh', 'ts', ...CONFIG_LANGS, ...OUTPUT_LANGS].includes(b.lang)) {
        problems.push(
          `${where(b)}: a \`${b.lang || '(no language)'}\` block the test cannot run: use sh, yaml, json, ts, text or console, or mark it <!-- doc-test: skip: <reason> --> (or <!-- doc-test: yaml --> for YAML that is only parsed)`,
        );
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('doc blocks: configs', () => {
  const configs = RUN.filter((b) => CONFIG_LANGS.has(b.lang));
  test.each(configs.map((b) => [where(b), b] as const))('%s', (_where, b) => {
    let value: unknown;
    try {
      value = b.lang === 'json' ? JSON.parse(b.body) : parseYaml(b.body);
    } catch (e) {
      throw new Error(`${where(b)}: the ${b.lang} block does not parse: ${(e as Error).message}`);
    }
    if (b.marker?.kind === 'yaml') return;
    const result = validateFederationConfig(value, { baseDir: CONFIG_BASE, source: where(b) });
    const errors = result.findings.filter((f) => f.level === 'error');
    if (errors.length > 0) {
      throw new Error(
        `${where(b)}: the config block is not a valid environment config (mark it <!-- doc-test: yaml --> if it is not meant to be one):\n${errors.map((f) => `  ${formatFinding(f)}`).join('\n')}`,
      );
    }
  });
});

describe('doc blocks: TypeScript', () => {
  const blocks = RUN.filter((b) => b.lang === 'ts');
  const dir = join(REPO_ROOT, 'node_modules', '.cache', 'doc-test-ts');
  let diagnostics = new Map<string, string[]>();

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = blocks.map((b, i) => {
      const file = join(dir, `block-${i}.ts`);
      writeFileSync(file, `${b.body}\nexport {};\n`);
      return file;
    });
    const paths: Record<string, string[]> = {
      'wire-federation-cdktf': [join(REPO_ROOT, 'lib', 'index.ts')],
      'wire-federation-cdktf/verify': [join(REPO_ROOT, 'lib', 'verify', 'index.ts')],
      'wire-federation-cdktf/cli': [join(REPO_ROOT, 'bin', 'cli.ts')],
      'wire-federation-cdktf/dns/*': [join(REPO_ROOT, 'lib', 'dns', '*')],
    };
    const program = ts.createProgram(files, {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
      baseUrl: REPO_ROOT,
      paths,
    });
    diagnostics = new Map(files.map((f) => [f, [] as string[]]));
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const file = d.file?.fileName;
      if (file === undefined || !diagnostics.has(file)) continue;
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      diagnostics.get(file)?.push(`line ${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.each(blocks.map((b, i) => [where(b), i] as const))('%s type-checks', (w, i) => {
    const found = diagnostics.get(join(dir, `block-${i}.ts`)) ?? [];
    if (found.length > 0) throw new Error(`${w}: the ts block does not type-check (lines count from the fence):\n${found.map((d) => `  ${d}`).join('\n')}`);
  });
});

describe('doc blocks: commands', () => {
  const blocks = RUN.filter((b) => b.lang === 'sh');
  let scratch = '';
  const charts = realChartsDir();
  const helm = testHelm();

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'doc-test-'));
    const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (listed.status === 0) {
      for (const f of listed.stdout.split('\0').filter((f) => f !== '' && f !== 'node_modules' && existsSync(join(REPO_ROOT, f)))) {
        mkdirSync(dirname(join(scratch, f)), { recursive: true });
        cpSync(join(REPO_ROOT, f), join(scratch, f));
      }
    } else {
      // Not a git checkout (e.g. an unpacked archive): everything but what builds or installs make.
      const generated = new Set(['node_modules', '.git', 'cdktf.out', 'dist', 'bench.out']);
      cpSync(REPO_ROOT, scratch, { recursive: true, filter: (src) => !generated.has(relative(REPO_ROOT, src).split('/')[0]) });
    }
    // (A worktree's node_modules may itself be an untracked symlink: listed above, left out.)
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(scratch, 'node_modules'));
    if (charts) symlinkSync(charts, join(scratch, 'charts-offline'));
    // The repository's CLI for `npx wire-federation`; `npm ci` must not touch the linked node_modules.
    writeFileSync(
      join(scratch, '.doc-test-prelude.sh'),
      [
        'npx() { if [ "$1" = wire-federation ]; then shift; node "$DOC_TEST_ROOT/bin/wire-federation.js" "$@"; else command npx "$@"; fi; }',
        'npm() { if [ "$1" = ci ]; then echo "(doc test: npm ci skipped: node_modules is linked)"; else command npm "$@"; fi; }',
        '',
      ].join('\n'),
    );
  });

  afterAll(() => {
    if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
  });

  test.each(blocks.map((b) => [where(b), b] as const))(
    '%s',
    (w, b) => {
      if (b.body.includes('charts-offline') && (!charts || !helm)) {
        process.stderr.write(`\n  SKIPPED: ${w}: needs the real Wire chart archives and helm (set WIRE_CHARTS_DIR and HELM)\n`);
        return;
      }
      const expected = b.marker?.kind === 'exit' ? b.marker.code : 0;
      const run = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', `. ./.doc-test-prelude.sh\n${b.body}`], {
        cwd: scratch,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, CHECKPOINT_DISABLE: '1', DOC_TEST_ROOT: scratch, ...(helm ? { HELM: helm } : {}), FORCE_COLOR: '0' },
      });
      if (run.status !== expected) {
        const tail = (s: string) =>
          s
            .trim()
            .split('\n')
            .slice(-15)
            .map((l) => `    ${l}`)
            .join('\n');
        throw new Error(
          `${w}: the sh block exited ${run.status ?? run.signal} (expected ${expected}; mark another code with <!-- doc-test: exit N -->, or a block that cannot run offline with <!-- doc-test: skip: <reason> -->)\n  stdout:\n${tail(run.stdout)}\n  stderr:\n${tail(run.stderr)}`,
        );
      }
    },
    120_000,
  );
});

/** GitHub's anchor of a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fence = !fence;
    const h = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1]);
    const n = counts.get(base) ?? 0;
    counts.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Text outside fenced blocks (links in code are not links). */
function prose(text: string): string {
  return text.replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\s*\2\s*$/gm, '');
}

describe('doc links', () => {
  test.each(FILES)('%s: relative links resolve, none into ../shared', (file) => {
    const text = TEXTS.get(file) as string;
    const problems: string[] = [];
    if (/\.\.\/shared\b|facts section \d/.test(text)) problems.push(`${file}: mentions ../shared or "facts section N"; cite docs/chart-facts.md instead`);
    for (const m of prose(text)
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^(https?:|mailto:)/.test(target)) continue;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const resolved = path === '' ? join(REPO_ROOT, file) : resolve(dirname(join(REPO_ROOT, file)), decodeURIComponent(path));
      const rel = relative(REPO_ROOT, resolved);
      if (rel.startsWith('..')) {
        problems.push(`${file}: link ${target} leaves the repository`);
        continue;
      }
      if (!existsSync(resolved)) {
        problems.push(`${file}: link ${target}: no such file ${rel}`);
        continue;
      }
      if (anchor !== undefined && anchor !== '' && statSync(resolved).isFile() && resolved.endsWith('.md')) {
        const targetText = TEXTS.get(rel) ?? readFileSync(resolved, 'utf8');
        if (!anchorsOf(targetText).has(anchor)) problems.push(`${file}: link ${target}: ${rel} has no heading #${anchor}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
