import { diffLines } from 'diff';
import type { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Narrows a replacement to the characters that really change, so the editor keeps its marks around them. */
function trimmed(before: string, edit: OffsetEdit): OffsetEdit {
  const old = before.slice(edit.start, edit.end);
  const shorter = Math.min(old.length, edit.text.length);
  let prefix = 0;
  while (prefix < shorter && old.charCodeAt(prefix) === edit.text.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    old.charCodeAt(old.length - 1 - suffix) === edit.text.charCodeAt(edit.text.length - 1 - suffix)
  ) {
    suffix++;
  }
  return {
    start: edit.start + prefix,
    end: edit.end - suffix,
    text: edit.text.slice(prefix, edit.text.length - suffix),
  };
}

/**
 * The fix engine's result as the smallest edits of `before`: changed lines become one replacement each, narrowed to
 * the characters that differ. Unchanged lines are not touched, so the editor's cursor and folds stay.
 */
export function editsBetween(before: string, after: string): TextEdit[] {
  if (before === after) return [];
  const edits: OffsetEdit[] = [];
  let offset = 0;
  let open: OffsetEdit | undefined;
  for (const part of diffLines(before, after)) {
    if (!part.added && !part.removed) {
      if (open) edits.push(open);
      open = undefined;
      offset += part.value.length;
      continue;
    }
    open ??= { start: offset, end: offset, text: '' };
    if (part.removed) {
      offset += part.value.length;
      open.end = offset;
    } else {
      open.text += part.value;
    }
  }
  if (open) edits.push(open);
  const document = TextDocument.create('', 'yaml', 0, before);
  return edits
    .map((edit) => trimmed(before, edit))
    .map((edit) => ({
      range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
      newText: edit.text,
    }));
}
