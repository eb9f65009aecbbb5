import type { ReportingDescriptor } from 'sarif';
import { REDUNDANT_OVERRIDE_CODE } from '../engine/overrides.js';
import type { PackageInfo } from '../package-info.js';
import type { Rule, Severity } from '../engine/types.js';

export const PARSE_ERROR_RULE = 'ManifestParseError';

export const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/**
 * GitHub's `security-severity` for every code, by kubemend severity (kubeaudit's, per code). GitHub reads it as
 * critical > 9.0, high 7.0-8.9, medium 4.0-6.9, low 0.1-3.9. The same table is in README.md ("GitHub code scanning
 * and annotations"); change both together.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', info: '2.0' };

/** GitHub limits rule descriptions to 1,024 characters. */
const DESCRIPTION_LIMIT = 1024;
/** GitHub keeps 10 tags per rule. */
const TAG_LIMIT = 10;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/**
 * GitHub renders `help.markdown` away from the repository, so links relative to the README are made absolute; and
 * since it does not show `helpUri`, the markdown ends with a link to the README.
 */
export function helpMarkdown(readme: string, readmeUrl: string): string {
  const base = readmeUrl.slice(0, readmeUrl.lastIndexOf('/') + 1);
  const absolute = readme.replace(/\]\(([^)\s]+)\)/g, (link, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return link;
    return `](${target.startsWith('#') ? `${readmeUrl}${target}` : new URL(target, base).href})`;
  });
  return `${absolute.trimEnd()}\n\n[Rule documentation](${readmeUrl})\n`;
}

export const REDUNDANT_OVERRIDE_HELP = `# RedundantAuditorOverride

A kubeaudit override label (\`container.kubeaudit.io/<container>.<override>\`, \`kubeaudit.io/<override>\`, or the
deprecated \`audit.kubernetes.io/…\` forms) allows a setting that the workload does not have, so it allows nothing.

## Why it matters

An override label is a recorded exception to a security rule. One that is not needed today silently allows the risky
setting the day someone adds it, without review.

## How to fix

Remove the label from the pod template's (or the Namespace's) \`metadata.labels\`.
`;

export const PARSE_ERROR_HELP = `# ManifestParseError

kubemend could not read this file, so nothing in it was checked: invalid YAML, duplicate keys (the Kubernetes API
server rejects them), an unrendered Helm template (\`{{ … }}\`), a binary or non-UTF-8 file, an alias bomb, or a path
that matched no file. The message says what is wrong and where.

## How to fix

Correct the file at the reported line. Lint Helm charts after rendering them: \`helm template … | kubemend -\`.
`;

/** Where a rule's README is published: SARIF's helpUri, the editor's link from a diagnostic. */
export function ruleDocUrl(pkg: PackageInfo, ruleId: string): string {
  return `${pkg.repositoryUrl}/blob/main/rules/${ruleId}/README.md`;
}

/** The README section on overrides and unreadable files, which have no rule README of their own. */
export function readmeSectionUrl(pkg: PackageInfo): string {
  return `${pkg.repositoryUrl}/blob/main/README.md#github-code-scanning-and-annotations`;
}

export interface RuleTable {
  descriptors: ReportingDescriptor[];
  /** Index in `descriptors` by rule id (the finding code). */
  indexOf: Map<string, number>;
  /** Default severity by rule id: suppressed results keep the level of the code they would have had. */
  severityOf: Map<string, Severity>;
}

interface DescriptorInput {
  id: string;
  name: string;
  short: string;
  full: string;
  help: string;
  helpUri: string;
  severity: Severity;
  tags: string[];
}

function descriptor(input: DescriptorInput): ReportingDescriptor {
  return {
    id: input.id,
    name: input.name,
    shortDescription: { text: clip(input.short, DESCRIPTION_LIMIT) },
    fullDescription: { text: clip(input.full, DESCRIPTION_LIMIT) },
    help: { text: input.help, markdown: helpMarkdown(input.help, input.helpUri) },
    helpUri: input.helpUri,
    defaultConfiguration: { level: SARIF_LEVEL[input.severity] },
    properties: {
      tags: [...new Set(['security', 'kubernetes', ...input.tags])].slice(0, TAG_LIMIT),
      precision: 'very-high',
      'security-severity': SECURITY_SEVERITY[input.severity],
    },
  };
}

/**
 * One SARIF rule per code the given rules can report, declared even when nothing fired so GitHub can tell "checked,
 * clean" from "not checked"; then RedundantAuditorOverride (any rule with an override can report it) and
 * ManifestParseError. Overridden findings (`<Code>Allowed`) are results of their code, suppressed, so they need no rule.
 */
export function buildRules(
  rules: readonly Rule[],
  pkg: PackageInfo,
  docs: Readonly<Record<string, string>>,
): RuleTable {
  const inputs: DescriptorInput[] = [];
  const declaredBy = new Map<string, string>();
  for (const rule of rules) {
    const { id, description, codes } = rule.meta;
    // A plugin's rule carries its documentation; a built-in rule's README is embedded at build time.
    const readme = rule.meta.docs?.markdown ?? docs[id];
    if (readme === undefined)
      throw new Error(
        `rule ${id} has no embedded README (rules/${id}/README.md); rebuild kubemend with \`npm run build\``,
      );
    for (const [code, meta] of Object.entries(codes)) {
      const other = declaredBy.get(code);
      if (other !== undefined)
        throw new Error(`code ${code} is declared by rules ${other} and ${id}; SARIF rule ids must be unique`);
      declaredBy.set(code, id);
      inputs.push({
        id: code,
        name: `${id}/${code}`,
        short: meta.description,
        full: `${description} ${meta.description}`,
        help: readme,
        helpUri: rule.meta.docs ? (rule.meta.docs.url ?? readmeSectionUrl(pkg)) : ruleDocUrl(pkg, id),
        severity: meta.severity,
        tags: [id],
      });
    }
  }
  const readmeSection = readmeSectionUrl(pkg);
  inputs.push({
    id: REDUNDANT_OVERRIDE_CODE,
    name: `override/${REDUNDANT_OVERRIDE_CODE}`,
    short: 'A kubeaudit override label allows a setting the workload does not have.',
    full:
      'A kubeaudit override label allows a setting the workload does not have; an unused ' +
      'exception would silently allow that setting once someone adds it. Remove the label.',
    help: REDUNDANT_OVERRIDE_HELP,
    helpUri: readmeSection,
    severity: 'warning',
    tags: ['override'],
  });
  inputs.push({
    id: PARSE_ERROR_RULE,
    name: `parse/${PARSE_ERROR_RULE}`,
    short: 'kubemend could not read this manifest, so it was not checked.',
    full: 'kubemend could not read this manifest (invalid YAML, duplicate keys, an unrendered template, not UTF-8), so none of its resources were checked.',
    help: PARSE_ERROR_HELP,
    helpUri: readmeSection,
    severity: 'error',
    tags: ['correctness'],
  });
  return {
    descriptors: inputs.map(descriptor),
    indexOf: new Map(inputs.map((input, index) => [input.id, index])),
    severityOf: new Map(inputs.map((input) => [input.id, input.severity])),
  };
}
