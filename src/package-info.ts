import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding kubemend's package.json, found upward from this module: it runs from `src/` (tests),
 * `dist/src/` (the library) and `dist/cli/` (the bundled command line), at different depths.
 */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('kubemend cannot find its package.json');
    dir = parent;
  }
  return dir;
}

export interface PackageJson {
  version: string;
  repository?: unknown;
  homepage?: unknown;
}

export function readPackageJson(root = packageRoot()): PackageJson {
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson;
}
