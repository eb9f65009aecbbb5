import path from 'node:path';

/** `file` relative to `base` with `/` separators (as glob patterns are written), or undefined when it is not below `base`. */
export function pathBelow(base: string, file: string): string | undefined {
  const relative = path.relative(base, path.resolve(file));
  if (relative === '' || path.isAbsolute(relative) || relative.split(path.sep)[0] === '..') return undefined;
  return relative.split(path.sep).join('/');
}

/** Config patterns: one naming a folder also covers everything below it. */
export function withFolderContents(patterns: readonly string[]): string[] {
  return patterns.flatMap((pattern) => [pattern, `${pattern.replace(/\/+$/, '')}/**`]);
}
