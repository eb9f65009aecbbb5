import {
  Composer,
  isCollection,
  isPair,
  visit,
  type CST,
  type Document,
  type YAMLError,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { COMPOSE_OPTIONS } from './cst-compose.js';
import { cstTokens } from './cst-tokens.js';
import { LocatedError } from './errors.js';
import { LineIndex } from './positions.js';

/** Aliases nested this deep are expanded at most this often before a document counts as an alias bomb. */
const MAX_ALIAS_EXPANSIONS = 1000;

/**
 * Mappings and sequences nested deeper than this are refused. yaml's parser is recursive and runs out of stack from
 * about 800 levels (more or less, with the style), so a limit well below that gives every too-deep document the same
 * clear message; the deepest of 847 real-world manifests nests 38 levels.
 */
const MAX_NESTING = 500;

/** A `#` comment as the YAML parser sees it: not a `#` inside a string or a block scalar. */
export interface ManifestComment {
  /** Offset of the `#`. */
  offset: number;
  /** From the `#` to the end of its line, trailing spaces removed. */
  text: string;
  /** Its document, as `documents[].index` counts them: a comment before a `---` belongs to the document it starts. */
  documentIndex: number;
}

export interface ParsedManifest {
  /** Documents that parsed cleanly, in file order, each with its position in the stream. */
  documents: { index: number; doc: Document.Parsed }[];
  errors: LocatedError[];
  lines: LineIndex;
  /** Only when asked for: every comment, in order. */
  comments?: ManifestComment[];
  /** Only when comments are asked for: where each document of the stream starts (its `---`, or its first token). */
  documentStarts?: number[];
}

/**
 * Parses every YAML document of a manifest, keeping the AST and its source ranges; broken documents become errors.
 * With `comments`, the comments are collected from the parser's tokens as they go by (a second tokenization of the
 * file would cost nearly as much as the parse).
 */
export function parseManifest(text: string, options: { comments?: boolean } = {}): ParsedManifest {
  const lines = new LineIndex(text);
  const helm = helmTemplateOffset(text);
  const collected = options.comments
    ? { comments: [] as ManifestComment[], documentStarts: [] as number[] }
    : undefined;
  const tokens = cstTokens(text);
  const composer = new Composer(COMPOSE_OPTIONS);
  const all = Array.from(composer.compose(collected ? collectComments(tokens, collected) : tokens));
  const documents: ParsedManifest['documents'] = [];
  const errors: LocatedError[] = [];

  all.forEach((doc, index) => {
    const problem = documentProblem(doc, text, lines, helm);
    if (problem) errors.push(problem);
    else documents.push({ index, doc });
  });
  return { documents, errors: dedupeErrors(errors), lines, ...collected };
}

/** Why a parsed document cannot be linted, or undefined when it can; `helm` is `helmTemplateOffset(text)`. */
export function documentProblem(
  doc: Document.Parsed,
  text: string,
  lines: LineIndex,
  helm: number | undefined,
): LocatedError | undefined {
  // First: a document yaml gave up on for lack of stack is also too deep, and this says so plainly.
  const tooDeep = nestingError(doc, lines);
  if (tooDeep) return tooDeep;
  const problem = doc.errors[0] ?? (helm !== undefined ? collectionKeyError(doc) : undefined);
  if (problem) return helm !== undefined ? helmError(lines, helm) : syntaxError(text, lines, problem);
  return aliasBombError(doc, text, lines);
}

/** Passes the parser's tokens on, noting each comment and where each document starts. */
function* collectComments(
  tokens: Iterable<CST.Token>,
  into: Required<Pick<ParsedManifest, 'comments' | 'documentStarts'>>,
): Generator<CST.Token> {
  for (const token of tokens) {
    if (token.type === 'document') {
      commentsIn(token, into.documentStarts.length, into.comments);
      into.documentStarts.push(token.offset);
    } else {
      // A comment between documents (after `...`) opens the next one; anything else closes the last.
      const documentIndex =
        token.type === 'comment' ? into.documentStarts.length : Math.max(into.documentStarts.length - 1, 0);
      commentsIn(token, documentIndex, into.comments);
    }
    yield token;
  }
  into.comments.sort((a, b) => a.offset - b.offset);
}

function commentsIn(token: unknown, documentIndex: number, into: ManifestComment[]): void {
  if (Array.isArray(token)) {
    for (const item of token) commentsIn(item, documentIndex, into);
    return;
  }
  if (token === null || typeof token !== 'object') return;
  const { type, offset, source } = token as { type?: unknown; offset?: unknown; source?: unknown };
  if (type === 'comment' && typeof offset === 'number' && typeof source === 'string') {
    into.push({ offset, text: source.trimEnd(), documentIndex });
    return;
  }
  for (const value of Object.values(token))
    if (value !== null && typeof value === 'object') commentsIn(value, documentIndex, into);
}

/** Offset of the first `{{` outside a comment, the mark of a chart template that has not been rendered. */
export function helmTemplateOffset(text: string): number | undefined {
  for (let at = text.indexOf('{{'); at !== -1; at = text.indexOf('{{', at + 2)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    const before = text.slice(lineStart, at);
    if (!/(^|\s)#/.test(before)) return at;
  }
  return undefined;
}

function helmError(lines: LineIndex, offset: number): LocatedError {
  const { line, column } = lines.position(offset);
  return new LocatedError(
    'this looks like a Helm template ("{{ … }}"), which is not a Kubernetes manifest until it ' +
      'is rendered; lint the rendered output instead: `helm template <release> <chart> | ' +
      'kubemend -`',
    line,
    column,
  );
}

/** `{{ x }}` parses as a mapping used as a key; no Kubernetes object has one, so it is treated as a template. */
function collectionKeyError(doc: Document.Parsed): YAMLError | undefined {
  let found: YAMLError | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        const offset = pair.key.range?.[0] ?? 0;
        found = {
          code: 'BAD_COLLECTION_TYPE',
          message: 'a mapping used as a key',
          pos: [offset, offset + 1],
        } as YAMLError;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

const FRIENDLY: Record<string, string> = {
  DUPLICATE_KEY: 'the API server rejects a manifest with duplicate fields (strict field validation); keep one of them',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation; indent with spaces',
  BAD_INDENT: 'check the indentation of this line against its parent',
  MISSING_CHAR: 'a closing bracket or quote is missing',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; a quote or colon may be missing on the line before',
  BLOCK_AS_IMPLICIT_KEY: 'a block value is used as a key; a colon or indentation may be wrong',
  UNEXPECTED_TOKEN: 'fix the YAML syntax here',
  BAD_ALIAS: 'an alias (*name) must refer to an anchor (&name) defined earlier in the same document',
  DUPLICATE_ANCHOR: 'anchor names must be unique',
};

function syntaxError(text: string, lines: LineIndex, error: YAMLError): LocatedError {
  const { line, column } = lines.position(error.pos[0]);
  const first = error.message.split(/ at line \d+, column \d+/)[0]!.trim();
  let message = `invalid YAML: ${first}`;
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*"?'?([^:"'\n]*)/.exec(text.slice(error.pos[0]))?.[1]?.trim();
    message = `duplicate key${key ? ` "${key}"` : ''}`;
  }
  const advice = FRIENDLY[error.code];
  return new LocatedError(advice ? `${message}: ${advice}` : message, line, column);
}

function nestingError(doc: Document.Parsed, lines: LineIndex): LocatedError | undefined {
  const node = tooDeep(doc.contents, 1);
  if (!node) return undefined;
  const { line, column } = lines.position(node.range?.[0] ?? doc.range[0]);
  const message =
    `mappings and sequences are nested more than ${MAX_NESTING} levels deep here, beyond ` +
    `kubemend's limit (Kubernetes objects need a few dozen at most); flatten the data`;
  return new LocatedError(message, line, column);
}

/**
 * The first collection nested deeper than the limit, last items and values first (the order the report has always
 * used). It runs on every document, so it allocates nothing; recursion stops at the limit.
 */
function tooDeep(node: unknown, depth: number): YAMLMap | YAMLSeq | undefined {
  if (!isCollection(node)) return undefined;
  if (depth > MAX_NESTING) return node;
  for (let at = node.items.length - 1; at >= 0; at--) {
    const item = node.items[at];
    const found = isPair(item)
      ? (tooDeep(item.value, depth + 1) ?? tooDeep(item.key, depth + 1))
      : tooDeep(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function aliasBombError(doc: Document.Parsed, text: string, lines: LineIndex): LocatedError | undefined {
  const [start, , end] = doc.range;
  const star = text.indexOf('*', start);
  if (star === -1 || star >= end) return undefined;
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS, mapAsMap: true });
    return undefined;
  } catch (error) {
    const { line, column } = lines.position(firstAliasOffset(doc) ?? start);
    const reason = error instanceof Error ? error.message : String(error);
    return new LocatedError(
      `refusing to expand aliases: ${reason} (nested aliases would expand beyond ${MAX_ALIAS_EXPANSIONS} copies); inline the repeated data`,
      line,
      column,
    );
  }
}

function firstAliasOffset(doc: Document.Parsed): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, alias) {
      offset = alias.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

export function dedupeErrors(errors: LocatedError[]): LocatedError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.line}:${error.column}:${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
