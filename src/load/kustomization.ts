import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/*
 * In a Kustomize layout a strategic-merge patch is a partial resource: it sets a few fields of a resource defined
 * elsewhere. Linted as a manifest, it would be reported for every field it leaves out, and fixed by filling it with
 * them. kubemend reads the kustomization file beside a manifest to learn whether the manifest is such a patch.
 */

/** The names kustomize accepts for a kustomization file, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFile(file: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(path.basename(file));
}

/** The files a kustomization's fields name as patches, relative to its folder. */
function patchFilesOf(kustomization: unknown): string[] {
  if (typeof kustomization !== 'object' || kustomization === null) return [];
  const fields = kustomization as Record<string, unknown>;
  const listed = (key: string): unknown[] => (Array.isArray(fields[key]) ? (fields[key] as unknown[]) : []);
  const pathOf = (entry: unknown): string | undefined => {
    // patchesStrategicMerge lists paths (or inline patches, which hold a line break); the others list {path: …}.
    if (typeof entry === 'string') return entry.includes('\n') ? undefined : entry;
    const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>).path : undefined;
    return typeof value === 'string' ? value : undefined;
  };
  return ['patches', 'patchesStrategicMerge', 'patchesJson6902'].flatMap((key) =>
    listed(key).flatMap((entry) => pathOf(entry) ?? []),
  );
}

/** Answers, for manifest files, whether the kustomization file in their folder lists them as patches. */
export class KustomizePatches {
  private readonly byFolder = new Map<string, Set<string>>();

  isPatch(file: string): boolean {
    const folder = path.dirname(path.resolve(file));
    let patches = this.byFolder.get(folder);
    if (!patches) this.byFolder.set(folder, (patches = this.read(folder)));
    return patches.has(path.resolve(file));
  }

  /** The patch files a folder's kustomization lists; none when it has none or it cannot be read. */
  private read(folder: string): Set<string> {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      let text: string;
      try {
        text = readFileSync(path.join(folder, name), 'utf8');
      } catch {
        continue;
      }
      try {
        return new Set(patchFilesOf(parse(text)).map((file) => path.resolve(folder, file)));
      } catch {
        // A kustomization kustomize itself could not read: no file is taken for a patch on its word.
        return new Set();
      }
    }
    return new Set();
  }
}
