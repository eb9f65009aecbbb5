import { Option, type Command } from 'commander';
import { ALL_RULES } from '../presets/registry.js';
import type { CliSession } from './io.js';
import { writeReport } from './shared.js';

interface CodeRow {
  rule: string;
  code: string;
  severity: string;
  fixable: boolean;
  description: string;
}

function rows(): CodeRow[] {
  return ALL_RULES.flatMap((rule) =>
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

/** `kubemend rules`: every rule and code with its default severity, whether it can be fixed, and what it means. */
export function addRulesCommand(program: Command, session: CliSession): void {
  program
    .command('rules')
    .description('List every rule and code: default severity, fixability, description')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((options: { format: 'table' | 'json' }) => {
      const list = rows();
      writeReport(
        options.format === 'json' ? `${JSON.stringify({ version: 1, codes: list })}\n` : `${table(list)}\n`,
        undefined,
        session.io.stdout,
      );
    });
}
