import type { ManifestComment } from '../../load/parse.js';
import type { LineIndex } from '../../load/positions.js';
import type { FindingSpan } from '../types.js';
import { SUPPRESSION_INVALID, SUPPRESSION_UNUSED } from './codes.js';
import { NO_RESOURCE, type Directive, type DirectiveNote, type Owner } from './directive.js';
import type { NameBook } from './names.js';

/*
 * Suppression comments:
 *   # kubemend-disable-next-line <names> [until=YYYY-MM-DD] -- <reason>
 *   <line>  # kubemend-disable-line <names> [until=YYYY-MM-DD] -- <reason>
 *   # kubemend-disable <names> [until=YYYY-MM-DD] -- <reason>   … up to a kubemend-enable or the document's end
 *   # kubemend-enable [<names>]
 * The comments are the YAML parser's (parseManifest with `comments`), so a `#` inside a string or a block scalar
 * (a script in a ConfigMap) is not one.
 */

/** Every suppression comment starts with it; a file without it has none. */
export const DIRECTIVE_MARK = 'kubemend-';
const FORMS = ['disable-next-line', 'disable-line', 'disable', 'enable'] as const;
type Form = (typeof FORMS)[number];

interface Position {
  line: number;
  column: number;
}

interface Parsed {
  form: Form;
  names: string[];
  until: string | null;
  reason: string | null;
  problems: string[];
}

export interface CommentDirectives {
  directives: Directive[];
  notes: DirectiveNote[];
}

/** Whether `finding` is shown on `line`, or would be had fewer of its missing field's parents existed. */
function isOnLine(finding: FindingSpan, line: number): boolean {
  return finding.line === line || finding.coveringLines?.includes(line) === true;
}

function isBefore(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

function parseComment(text: string): Parsed | { unknownForm: string } | undefined {
  const body = text.replace(/^#\s*/, '');
  if (!body.startsWith(DIRECTIVE_MARK)) return undefined;
  const word = body.split(/\s/, 1)[0]!;
  const form = FORMS.find((candidate) => word === `${DIRECTIVE_MARK}${candidate}`);
  if (!form) return /^kubemend-(disable|enable)/.test(word) ? { unknownForm: word } : undefined;
  const rest = body.slice(word.length);
  const separator = /(?:^|\s)--(?:\s|$)/.exec(rest);
  const head = separator ? rest.slice(0, separator.index) : rest;
  const reason = separator ? rest.slice(separator.index + separator[0].length).trim() : '';
  const parsed: Parsed = { form, names: [], until: null, reason: reason || null, problems: [] };
  for (const token of head.split(/[\s,]+/).filter(Boolean)) {
    const option = /^([^=]+)=(.*)$/.exec(token);
    if (!option) parsed.names.push(token);
    else if (option[1] === 'until' && parsed.until === null) parsed.until = option[2]!;
    else
      parsed.problems.push(
        `${option[1] === 'until' ? 'until= is given twice' : `unknown option ${token}`}: the only option is until=YYYY-MM-DD`,
      );
  }
  return parsed;
}

/** The line of the first line after `offset`'s that is neither blank nor a comment. */
function nextContentLine(text: string, lines: LineIndex, offset: number): number | undefined {
  for (let at = text.indexOf('\n', offset) + 1; at > 0 && at < text.length; at = text.indexOf('\n', at) + 1) {
    const end = text.indexOf('\n', at);
    const content = text.slice(at, end === -1 ? text.length : end).trim();
    if (content !== '' && !content.startsWith('#')) return lines.position(at).line;
  }
  return undefined;
}

interface Block {
  directive: Directive;
  /** Where a `kubemend-enable` ended the block, per name. */
  ends: Map<string, Position>;
}

/**
 * The suppression comments of a file, from all its comments; `documentStarts` ends blocks, `names` tells known
 * names in a `kubemend-enable` from typos.
 */
export function readCommentDirectives(
  file: { text: string; lines: LineIndex; comments: readonly ManifestComment[]; documentStarts: readonly number[] },
  names: NameBook,
): CommentDirectives {
  const { text, lines, comments, documentStarts } = file;
  const found: CommentDirectives = { directives: [], notes: [] };
  const open = new Map<number, Block[]>();
  for (const comment of comments) {
    const parsed = parseComment(comment.text);
    if (!parsed) continue;
    const span = lines.span(comment.offset, comment.offset + comment.text.length);
    const owner: Owner = { resource: NO_RESOURCE, documentIndex: comment.documentIndex };
    if ('unknownForm' in parsed) {
      const message =
        `${parsed.unknownForm} is not a kubemend directive: use kubemend-disable-next-line, ` +
        `kubemend-disable-line, kubemend-disable or kubemend-enable`;
      found.notes.push({ code: SUPPRESSION_INVALID, message, span, owner });
      continue;
    }
    const blocks = open.get(comment.documentIndex) ?? [];
    open.set(comment.documentIndex, blocks);
    if (parsed.form === 'enable') {
      found.notes.push(
        ...closeBlocks(blocks, parsed.names, span, names).map((message) => ({ ...message, span, owner })),
      );
      continue;
    }
    const directive: Directive = {
      kind: 'comment',
      label: `${DIRECTIVE_MARK}${parsed.form}`,
      names: parsed.names,
      reason: parsed.reason,
      until: parsed.until,
      span,
      owner,
      problems: parsed.problems,
      covers: () => false,
    };
    if (parsed.form === 'disable-line') {
      directive.covers = (finding) => isOnLine(finding, span.line);
    } else if (parsed.form === 'disable-next-line') {
      const target = nextContentLine(text, lines, comment.offset);
      directive.covers = (finding) => target !== undefined && isOnLine(finding, target);
    } else {
      const block: Block = { directive, ends: new Map() };
      const documentEnd = lines.position(documentStarts[comment.documentIndex + 1] ?? text.length);
      directive.covers = (finding, name) =>
        finding.line >= span.line && isBefore(finding, block.ends.get(name) ?? documentEnd);
      blocks.push(block);
    }
    found.directives.push(directive);
  }
  return found;
}

/** Ends the open blocks a `kubemend-enable` names (all of them without names); says what it could not end. */
function closeBlocks(
  blocks: Block[],
  enabled: readonly string[],
  at: Position,
  names: NameBook,
): { code: string; message: string }[] {
  const notes: { code: string; message: string }[] = [];
  const closable = (name: string) =>
    blocks.filter((block) => block.directive.names.includes(name) && !block.ends.has(name));
  if (enabled.length === 0) {
    const pending = blocks.flatMap((block) =>
      block.directive.names.filter((name) => !block.ends.has(name)).map((name) => ({ block, name })),
    );
    if (pending.length === 0)
      notes.push({
        code: SUPPRESSION_UNUSED,
        message: 'kubemend-enable ends no kubemend-disable above it in this document: remove it',
      });
    for (const { block, name } of pending) block.ends.set(name, at);
    return notes;
  }
  for (const name of enabled) {
    if (!names.isKnown(name)) {
      const suggestion = names.suggest(name);
      notes.push({
        code: SUPPRESSION_INVALID,
        message: `kubemend-enable: unknown rule or code "${name}"${suggestion ? `; did you mean ${suggestion}?` : ''}`,
      });
      continue;
    }
    const matching = closable(name);
    if (matching.length === 0)
      notes.push({
        code: SUPPRESSION_UNUSED,
        message: `kubemend-enable ${name}: no kubemend-disable of ${name} is open above it in this document; remove the name`,
      });
    for (const block of matching) block.ends.set(name, at);
  }
  return notes;
}
