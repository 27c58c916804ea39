import type { Command } from 'commander';

/** Where a command writes: the program's output configuration (tests capture it). */
export function commandOutput(command: Command): { write: (text: string) => void; writeErr: (text: string) => void } {
  const out = command.configureOutput();
  return {
    write: out.writeOut?.bind(out) ?? ((text) => process.stdout.write(text)),
    writeErr: out.writeErr?.bind(out) ?? ((text) => process.stderr.write(text)),
  };
}

/** Commander option parser that collects a repeatable option into a list. */
export function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
