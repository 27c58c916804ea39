/**
 * Runs a TypeScript entry point in a child Node process through tsx, the way `cdktf synth` runs
 * `main.ts` (`node --import tsx main.ts`), and captures what it printed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './config';

export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface NodeRunOptions {
  readonly cwd: string;
  /** Added to (and overriding) the test process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 60000 */
  readonly timeoutMs?: number;
}

/**
 * `node --import tsx <script>`. When `cwd` is not the repository root, the tsx loader is given by
 * absolute URL, so scripts may run from any directory (for example a temporary one).
 */
export function runTsx(script: string, options: NodeRunOptions): NodeRun {
  const loader = options.cwd === REPO_ROOT ? 'tsx' : pathToFileURL(join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const result = spawnSync(process.execPath, ['--import', loader, script], {
    cwd: options.cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
