/**
 * docs/reference/cli.md from the commander program (`buildProgram()` in bin/cli.ts): every
 * command (and subcommand), its arguments, its options with their defaults, and the text each
 * command adds to its help (exit codes, output format). A command registered in
 * bin/commands/index.ts shows up here without a change.
 */
import type { Argument, Command, Option } from 'commander';
import { buildProgram } from '../../bin/cli';
import { EXIT_CODES } from '../../lib/validation/format';
import { cell, generatedNotice } from './markdown';

/** What a command adds to its help (`addHelpText('after', …)`), as its listeners write it. */
function helpText(command: Command, event: 'beforeHelp' | 'afterHelp'): string {
  let text = '';
  (command as unknown as NodeJS.EventEmitter).emit(event, { error: false, command, write: (s: string) => (text += s) });
  return text.trim();
}

function shownDefault(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value) && value.length === 0) return '';
  return `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;
}

function argumentRow(argument: Argument): string {
  const name = `${argument.required ? '<' : '['}${argument.name()}${argument.variadic ? '...' : ''}${argument.required ? '>' : ']'}`;
  return `| \`${name}\` | ${argument.required ? 'required' : 'optional'} | ${cell(shownDefault(argument.defaultValue))} | ${cell(argument.description)} |`;
}

function optionRow(option: Option): string {
  const notes = [option.mandatory ? 'required' : '', option.argChoices ? `one of ${option.argChoices.map((c) => `\`${c}\``).join(', ')}` : ''].filter(
    (s) => s !== '',
  );
  const description = [option.description, ...notes].filter((s) => s !== '').join('; ');
  return `| \`${option.flags}\` | ${cell(option.negate ? '' : shownDefault(option.defaultValue))} | ${cell(description)} |`;
}

/** The section of one command (and of its subcommands, one level deeper). */
function commandSection(command: Command, parents: readonly string[], depth: number): string[] {
  const path = [...parents, command.name()];
  const lines = [
    `${'#'.repeat(depth)} \`${path.slice(1).join(' ')}\``,
    '',
    command.description(),
    '',
    '```text',
    `${path.join(' ')} ${command.usage()}`,
    '```',
    '',
  ];
  const before = helpText(command, 'beforeHelp');
  if (before !== '') lines.push(before, '');
  if (command.registeredArguments.length > 0) {
    lines.push('| argument | | default | meaning |', '|---|---|---|---|', ...command.registeredArguments.map(argumentRow), '');
  }
  const options = command.options.filter((o) => !o.hidden);
  if (options.length > 0) lines.push('| option | default | meaning |', '|---|---|---|', ...options.map(optionRow), '');
  const after = helpText(command, 'afterHelp');
  if (after !== '') lines.push('```text', after, '```', '');
  for (const sub of command.commands) lines.push(...commandSection(sub, path, depth + 1));
  return lines;
}

const EXIT_MEANINGS: Readonly<Record<keyof typeof EXIT_CODES, string>> = {
  ok: 'success: no error (warnings allowed)',
  findings: 'the command ran and found at least one error (a failed check, an invalid config); synth has written nothing',
  usage: 'usage error: unknown command, option or environment, a missing file, a bad option value',
};

/** The whole page. */
export function cliReference(): string {
  const program = buildProgram({ writeOut: () => undefined, writeErr: () => undefined });
  const lines = [
    '# CLI reference: `wire-federation`',
    '',
    generatedNotice('the commander definitions in `bin/commands/` (`buildProgram()` in `bin/cli.ts`)'),
    '',
    program.description(),
    '',
    'In a checkout of this repository run it as `npx wire-federation …` (or `npm run wire-federation -- …`): environments of `stacks/environments` are known by name. The installed package reads config files (`--config <file>`, or a `.yaml`/`.json` target).',
    '',
    '## Exit codes',
    '',
    'Every command (and `npm run synth`) exits with:',
    '',
    '| code | meaning |',
    '|---|---|',
    ...Object.entries(EXIT_CODES).map(([key, code]) => `| ${code} | ${cell(EXIT_MEANINGS[key as keyof typeof EXIT_CODES])} |`),
    '',
    'Commands that say more about their exit codes do so in their section below.',
    '',
    '## Commands',
    '',
    '| command | what it does |',
    '|---|---|',
    ...program.commands.map((c) => `| [\`${c.name()}\`](#${c.name()}) | ${cell(c.description())} |`),
    '',
  ];
  for (const command of program.commands) lines.push(...commandSection(command, [program.name()], 2));
  return lines.join('\n');
}
