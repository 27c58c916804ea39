/**
 * Reading and writing environment lock files (`<locksDir>/<environment>.json`).
 */
import { existsSync } from 'node:fs';
import { jsonErrorWithoutContent, readBoundedText } from '../files/read';
import { writeFileAtomic } from '../files/write';
import { join } from 'node:path';
import type { EnvironmentLock } from './environment-lock';

export function lockPath(locksDir: string, environment: string): string {
  return join(locksDir, `${environment}.json`);
}

/** The lock of `environment`, or undefined when it has none yet. */
export function readLock(locksDir: string, environment: string): EnvironmentLock | undefined {
  const file = lockPath(locksDir, environment);
  if (!existsSync(file)) return undefined;
  const restore = `restore it from version control (git checkout -- ${file}); do not delete it and lock again, which would pin whatever backend domain the config holds now`;
  let text: string;
  try {
    text = readBoundedText(file, { what: 'lock file', maxBytes: 1024 * 1024 });
  } catch (e) {
    throw new Error(`${(e as Error).message}: ${restore}`);
  }
  if (text.trim() === '') throw new Error(`the lock file ${file} is empty (a write that was cut short?): ${restore}`);
  let lock: EnvironmentLock;
  try {
    lock = JSON.parse(text) as EnvironmentLock;
  } catch (e) {
    throw new Error(`the lock file ${file} is not valid JSON (${jsonErrorWithoutContent(e)}): ${restore}`);
  }
  if (lock === null || typeof lock !== 'object' || typeof lock.backendDomain !== 'string' || !Array.isArray(lock.peers)) {
    throw new Error(`${file} is not an environment lock (expected backendDomain and peers); ${restore}`);
  }
  return lock;
}

/** Writes the lock, formatted for review (stable key order, one peer per line). */
export function writeLock(locksDir: string, lock: EnvironmentLock): string {
  const file = lockPath(locksDir, lock.environment);
  const ordered: EnvironmentLock = {
    environment: lock.environment,
    backendDomain: lock.backendDomain,
    ...(lock.ingressChart !== undefined ? { ingressChart: lock.ingressChart } : {}),
    peers: [...lock.peers].sort(),
  };
  // Atomic: a crash or a full disk leaves the old lock or the new one, never an empty one.
  writeFileAtomic(file, `${JSON.stringify(ordered, null, 2)}\n`);
  return file;
}
