import { stripVTControlCharacters } from 'node:util';
import type { Token, Tokens } from 'marked';
import type { Palette } from '../report/colors.js';

/*
 * The rule READMEs, for a terminal: `marked` parses them (its lexer, 25 ms to import, no dependencies);
 * this module only lays the tokens out. marked-terminal would do both, but brings highlight.js and 40 packages
 * (8.7 MB, ~850 ms to import) for code colouring the READMEs do not need.
 */

export interface MarkdownOptions {
  palette: Palette;
  /** Relative links are made absolute against this URL (the README's address), so they can be followed. */
  baseUrl: string;
}

function link(href: string, baseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  return href.startsWith('#') ? `${baseUrl}${href}` : new URL(href, baseUrl).href;
}

function inline(tokens: readonly Token[] | undefined, options: MarkdownOptions): string {
  const { palette } = options;
  return (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case 'codespan':
          return palette.blue(`\`${(token as Tokens.Codespan).text}\``);
        case 'strong':
          return palette.bold(inline((token as Tokens.Strong).tokens, options));
        case 'em':
          return inline((token as Tokens.Em).tokens, options);
        case 'link': {
          const { text, href, tokens } = token as Tokens.Link;
          const url = link(href, options.baseUrl);
          return text === href ? url : `${inline(tokens, options)} (${url})`;
        }
        case 'br':
          return '\n';
        case 'text':
        case 'escape':
          return 'tokens' in token && token.tokens ? inline(token.tokens, options) : (token as Tokens.Text).text;
        default:
          return token.raw;
      }
    })
    .join('');
}

function table(token: Tokens.Table, options: MarkdownOptions): string[] {
  const cells = [token.header, ...token.rows].map((row) => row.map((cell) => inline(cell.tokens, options)));
  // Widths count what is shown, not the colour codes around it.
  const visible = (text: string) => stripVTControlCharacters(text).length;
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => visible(row[column] ?? ''))));
  const line = (row: string[]) =>
    `  ${row.map((cell, column) => `${cell}${' '.repeat(widths[column]! - visible(cell))}`).join('  ')}`.trimEnd();
  const [header, ...rows] = cells;
  return [options.palette.bold(line(header!)), ...rows.map(line)];
}

function block(token: Token, options: MarkdownOptions): string[] {
  const { palette } = options;
  switch (token.type) {
    case 'heading': {
      const { depth, tokens } = token as Tokens.Heading;
      // The marks stay: without colour they are what tells a heading from a paragraph.
      return [palette.bold(`${'#'.repeat(depth)} ${inline(tokens, options)}`), ''];
    }
    case 'paragraph':
      return [inline((token as Tokens.Paragraph).tokens, options), ''];
    case 'code':
      return [...(token as Tokens.Code).text.split('\n').map((line) => palette.dim(`    ${line}`.trimEnd())), ''];
    case 'table':
      return [...table(token as Tokens.Table, options), ''];
    case 'list': {
      const { items, ordered, start } = token as Tokens.List;
      const lines = items.flatMap((item, index) => {
        const bullet = ordered ? `${Number(start || 1) + index}.` : '-';
        const body = item.tokens.flatMap((child) => block(child, options)).filter((line) => line !== '');
        return body.map((line, n) => (n === 0 ? `  ${bullet} ${line}` : `    ${line}`));
      });
      return [...lines, ''];
    }
    case 'blockquote':
      return [
        ...(token as Tokens.Blockquote).tokens
          .flatMap((child) => block(child, options))
          .map((line) => (line ? `  │ ${line}` : line)),
      ];
    case 'text':
      return [inline((token as Tokens.Text).tokens, options)];
    case 'hr':
      return ['─'.repeat(40), ''];
    case 'space':
      return [];
    default:
      return [token.raw.trimEnd(), ''];
  }
}

/** Markdown as text for a terminal: headings in bold, tables aligned, code indented, links written out. */
export async function renderMarkdown(markdown: string, options: MarkdownOptions): Promise<string> {
  const { lexer } = await import('marked');
  const lines = lexer(markdown).flatMap((token) => block(token, options));
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
