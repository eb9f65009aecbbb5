import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { formatNodePath, type NodePath } from '../load/nodes.js';
import { ConfigError, type ConfigIssue } from '../engine/config-issue.js';

// A config file as read: its data, and its YAML document to place each problem at a line and column.

export interface Source {
  /** Absolute. */
  file: string;
  /** As shown to the user. */
  display: string;
  data: unknown;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function readSource(file: string, display: string, version: '1.1' | '1.2'): Source {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'this is a directory, not a file'
          : `cannot read the file: ${(error as Error).message}`;
    throw new ConfigError([{ file: display, key: '', problem }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { version, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((error) => {
        const { line, col } = lines.linePos(error.pos[0]);
        const problem =
          error.code === 'DUPLICATE_KEY'
            ? 'duplicate key (each key may appear once)'
            : `invalid YAML: ${error.message.split('\n')[0]}`;
        return { file: display, key: '', problem, line, column: col };
      }),
    );
  }
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return { file, display, data: data ?? {}, doc, lines };
}

/** Line and column of the key (or its value) at `keyPath`; the closest existing parent when it is not there. */
function locate(source: Source, keyPath: NodePath, atKey: boolean): { line: number; column: number } | undefined {
  let node: unknown = source.doc.contents;
  let key: unknown;
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      key = pair.key;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      key = undefined;
      node = node.items[segment];
    } else {
      break;
    }
  }
  const target = (atKey && key) || node;
  const range = isNode(target) ? target.range : undefined;
  if (!range) return undefined;
  const { line, col } = source.lines.linePos(range[0]);
  return { line, column: col };
}

export function issueAt(source: Source, keyPath: NodePath, problem: string, atKey = false): ConfigIssue {
  return { file: source.display, key: formatNodePath(keyPath), problem, ...locate(source, keyPath, atKey) };
}
