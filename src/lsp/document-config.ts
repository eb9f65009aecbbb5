import { statSync } from 'node:fs';
import path from 'node:path';
import {
  ConfigError,
  dropIgnored,
  findConfigFile,
  loadConfig,
  type ConfigIssue,
  type ResolvedConfig,
} from '../engine/config.js';
import { applyProfile } from '../engine/pss.js';

export type FolderConfig =
  | { ok: true; config: ResolvedConfig; file: string | undefined }
  /** `file` is the config file at fault (absolute). */
  | { ok: false; issues: ConfigIssue[]; file: string };

/** Changes whenever the file is rewritten: a config is read again only then. */
function stampOf(file: string): string {
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats ? `${stats.mtimeMs}:${stats.size}` : 'gone';
}

async function read(dir: string, file: string | undefined): Promise<FolderConfig> {
  try {
    const config = await loadConfig({ cwd: dir, configFile: file });
    return { ok: true, config: applyProfile(config, {}), file };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { ok: false, issues: error.issues, file: file ?? path.resolve(dir, error.issues[0]?.file ?? '.') };
  }
}

/**
 * The configuration of each folder's documents, as the CLI run from that folder finds it: the nearest
 * `.kubemend.yaml` up to the repository root. A file is read again when it changes, so an edit to the config
 * shows in the next lint, with or without the editor telling the server about changed files.
 */
export class ConfigCache {
  private readonly byFile = new Map<string, { stamp: string; config: FolderConfig }>();

  async forFolder(dir: string): Promise<FolderConfig> {
    let file: string | undefined;
    try {
      file = findConfigFile(dir);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { ok: false, issues: error.issues, file: path.resolve(dir, error.issues[0]?.file ?? '.') };
    }
    const stamp = file === undefined ? '' : stampOf(file);
    const cached = this.byFile.get(file ?? '');
    if (cached?.stamp === stamp) return cached.config;
    const config = await read(dir, file);
    this.byFile.set(file ?? '', { stamp, config });
    return config;
  }
}

/** The files of `files` (absolute) that the config's `ignore` patterns skip. */
export async function ignoredFiles(config: ResolvedConfig, files: readonly string[]): Promise<Set<string>> {
  if (config.ignore.length === 0) return new Set();
  const { inputs } = await dropIgnored(files, config);
  const kept = new Set(inputs);
  return new Set(files.filter((file) => !kept.has(file)));
}
