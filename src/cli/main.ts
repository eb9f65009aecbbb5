import { Command, CommanderError } from 'commander';
import { CliSession, processIo, type CliIo } from './io.js';
import { addKubeauditCommands } from './kubeaudit-commands.js';
import { configureLint } from './lint-command.js';
import { addLspCommand } from './lsp-command.js';
import { addRulesCommand } from './rules-command.js';
import { addExplainCommand } from './explain-command.js';
import { addInitCommand } from './init-command.js';
import { readPackageJson } from '../package-info.js';
import { EXIT_CLEAN, EXIT_TROUBLE } from './shared.js';

export function buildProgram(session: CliSession): Command {
  const { io } = session;
  const { version } = readPackageJson();
  const program = new Command('kubemend')
    .description('Lint Kubernetes manifests for insecure pod settings (a kubeaudit successor).')
    .version(version, '-V, --version')
    .showHelpAfterError('(run kubemend --help for usage)')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  configureLint(program, session);
  addKubeauditCommands(program, session);
  addRulesCommand(program, session);
  addLspCommand(program, session);
  addExplainCommand(program, session);
  addInitCommand(program, session);
  program
    .command('version')
    .description("Print kubemend's version (same as --version)")
    .action(() => {
      io.stdout.write(`${version}\n`);
    });
  return program;
}

/**
 * Runs the command line and returns its exit status. Relative paths start from `io.cwd`: while the run lasts the
 * process's working directory is `io.cwd` (file names are resolved by the file system, so this is the one place
 * that needs it), and it is restored afterwards.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const session = new CliSession(io);
  const previousCwd = process.cwd();
  if (io.cwd !== previousCwd) process.chdir(io.cwd);
  try {
    await buildProgram(session).parseAsync([...argv], { from: 'user' });
    return session.exitCode;
  } catch (error) {
    return exitCodeOf(error, session);
  } finally {
    if (io.cwd !== previousCwd) process.chdir(previousCwd);
  }
}

function exitCodeOf(error: unknown, session: CliSession): number {
  if (error instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return EXIT_CLEAN;
    if (!error.code.startsWith('kubemend.')) return EXIT_TROUBLE;
    if (error.message) session.say(error.message);
    return error.exitCode;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  session.say(`internal error, please report it with the command you ran:\n${detail}`);
  return EXIT_TROUBLE;
}
