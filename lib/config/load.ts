/**
 * Reads an environment config from a YAML or JSON file.
 */
import { InputFileError, jsonErrorWithoutContent, readBoundedText } from '../files/read';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FederationConfigError } from './errors';
import { WireFederationConfig, parseFederationConfig } from './parse';
import { commandHint, fileTarget } from './command-hint';

export interface LoadConfigOptions {
  /**
   * The CLI as the user starts it, in the commands messages name (they name the file).
   * @default 'npx wire-federation'
   */
  readonly cli?: string;
}

/**
 * Loads and validates `file` (`.yaml`, `.yml` or `.json`). Relative paths inside the file are
 * resolved against the file's directory; commands in messages name the file.
 * @throws FederationConfigError for unreadable files, syntax errors and invalid configs
 */
export function loadConfigFile(file: string, options: LoadConfigOptions = {}): WireFederationConfig {
  return parseFederationConfig(readConfigInput(file), {
    baseDir: dirname(resolve(file)),
    source: file,
    command: commandHint({ cli: options.cli, target: fileTarget(file) }),
  });
}

/**
 * The document of a `.yaml`, `.yml` or `.json` config file, not yet validated (relative paths in
 * it are relative to the file's directory).
 * @throws FederationConfigError for unreadable files and syntax errors
 */
export function readConfigInput(file: string): unknown {
  const path = resolve(file);
  let text: string;
  try {
    text = readBoundedText(path, { what: 'config file' });
  } catch (e) {
    const message =
      e instanceof InputFileError
        ? e.code === 'not-found'
          ? 'cannot read the config file (ENOENT)'
          : e.message.replace(`${path} `, '')
        : `cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new FederationConfigError([{ path: '', rule: 'config-file', message }], file);
  }
  let input: unknown;
  try {
    input = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new FederationConfigError(
      [
        {
          path: '',
          rule: 'config-file',
          message: `the file is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${extname(path) === '.json' ? jsonErrorWithoutContent(e) : (e as Error).message.split('\n')[0]}`,
        },
      ],
      file,
    );
  }
  return input;
}
