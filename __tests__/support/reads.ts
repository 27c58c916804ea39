/**
 * Which files a piece of code read, whatever the machine's speed: a test that says "refused
 * without reading the file" checks that no byte was read from it (instead of a time budget, which
 * a busy machine breaks). It watches `openSync`/`readSync`/`readFileSync` of `node:fs`, the calls
 * the bounded reader (`lib/files/read.ts`) and the rest of lib make.
 */
// The module object itself (a namespace import would be a copy): lib's `import { readSync } from 'node:fs'` calls through it.
import fs from 'node:fs';

/** Runs `run` and returns its value and the `watched` paths from which at least one byte was read. */
export async function readsOf<T>(watched: readonly string[], run: () => T | Promise<T>): Promise<{ value: T; read: string[] }> {
  const open = new Map<number, string>();
  const read = new Set<string>();
  const realOpen = fs.openSync;
  const realRead = fs.readSync;
  const realReadFile = fs.readFileSync;
  const openSpy = jest.spyOn(fs, 'openSync').mockImplementation((...args: Parameters<typeof fs.openSync>) => {
    const fd = realOpen(...args);
    if (watched.includes(String(args[0]))) open.set(fd, String(args[0]));
    else open.delete(fd); // a descriptor number used again
    return fd;
  });
  const readSpy = jest.spyOn(fs, 'readSync').mockImplementation((fd: number, ...rest: unknown[]) => {
    const n = (realRead as (...a: unknown[]) => number)(fd, ...rest);
    const path = open.get(fd);
    if (path !== undefined && n > 0) read.add(path);
    return n;
  });
  const readFileSpy = jest.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    if (watched.includes(String(file))) read.add(String(file));
    return (realReadFile as (...a: unknown[]) => unknown)(file, ...rest);
  }) as typeof fs.readFileSync);
  try {
    const value = await run();
    return { value, read: [...read].sort() };
  } finally {
    openSpy.mockRestore();
    readSpy.mockRestore();
    readFileSpy.mockRestore();
  }
}
