/**
 * Reading and writing environment lock files (`<locksDir>/<environment>.json`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentLock } from './environment-lock';

export function lockPath(locksDir: string, environment: string): string {
  return join(locksDir, `${environment}.json`);
}

/** The lock of `environment`, or undefined when it has none yet. */
export function readLock(locksDir: string, environment: string): EnvironmentLock | undefined {
  const file = lockPath(locksDir, environment);
  if (!existsSync(file)) return undefined;
  const lock = JSON.parse(readFileSync(file, 'utf8')) as EnvironmentLock;
  if (typeof lock.backendDomain !== 'string' || !Array.isArray(lock.peers)) {
    throw new Error(`${file} is not an environment lock (expected backendDomain and peers); restore it from version control`);
  }
  return lock;
}

/** Writes the lock, formatted for review (stable key order, one peer per line). */
export function writeLock(locksDir: string, lock: EnvironmentLock): string {
  mkdirSync(locksDir, { recursive: true });
  const file = lockPath(locksDir, lock.environment);
  const ordered: EnvironmentLock = {
    environment: lock.environment,
    backendDomain: lock.backendDomain,
    ...(lock.ingressChart !== undefined ? { ingressChart: lock.ingressChart } : {}),
    peers: [...lock.peers].sort(),
  };
  writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`);
  return file;
}
