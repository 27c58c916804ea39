/**
 * Runs a generated sync script the way the Job does (`node sync.js`), with this Node binary, from
 * a temporary directory, and collects its output.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SyncRun {
  /** Exit code; null when killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr. */
  readonly output: string;
  /** The stdout lines. */
  readonly lines: string[];
}

/**
 * Writes `script` to a tmp dir, runs it and removes the dir. Kills it after `timeoutMs`.
 * `onStdout` sees the stdout collected so far after each chunk (e.g. to start a fake brig once
 * the script reports its first refused attempt).
 */
export async function runSyncScript(script: string, timeoutMs = 15000, onStdout?: (soFar: string) => void): Promise<SyncRun> {
  const dir = mkdtempSync(join(tmpdir(), 'brig-sync-'));
  const file = join(dir, 'sync.js');
  writeFileSync(file, script);
  try {
    return await new Promise<SyncRun>((resolve, reject) => {
      const child = spawn(process.execPath, [file], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        onStdout?.(stdout);
      });
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, output: stdout + stderr, lines: stdout.split('\n').filter((l) => l !== '') });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
