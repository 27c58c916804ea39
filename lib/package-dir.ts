/**
 * Folders this package ships beside its code. The sources run from `<package>/lib/`, the build
 * from `<package>/dist/lib/`; both find the same `charts/`.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';

const libParent = resolve(__dirname, '..');

/** The package's root folder (holding `package.json` and `charts/`). */
export const PACKAGE_DIR = basename(libParent) === 'dist' ? resolve(libParent, '..') : libParent;

/** Helm charts of this package (e.g. `wire-federation-ca-issuer`). */
export const CHARTS_DIR = resolve(PACKAGE_DIR, 'charts');

/** The version of this package (its package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}
