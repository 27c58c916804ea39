/**
 * The exporter's container image: built from the repository's Dockerfile and published by the
 * release workflow to the GitHub container registry, tagged with the package version.
 */
import { packageVersion } from '../package-dir';

/** The version of this package (its package.json): lib/package-dir.ts. */
export { packageVersion };

/** Where the release workflow publishes the image (`ghcr.io/<owner>/<repository>`). */
export const EXPORTER_IMAGE_REPOSITORY = 'ghcr.io/wireapp/wire-federation-cdktf';

/** The default `monitoring.image`: the published image of this package's version. */
export function defaultExporterImage(): string {
  return `${EXPORTER_IMAGE_REPOSITORY}:${packageVersion()}`;
}
