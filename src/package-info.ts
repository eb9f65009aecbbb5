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

/** What kubemend says about itself: its version, and where its documentation lives. */
export interface PackageInfo {
  version: string;
  repositoryUrl: string;
  root: string;
}

/**
 * package.json `repository` as an https URL (object or string, `git+…`, `….git`, `github:owner/repo`, `owner/repo`);
 * undefined when it names none.
 */
export function repositoryUrl(repository: unknown): string | undefined {
  const raw = typeof repository === 'string' ? repository : (repository as { url?: unknown } | undefined)?.url;
  if (typeof raw !== 'string') return undefined;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1]}`;
  const url = raw
    .replace(/^git\+/, '')
    .replace(/^git:\/\//, 'https://')
    .replace(/^(?:ssh:\/\/)?git@github\.com[:/]/, 'https://github.com/')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
  return url.startsWith('https://') ? url : undefined;
}

/** Where the rule READMEs live (helpUri, informationUri, explain's links): package.json `repository`, else `homepage`. */
export function readPackageInfo(): PackageInfo {
  const root = packageRoot();
  const pkg = readPackageJson(root);
  const homepage = typeof pkg.homepage === 'string' ? pkg.homepage.replace(/#.*$/, '') : undefined;
  const url = repositoryUrl(pkg.repository) ?? repositoryUrl(homepage);
  if (url === undefined)
    throw new Error(
      `${path.join(root, 'package.json')} names no repository: set "repository" to the GitHub repository`,
    );
  return { version: pkg.version, repositoryUrl: url, root };
}

/** Every rule's README, embedded by scripts/embed-rule-docs.mjs at build time. */
export function readRuleDocs(root: string): Record<string, string> {
  const file = path.join(root, 'dist', 'src', 'report', 'rule-docs.json');
  if (!existsSync(file))
    throw new Error(`${file} is missing: build kubemend with \`npm run build\`, which embeds the rule READMEs`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}
