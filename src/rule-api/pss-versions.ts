// Kubernetes versions as the Pod Security Standards name them: `latest` or `v1.<minor>`.

/**
 * The newest Kubernetes minor release whose Pod Security Standards kubemend knows, and what `latest` means:
 * v1.37 (released 2026-08-26, https://kubernetes.io/releases/1.37/). It is also Pod Security Admission's own
 * `latest` on a v1.37 API server: the newest version any check changed in (sysctls, v1.37).
 */
export const NEWEST_MINOR = 37;

export type Level = 'baseline' | 'restricted';

export function formatVersion(minor: number): string {
  return `v1.${minor}`;
}

/** Every value `--pss-version` and `pssVersion` accept. */
export const PSS_VERSIONS: readonly string[] = [
  'latest',
  ...Array.from({ length: NEWEST_MINOR + 1 }, (_, minor) => formatVersion(minor)),
];

/** A `v1.<minor>` or `latest`, as Pod Security Admission parses `enforce-version` (any minor, even a future one). */
export function parseVersionLabel(text: string): number | 'latest' | undefined {
  if (text === 'latest') return 'latest';
  const match = /^v1\.(0|[1-9][0-9]*)$/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** The minor of a version kubemend knows (`latest` is NEWEST_MINOR), or undefined. */
export function parsePssVersion(text: string): number | undefined {
  const version = parseVersionLabel(text);
  if (version === 'latest') return NEWEST_MINOR;
  return version !== undefined && version <= NEWEST_MINOR ? version : undefined;
}

export function describePssVersions(): string {
  return `latest or v1.0 to ${formatVersion(NEWEST_MINOR)} (latest is ${formatVersion(NEWEST_MINOR)})`;
}
