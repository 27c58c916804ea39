/**
 * Runs a TypeScript entry point in a child Node process through tsx, the way `cdktf synth` runs
 * `main.ts` (`node --require tsx/cjs main.ts`), and captures what it printed.
 */
import { spawnSync } from 'node:child_process';
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
 * `node --require tsx/cjs <script>`, as cdktf.json runs the app. The hook is given by absolute
 * path, so scripts may run from any directory (for example a temporary one).
 */
export function runTsx(script: string, options: NodeRunOptions): NodeRun {
  const hook = require.resolve('tsx/cjs', { paths: [REPO_ROOT] });
  const result = spawnSync(process.execPath, ['--require', hook, script], {
    cwd: options.cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  if (result.error) throw result.error;
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
