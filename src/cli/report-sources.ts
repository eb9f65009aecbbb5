import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STDIN_NAME } from '../engine/lint-inputs.js';
import type { SourceOf } from '../fix/index.js';

/**
 * The linted files' texts for the reporters, each read when first asked for, as GitHub's upload action reads it
 * (UTF-8, a BOM kept); undefined for standard input and for a file that cannot be read now.
 */
export function readSources(cwd: string): SourceOf {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (file === STDIN_NAME) return undefined;
    if (!texts.has(file)) {
      let text: string | undefined;
      try {
        text = readFileSync(path.resolve(cwd, file)).toString('utf8');
      } catch {
        text = undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
}
