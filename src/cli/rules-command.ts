import { Option, type Command } from 'commander';
import type { Rule } from '../engine/types.js';
import { readConfig } from './config-loading.js';
import type { CliSession } from './io.js';
import { EXIT_TROUBLE, writeReport } from './shared.js';

interface CodeRow {
  rule: string;
  code: string;
  severity: string;
  fixable: boolean;
  description: string;
}

function rows(rules: readonly Rule[]): CodeRow[] {
  return rules.flatMap((rule) =>
    Object.entries(rule.meta.codes).map(([code, meta]) => ({
      rule: rule.meta.id,
      code,
      severity: meta.severity,
      fixable: meta.fixable === true,
      description: meta.description,
    })),
  );
}

function table(list: CodeRow[]): string {
  const header = { rule: 'RULE', code: 'CODE', severity: 'SEVERITY', fixable: 'FIXABLE', description: 'DESCRIPTION' };
  const cells = [header, ...list.map((row) => ({ ...row, fixable: row.fixable ? 'yes' : 'no' }))];
  const width = (key: 'rule' | 'code' | 'severity' | 'fixable') =>
    Math.max(...cells.map((row) => String(row[key]).length));
  const widths = { rule: width('rule'), code: width('code'), severity: width('severity'), fixable: width('fixable') };
  return cells
    .map(
      (row) =>
        `${String(row.rule).padEnd(widths.rule)}  ${String(row.code).padEnd(widths.code)}  ` +
        `${String(row.severity).padEnd(widths.severity)}  ` +
        `${String(row.fixable).padEnd(widths.fixable)}  ${row.description}`,
    )
    .join('\n');
}

/**
 * `kubemend rules`: every rule and code with its default severity, whether it can be fixed, and what it means; the
 * built-in rules, then those of the plugins the config (found from the working directory, or -c) loads.
 */
export function addRulesCommand(program: Command, session: CliSession): void {
  program
    .command('rules')
    .description('List every rule and code: default severity, fixability, description')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-c, --config <file>', 'read this .kubemend.yaml (and its plugins) instead of looking for one')
    .action(async (options: { format: 'table' | 'json'; config?: string }) => {
      const config = await readConfig(session, { config: options.config });
      if (!config) {
        session.exitCode = EXIT_TROUBLE;
        return;
      }
      const list = rows(config.allRules);
      writeReport(
        options.format === 'json' ? `${JSON.stringify({ version: 1, codes: list })}\n` : `${table(list)}\n`,
        undefined,
        session.io.stdout,
      );
    });
}
