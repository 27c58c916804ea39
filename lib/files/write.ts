/**
 * The one way this tool writes a file the user keeps (a lock, an adopted values file, an
 * adoption record, a config edited by `card add`): atomically and exclusively.
 *
 * - Atomic: the content goes to a temporary file in the same folder, is flushed to disk (fsync),
 *   then renamed over the target, and the folder is flushed too. A crash or a full disk leaves
 *   the old file or the new one, never an empty or half-written one.
 * - Symlinks are resolved: the file a symlink points to is written, the symlink stays.
 * - Line endings are kept: a CRLF file stays CRLF ({@link keepLineEndings}).
 * - The file mode of an existing file is kept.
 * - Exclusive: {@link withFileLock} holds `<file>.lock` (created with O_EXCL) around a
 *   read-modify-write, so two edits at once wait for each other instead of losing one.
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

/** The file a path really names: symlinks followed (also a dangling one, to the file it would create). */
export function resolveTarget(file: string): string {
  let path = resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      return path; // does not exist (yet)
    }
    if (!st.isSymbolicLink()) return realpathSync(path);
    const link = readlinkSync(path);
    path = isAbsolute(link) ? link : resolve(dirname(path), link);
  }
  throw new Error(`${file}: too many levels of symbolic links`);
}

/** `text` with the line endings of `previous`: CRLF when `previous` uses CRLF, else unchanged. */
export function keepLineEndings(text: string, previous: string | undefined): string {
  if (previous === undefined || !previous.includes('\r\n')) return text;
  return text.replace(/\r?\n/g, '\r\n');
}

export interface WriteAtomicOptions {
  /** Keep the line endings of the file's current content (CRLF stays CRLF). @default true */
  readonly keepLineEndings?: boolean;
  /** The mode of a new file. @default 0o644 (an existing file keeps its mode) */
  readonly mode?: number;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `content` to `file` atomically (temporary file in the same folder, fsync, rename).
 * Creates the folder when missing. Returns the path written (the symlink's target for a symlink).
 */
export function writeFileAtomic(file: string, content: string, options: WriteAtomicOptions = {}): string {
  const target = resolveTarget(file);
  const dir = dirname(target);
  mkdirSync(dir, { recursive: true });
  let previous: string | undefined;
  let mode = options.mode ?? 0o644;
  try {
    const st = statSync(target);
    mode = st.mode & 0o7777;
    if (options.keepLineEndings !== false && st.isFile() && st.size < 16 * 1024 * 1024) previous = readFileSync(target, 'utf8');
  } catch {
    // a new file
  }
  const text = options.keepLineEndings === false ? content : keepLineEndings(content, previous);
  // Created exclusively (O_EXCL): never follows or reuses what is in the way.
  const temp = join(dir, `.${basename(target)}.${process.pid}.tmp`);
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(temp, 'wx', mode);
    created = true;
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    if (created) rmSync(temp, { force: true }); // ours only: never what was in the way
    throw new Error(`could not write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (the file is unchanged)`);
  }
  fsyncDir(dir);
  return target;
}

export interface FileLockOptions {
  /** How long to wait for another holder. @default 30000 ms */
  readonly waitMs?: number;
}

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function holderAlive(lockFile: string): { pid?: number; alive: boolean } {
  let pid: number | undefined;
  try {
    pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
  } catch {
    return { alive: true }; // being written right now: wait
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // Written but empty or garbled: stale once it is older than a few seconds.
    try {
      return { alive: Date.now() - statSync(lockFile).mtimeMs < 5000 };
    } catch {
      return { alive: false };
    }
  }
  try {
    process.kill(pid, 0);
    return { pid, alive: true };
  } catch (e) {
    return { pid, alive: (e as NodeJS.ErrnoException).code === 'EPERM' };
  }
}

/**
 * Runs `body` while holding an exclusive lock on `file` (`<file>.lock`, created with O_EXCL and
 * holding our pid). Another holder is waited for (up to `waitMs`), a dead holder's lock is
 * taken over; the lock is removed afterwards, also when `body` throws.
 */
export function withFileLock<T>(file: string, body: () => T, options: FileLockOptions = {}): T {
  const release = acquireFileLock(file, options);
  try {
    return body();
  } finally {
    release();
  }
}

/** Takes the lock of {@link withFileLock}; returns the function that releases it. */
export function acquireFileLock(file: string, options: FileLockOptions = {}): () => void {
  const target = resolveTarget(file);
  const lockFile = `${target}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  mkdirSync(dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      const holder = holderAlive(lockFile);
      if (!holder.alive) {
        rmSync(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${file} is being edited by another wire-federation${holder.pid !== undefined ? ` (process ${holder.pid})` : ''}: wait for it to finish and run this again (if no other one runs, remove ${lockFile})`,
        );
      }
      sleep(50 + Math.floor(Math.random() * 50));
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    rmSync(lockFile, { force: true });
  };
}
