import { Option, type Command } from 'commander';
import type { CliSession } from './io.js';

/**
 * `kubemend lsp --stdio`: the language server for editors. Its modules (and vscode-languageserver) are imported only
 * here, so a plain lint does not load them.
 */
export function addLspCommand(program: Command, session: CliSession): void {
  program
    .command('lsp')
    .description('Run the language server for editors (Language Server Protocol over stdin and stdout)')
    .option('--stdio', 'talk over stdin and stdout (what editors pass; the only transport)')
    // vscode-languageclient passes the editor's process id; the server learns it from `initialize` as well.
    .addOption(new Option('--clientProcessId <pid>').hideHelp())
    .action(async () => {
      const { runLanguageServer } = await import('../lsp/server.js');
      session.exitCode = await runLanguageServer(session.io);
    });
}
