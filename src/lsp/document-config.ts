import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile, loadConfig, type ResolvedConfig } from '../config/resolve.js';
import { ConfigError, type ConfigIssue } from '../engine/config-issue.js';
import { dropIgnored } from '../load/ignore.js';
import { applyProfile } from '../presets/profiles.js';

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

/** Whether each file is ignored, per configuration: a workspace's files are matched once, not on every lint. */
const verdicts = new WeakMap<ResolvedConfig, Map<string, boolean>>();

/** The files of `files` (absolute) that the config's `ignore` patterns skip. */
export async function ignoredFiles(config: ResolvedConfig, files: readonly string[]): Promise<Set<string>> {
  if (config.ignore.length === 0) return new Set();
  let known = verdicts.get(config);
  if (!known) verdicts.set(config, (known = new Map()));
  const unknown = files.filter((file) => !known.has(file));
  const kept = unknown.length > 0 ? new Set((await dropIgnored(unknown, config)).inputs) : new Set<string>();
  // Patterns are matched against files on disk: a file not saved yet is asked about again once it is.
  for (const file of unknown) if (existsSync(file)) known.set(file, !kept.has(file));
  return new Set(files.filter((file) => known.get(file) ?? !kept.has(file)));
}
