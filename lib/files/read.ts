/**
 * Reading a file we are given (a card, a peer's CA, a values file, an adoption record, a config,
 * a lock) as bounded, untrusted input: a regular file only (a directory, FIFO, socket or device
 * such as /dev/zero is refused at once, never waited on or read without end), at most a size
 * limit, read with a bounded buffer. Refusals name the file and what it was for, never its bytes.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Default size limit of an input file. */
export const MAX_INPUT_BYTES = 4 * 1024 * 1024;

/** A refusal of {@link readBoundedText}: `code` is stable. */
export class InputFileError extends Error {
  constructor(
    message: string,
    public readonly code: 'not-found' | 'not-regular' | 'too-large' | 'unreadable',
  ) {
    super(message);
    this.name = 'InputFileError';
  }
}

export interface ReadBoundedOptions {
  /** What the file is, for messages (e.g. `card`, `values file`). */
  readonly what: string;
  /** @default {@link MAX_INPUT_BYTES} */
  readonly maxBytes?: number;
}

function kind(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

const units = (n: number): string => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB` : `${Math.ceil(n / 1024)} KiB`);

/**
 * The text of `file` (UTF-8), refused with an {@link InputFileError} when it is missing, not a
 * regular file, or larger than the limit. Symlinks are followed (to a regular file). Opening
 * does not block on a FIFO (O_NONBLOCK), and at most `maxBytes + 1` bytes are ever read, even
 * from a file whose size the system reports as 0 (`/proc` files).
 */
export function readBoundedText(file: string, options: ReadBoundedOptions): string {
  const max = options.maxBytes ?? MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(`${options.what} ${file} not found`, 'not-found');
    throw new InputFileError(`cannot read the ${options.what} ${file} (${code ?? 'error'})`, 'unreadable');
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputFileError(`the ${options.what} ${file} is ${kind(st)}: give a regular file`, 'not-regular');
    if (st.size > max)
      throw new InputFileError(
        `the ${options.what} ${file} is ${units(st.size)}, more than the ${units(max)} a ${options.what} may have: is it the right file?`,
        'too-large',
      );
    const chunks: Buffer[] = [];
    let read = 0;
    const chunk = Buffer.alloc(64 * 1024);
    while (read <= max) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, max + 1 - read), null);
      if (n === 0) break;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      read += n;
    }
    if (read > max)
      throw new InputFileError(`the ${options.what} ${file} is more than the ${units(max)} a ${options.what} may have: is it the right file?`, 'too-large');
    return Buffer.concat(chunks).toString('utf8');
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(`cannot read the ${options.what} ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'unreadable');
  } finally {
    closeSync(fd);
  }
}

/**
 * What went wrong in `JSON.parse`, without the bytes of the file: Node quotes the text around
 * the error ("Unexpected token 'P', "PATH=/usr/…" is not valid JSON"), which may be anything
 * (a file named by mistake, `/proc/self/environ`). Only the position is kept.
 */
export function jsonErrorWithoutContent(e: unknown): string {
  const message = String((e as { message?: unknown })?.message ?? e);
  if (/Unexpected end of JSON input/.test(message)) return 'Unexpected end of JSON input';
  const position = /position (\d+)/.exec(message)?.[1];
  return position === undefined ? 'not valid JSON' : `not valid JSON at position ${position}`;
}
