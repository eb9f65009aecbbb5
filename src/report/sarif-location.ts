import path from 'node:path';
import { STDIN_NAME } from '../engine/lint-inputs.js';
import type { SarifEnvironment } from './context.js';

export interface ArtifactPath {
  /** The SARIF `uri`: `/`-separated and percent-encoded, relative to `root` unless it is stdin. */
  uri: string;
  /** Where to read the file's bytes for fingerprints, or undefined for stdin. */
  absolute: string | undefined;
}

/** A file's SARIF path; `environment.realPath` resolves symlinks, as code scanning cannot place a result on one. */
export function artifactPath(file: string, environment: SarifEnvironment): ArtifactPath {
  if (file === STDIN_NAME) return { uri: encodeURIComponent(file), absolute: undefined };
  const { cwd, repositoryRoot: root, realPath } = environment;
  const absolute = realPath(path.resolve(cwd, file));
  const relative = path.relative(root, absolute);
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), absolute };
}
