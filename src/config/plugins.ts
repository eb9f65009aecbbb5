import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigIssue } from '../engine/config-issue.js';
import type { Rule } from '../engine/types.js';
import type { Plugin } from '../rule-api/plugin.js';
import { SEVERITIES } from './schema.js';

/*
 * Plugins: rule modules named in `.kubemend.yaml` (`plugins:`), written against `kubemend/rule`. A path is relative
 * to the config file; a package name is resolved from it, as Node resolves an import there. The module's default
 * export is a Plugin; its rules are named `<plugin name>/<rule id>` and run in every profile. A plugin that cannot be
 * loaded or breaks the contract is a problem of the config file, at the line that names it.
 */

const NAME = /^[a-z][a-z0-9-]*$/;
const RULE_ID = /^[a-z][A-Za-z0-9-]*$/;
const CODE = /^[A-Z][A-Za-z0-9]*$/;

/** Where a plugin is, for one entry of `plugins`. */
function resolvePlugin(configFile: string, specifier: string): { file: string } | { problem: string } {
  if (isPath(specifier)) {
    const file = path.resolve(path.dirname(configFile), specifier);
    return existsSync(file) ? { file } : { problem: `no such file: ${file}` };
  }
  try {
    return { file: createRequire(configFile).resolve(specifier) };
  } catch {
    const folder = path.dirname(configFile);
    return { problem: `no such package from ${folder} (install it there: npm install ${specifier})` };
  }
}

function isPath(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || path.isAbsolute(specifier);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with one rule of a plugin, against the contract of kubemend/rule; empty when nothing is. */
function ruleProblems(rule: unknown, at: string): string[] {
  if (!isObject(rule)) return [`${at} is not a rule object`];
  const problems: string[] = [];
  if (rule.kind === 'workload') {
    if (typeof rule.check !== 'function') problems.push(`${at}.check must be a function (a workload rule)`);
  } else if (rule.kind === 'resource-set') {
    if (typeof rule.collect !== 'function' || typeof rule.check !== 'function')
      problems.push(`${at}.collect and ${at}.check must be functions (a resource-set rule)`);
  } else {
    problems.push(`${at}.kind must be "workload" or "resource-set"`);
  }
  const meta = rule.meta;
  if (!isObject(meta)) return [...problems, `${at}.meta is missing`];
  if (typeof meta.id !== 'string' || !RULE_ID.test(meta.id))
    problems.push(`${at}.meta.id must be letters, digits and dashes, starting with a lowercase letter`);
  if (typeof meta.description !== 'string' || meta.description === '')
    problems.push(`${at}.meta.description must be a sentence`);
  if (!isObject(meta.codes) || Object.keys(meta.codes).length === 0) {
    problems.push(`${at}.meta.codes must declare at least one code`);
  } else {
    for (const [code, codeMeta] of Object.entries(meta.codes)) {
      const where = `${at}.meta.codes.${code}`;
      if (!CODE.test(code)) problems.push(`${where}: a code is letters and digits, starting with a capital`);
      if (!isObject(codeMeta) || !SEVERITIES.includes(codeMeta.severity as never))
        problems.push(`${where}.severity must be error, warning or info`);
      else if (typeof codeMeta.description !== 'string') problems.push(`${where}.description must be a sentence`);
    }
  }
  for (const [name, option] of Object.entries(isObject(meta.options) ? meta.options : {})) {
    if (
      !isObject(option) ||
      !isObject(option.schema) ||
      typeof option.description !== 'string' ||
      !('default' in option)
    )
      problems.push(`${at}.meta.options.${name} needs a description, a JSON Schema (schema) and a default`);
  }
  return problems;
}

/** The plugin's rules with their full ids, or what is wrong with it. */
function rulesOf(exported: unknown, taken: ReadonlyMap<string, string>): { rules: Rule[] } | { problem: string } {
  const plugin = isObject(exported) ? (exported as Partial<Plugin>) : undefined;
  if (!plugin || typeof plugin.name !== 'string' || !Array.isArray(plugin.rules))
    return { problem: 'its default export must be a plugin: { name, rules } (see kubemend/rule)' };
  if (!NAME.test(plugin.name) || plugin.name === 'pss')
    return { problem: `its name "${plugin.name}" must be lowercase letters, digits and dashes, and not pss` };
  if (plugin.rules.length === 0) return { problem: 'it has no rules' };
  const problems = plugin.rules.flatMap((rule, index) => ruleProblems(rule, `rules[${index}]`));
  if (problems.length > 0) return { problem: `it breaks the rule contract of kubemend/rule: ${problems.join('; ')}` };
  const rules = (plugin.rules as Rule[]).map((rule) => {
    const id = `${plugin.name}/${rule.meta.id}`;
    const docs = rule.meta.docs ?? { markdown: `# ${id}\n\n${rule.meta.description}\n` };
    return { ...rule, meta: { ...rule.meta, id, docs } } as Rule;
  });
  const claimed = new Map(taken);
  for (const rule of rules) {
    if (claimed.has(rule.meta.id)) return { problem: `it has two rules named ${rule.meta.id}` };
    claimed.set(rule.meta.id, rule.meta.id);
    for (const code of Object.keys(rule.meta.codes)) {
      const owner = claimed.get(code);
      if (owner !== undefined)
        return { problem: `${rule.meta.id} declares ${code}, which ${owner} declares too: codes must be unique` };
      claimed.set(code, rule.meta.id);
    }
  }
  return { rules };
}

/**
 * The rules of every plugin `specifiers` name (the config's `plugins`), or the problems, each at its entry.
 * `known` are the rules already there, whose ids and codes a plugin must not take.
 */
export async function loadPlugins(
  specifiers: readonly string[],
  configFile: string,
  known: readonly Rule[],
  issueAt: (index: number, problem: string) => ConfigIssue,
): Promise<{ rules: Rule[]; issues: ConfigIssue[] }> {
  /** Rule ids and codes, each with the rule that has it. */
  const taken = new Map<string, string>();
  const claim = (rule: Rule) => {
    taken.set(rule.meta.id, rule.meta.id);
    for (const code of Object.keys(rule.meta.codes)) taken.set(code, rule.meta.id);
  };
  known.forEach(claim);
  const rules: Rule[] = [];
  const issues: ConfigIssue[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const resolved = resolvePlugin(configFile, specifier);
    if ('problem' in resolved) {
      issues.push(issueAt(index, `cannot load plugin ${specifier}: ${resolved.problem}`));
      continue;
    }
    let exported: unknown;
    try {
      exported = ((await import(pathToFileURL(resolved.file).href)) as { default?: unknown }).default;
    } catch (error) {
      // The plugin's own error, in one line: its stack would be about the plugin, not about the config.
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      issues.push(issueAt(index, `cannot load plugin ${specifier}: ${reason}`));
      continue;
    }
    const loaded = rulesOf(exported, taken);
    if ('problem' in loaded) {
      issues.push(issueAt(index, `plugin ${specifier}: ${loaded.problem}`));
      continue;
    }
    loaded.rules.forEach(claim);
    rules.push(...loaded.rules);
  }
  return { rules, issues };
}
