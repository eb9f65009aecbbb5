import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliSession } from './io.js';
import { usageError } from './shared.js';

const CONFIG_NAMES = ['.kubemend.yaml', '.kubemend.yml'];

/** `kubemend init`: a commented .kubemend.yaml with every default, in the working directory (or on stdout). */
export function addInitCommand(program: Command, session: CliSession): void {
  program
    .command('init')
    .description('Write a commented .kubemend.yaml with every default (profile, rules and their options, ignore)')
    .option('--stdout', 'print it instead of writing the file')
    .option('--force', 'replace an existing .kubemend.yaml')
    .action(async (options: { stdout?: boolean; force?: boolean }) => {
      // Loaded only for this command: linting never needs the template.
      const text = (await import('../config/template.js')).configTemplate();
      if (options.stdout) {
        session.io.stdout.write(text);
        return;
      }
      const existing = CONFIG_NAMES.find((name) => existsSync(path.join(session.io.cwd, name)));
      if (existing && !options.force)
        throw usageError(`${existing} exists already: edit it, or run kubemend init --force to replace it`);
      const file = path.join(session.io.cwd, existing ?? CONFIG_NAMES[0]!);
      writeFileSync(file, text);
      session.say(
        `wrote ${path.basename(file)}: every setting at its default, with comments; change what your team needs`,
      );
    });
}
