import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The folder SARIF paths are relative to. GitHub matches `artifactLocation.uri` against the repository root, not
 * the folder kubemend ran in, so a run from `deploy/` must still write `deploy/web.yaml`. Outside a git repository
 * the working directory is the best guess.
 */
export function repositoryRoot(cwd: string): string {
  let root = cwd;
  try {
    root =
      execFileSync('git', ['rev-parse', '--show-toplevel'], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || cwd;
  } catch {
    // Not a git work tree, or no git at all.
  }
  return realOrResolved(root);
}

/** Symlinks resolved, as code scanning cannot place a result on a path that is a symlink. */
export function realOrResolved(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}
