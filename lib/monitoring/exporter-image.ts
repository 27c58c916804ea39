/**
 * The exporter's container image: built from the repository's Dockerfile and published by the
 * release workflow to the GitHub container registry, tagged with the package version.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_DIR } from '../package-dir';

/** Where the release workflow publishes the image (`ghcr.io/<owner>/<repository>`). */
export const EXPORTER_IMAGE_REPOSITORY = 'ghcr.io/wireapp/wire-federation-cdktf';

/** The version of this package (its package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(resolve(PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The default `monitoring.image`: the published image of this package's version. */
export function defaultExporterImage(): string {
  return `${EXPORTER_IMAGE_REPOSITORY}:${packageVersion()}`;
}
