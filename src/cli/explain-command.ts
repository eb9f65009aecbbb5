import type { Command } from 'commander';
import type { CliSession } from './io.js';

/** `kubemend explain <rule|code>`: the rule's README, for a terminal. Its code loads only when the command runs. */
export function addExplainCommand(program: Command, session: CliSession): void {
  program
    .command('explain')
    .description(
      'Explain a rule or finding code: what it checks, why, how to fix it, and how kubemend differs from kubeaudit',
    )
    .argument('<rule|code>', 'a rule id (privileged, pss/privileged) or a finding code (PrivilegedTrue)')
    .option('--no-color', 'never colour the output (also NO_COLOR=1)')
    .action(async (name: string, options: { color?: boolean }) =>
      (await import('./explain.js')).explain(session, name, options),
    );
}
