import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { didYouMean } from '../engine/did-you-mean.js';
import { usageError } from './shared.js';

/**
 * Parses an option that takes one of a few words (`--profile`, `--format`), with a did-you-mean on a typo. Used
 * after commander's `.choices()`, which keeps listing the choices in `--help`.
 */
export function choiceParser<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw usageError(`${flag} must be one of ${choices.join(', ')}; not "${value}"${didYouMean(value, choices)}`);
  };
}

/** A bare word (no path separator, no extension, no glob) is what a mistyped command looks like. */
const COMMAND_LIKE = /^[a-z][a-z0-9-]*$/i;

function commandNames(program: Command): string[] {
  return program.commands.flatMap((command) => [command.name(), ...command.aliases()]);
}

/**
 * `kubemend verison`: the first argument names no file and looks like a command, so it is a usage error that says
 * both, rather than "no such file". A file or folder of that name is linted as usual.
 */
export function rejectUnknownCommand(program: Command, paths: readonly string[]): void {
  const first = paths[0];
  if (first === undefined || !COMMAND_LIKE.test(first) || statSync(first, { throwIfNoEntry: false })) return;
  const hint = didYouMean(first, commandNames(program));
  throw usageError(
    `"${first}" is neither a file or directory nor a command${hint} (kubemend --help lists the commands)`,
  );
}
