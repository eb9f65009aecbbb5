import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import { ALLOWED_SUFFIX, REDUNDANT_OVERRIDE_CODE } from '../engine/overrides.js';
import { findRule } from '../presets/registry.js';
import { helpMarkdown, readmeSectionUrl, REDUNDANT_OVERRIDE_HELP, ruleDocUrl } from '../report/sarif-rules.js';
import { readPackageInfo, readRuleDocs, type PackageInfo } from '../package-info.js';
import type { FindingInfo } from './messages.js';

/** The parts of a rule's README a hover shows: what (the text under the title), why, how to fix. */
const SHOWN_SECTIONS = ['Why it matters', 'How to fix'];

/** The README's introduction and the shown sections, headings found outside code blocks only. */
export function readmeSummary(readme: string): string {
  const sections: { heading: string | undefined; lines: string[] }[] = [{ heading: undefined, lines: [] }];
  let fenced = false;
  for (const line of readme.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? undefined : /^##\s+(.*)$/.exec(line)?.[1]?.trim();
    if (heading !== undefined) sections.push({ heading, lines: [line] });
    else if (!(sections.length === 1 && !fenced && /^#\s/.test(line))) sections.at(-1)!.lines.push(line);
  }
  return sections
    .filter((section) => section.heading === undefined || SHOWN_SECTIONS.includes(section.heading))
    .map((section) => section.lines.join('\n').trim())
    .filter((text) => text !== '')
    .join('\n\n');
}

function contains(range: Range, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** Rule documentation for hovers, read once from the READMEs the build embeds. */
export class RuleHelp {
  private docs: Record<string, string> | undefined;
  private pkg: PackageInfo | undefined;

  /** Markdown for one code: the code and what it means, then the rule's README summary and a link to all of it. */
  markdown(rule: string, code: string): string {
    this.pkg ??= readPackageInfo();
    this.docs ??= readRuleDocs(this.pkg.root);
    const base = code.endsWith(ALLOWED_SUFFIX) ? code.slice(0, -ALLOWED_SUFFIX.length) : code;
    if (code === REDUNDANT_OVERRIDE_CODE) return helpMarkdown(REDUNDANT_OVERRIDE_HELP, readmeSectionUrl(this.pkg));
    const meaning = findRule(rule)?.meta.codes[base]?.description;
    const readme = this.docs[rule];
    const title = `**${code}** (kubemend rule \`${rule}\`)${meaning ? `: ${meaning}` : ''}`;
    if (readme === undefined) return title;
    return `${title}\n\n${helpMarkdown(readmeSummary(readme), ruleDocUrl(this.pkg, rule))}`;
  }

  /** The help of every finding whose range holds the position, on the first one's range. */
  hover(position: Position, findings: readonly FindingInfo[]): Hover | null {
    const here = findings.filter((finding) => contains(finding.diagnostic.range, position));
    if (here.length === 0) return null;
    const codes = [...new Map(here.map((finding) => [`${finding.rule} ${finding.code}`, finding])).values()];
    const value = codes.map((finding) => this.markdown(finding.rule, finding.code)).join('\n\n---\n\n');
    return { contents: { kind: MarkupKind.Markdown, value }, range: here[0]!.diagnostic.range };
  }
}
