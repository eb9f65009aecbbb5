import { didYouMean } from '../engine/did-you-mean.js';
import { ALLOWED_SUFFIX, REDUNDANT_OVERRIDE_CODE } from '../engine/overrides.js';
import type { CodeMeta, Rule } from '../engine/types.js';
import { choosePalette, type Palette } from '../report/colors.js';
import { FILE_ERROR } from '../report/problem-counts.js';
import { PARSE_ERROR_HELP, PARSE_ERROR_RULE, REDUNDANT_OVERRIDE_HELP } from '../report/sarif-rules.js';
import { readPackageInfo, readRuleDocs } from '../package-info.js';
import { readConfig } from './config-loading.js';
import type { CliSession } from './io.js';
import { renderMarkdown } from './markdown-terminal.js';
import { EXIT_TROUBLE, usageError } from './shared.js';

/** What `kubemend explain` shows: a rule, one of its codes, or a problem that belongs to no rule. */
type Subject = { rule: Rule; code?: string } | { help: string; readme: string };

function fixability(meta: CodeMeta): string {
  return meta.fixable ? 'kubemend --fix repairs it' : 'no automatic fix: change the manifest by hand';
}

/** Finds `privileged`, `PrivilegedTrue`, `privileged/PrivilegedTrue` or `PrivilegedTrueAllowed`. */
function findSubject(name: string, rules: readonly Rule[]): Subject | undefined {
  if (name === REDUNDANT_OVERRIDE_CODE || name === `override/${REDUNDANT_OVERRIDE_CODE}`) {
    return { help: REDUNDANT_OVERRIDE_HELP, readme: 'README.md#configuration' };
  }
  if (name === PARSE_ERROR_RULE || name === FILE_ERROR)
    return { help: PARSE_ERROR_HELP, readme: 'README.md#how-manifests-are-read' };
  const rule = rules.find((candidate) => candidate.meta.id === name);
  if (rule) return { rule };
  const code = name.slice(name.lastIndexOf('/') + 1).replace(new RegExp(`(?<=.)${ALLOWED_SUFFIX}$`), '');
  const owner = rules.find((candidate) => code in candidate.meta.codes);
  const ruleNamed = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : undefined;
  if (!owner || (ruleNamed !== undefined && ruleNamed !== owner.meta.id)) return undefined;
  return { rule: owner, code };
}

function knownNames(rules: readonly Rule[]): string[] {
  return [
    ...rules.flatMap((rule) => [rule.meta.id, ...Object.keys(rule.meta.codes)]),
    REDUNDANT_OVERRIDE_CODE,
    PARSE_ERROR_RULE,
  ];
}

/** For a code: what it means and whether --fix repairs it; for a rule: the same for each of its codes. */
function header(rule: Rule, code: string | undefined, palette: Palette): string[] {
  const codes = Object.entries(rule.meta.codes).filter(([name]) => code === undefined || name === code);
  return codes.flatMap(([name, meta]) => [
    `${palette.bold(`${rule.meta.id}/${name}`)}  ${meta.severity}; ${fixability(meta)}`,
    `  ${meta.description}`,
  ]);
}

/** `kubemend explain <rule|code>`: the rule's README (a plugin rule's docs), for a terminal. */
export async function explain(session: CliSession, name: string, options: { color?: boolean }): Promise<void> {
  // The config names the plugins, whose rules can be explained too.
  const config = await readConfig(session, {});
  if (!config) {
    session.exitCode = EXIT_TROUBLE;
    return;
  }
  const subject = findSubject(name, config.allRules);
  if (!subject)
    throw usageError(
      `no rule or finding code is called "${name}"${didYouMean(name, knownNames(config.allRules))} ` +
        `(kubemend rules lists them)`,
    );
  const { stdout, env } = session.io;
  const palette = choosePalette({ color: options.color, isTTY: stdout.isTTY === true, env });
  const pkg = readPackageInfo();
  const blob = `${pkg.repositoryUrl}/blob/main/`;
  if ('help' in subject) {
    stdout.write(await renderMarkdown(subject.help, { palette, baseUrl: `${blob}${subject.readme}` }));
    return;
  }
  const { id, docs } = subject.rule.meta;
  const readme = docs?.markdown ?? readRuleDocs(pkg.root)[id];
  if (readme === undefined)
    throw new Error(`rule ${id} has no embedded README; rebuild kubemend with \`npm run build\``);
  const body = await renderMarkdown(readme, {
    palette,
    baseUrl: docs ? (docs.url ?? `${blob}README.md#plugins`) : `${blob}rules/${id}/README.md`,
  });
  stdout.write(`${header(subject.rule, subject.code, palette).join('\n')}\n\n${body}`);
}
