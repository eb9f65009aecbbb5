import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { addKubeauditCommands } from './kubeaudit-commands.js';
import { configureLint } from './lint-command.js';
import { addRulesCommand } from './rules-command.js';
import { EXIT_CLEAN, EXIT_TROUBLE } from './shared.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

export function buildProgram(): Command {
  const program = new Command('kubemend')
    .description('Lint Kubernetes manifests for insecure pod settings (a kubeaudit successor).')
    .version(version, '-V, --version')
    .showHelpAfterError('(run kubemend --help for usage)')
    .enablePositionalOptions()
    .exitOverride();
  configureLint(program);
  addKubeauditCommands(program);
  addRulesCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        process.exitCode = EXIT_CLEAN;
        return;
      }
      if (error.code.startsWith('kubemend.') && error.message) process.stderr.write(`kubemend: ${error.message}\n`);
      process.exitCode = error.code.startsWith('kubemend.') ? error.exitCode : EXIT_TROUBLE;
      return;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`kubemend: internal error, please report it with the command you ran:\n${detail}\n`);
    process.exitCode = EXIT_TROUBLE;
  }
}
