import type { Document } from 'yaml';

/*
 * `helm template` writes `# Source: <chart>/templates/<file>` before each document it renders: the template file
 * the document comes from, relative to the folder holding the chart (subcharts under `<chart>/charts/<name>/`).
 */

const SOURCE_COMMENT = /^# Source: (.+?)\s*$/gm;

/** Where each document of a rendered stream comes from, and which of that template's documents it is. */
export interface DocumentSource {
  /** The `# Source:` path as helm wrote it, or undefined when there is none. */
  source: string | undefined;
  /** The document's position among those of the same source (0-based). */
  ordinal: number;
  /** How many documents that source rendered. */
  count: number;
}

/** The `# Source:` of every document of `docs` (parsed from `text`): the last such comment before its content. */
export function documentSources(text: string, docs: readonly Document[]): DocumentSource[] {
  const comments = [...text.matchAll(SOURCE_COMMENT)].map((match) => ({ at: match.index, source: match[1]! }));
  let previousEnd = 0;
  const sources = docs.map((doc) => {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const source = comments.filter((comment) => comment.at >= previousEnd && comment.at < start).at(-1)?.source;
    previousEnd = doc.contents?.range?.[2] ?? doc.range?.[2] ?? 0;
    return source;
  });
  const counts = new Map<string | undefined, number>();
  return sources
    .map((source) => {
      const ordinal = counts.get(source) ?? 0;
      counts.set(source, ordinal + 1);
      return { source, ordinal, count: 0 };
    })
    .map((entry) => ({ ...entry, count: counts.get(entry.source) ?? 0 }));
}

/**
 * The template file a `# Source:` path names, in the chart folder given on the command line: helm writes the
 * chart's name (from Chart.yaml), which need not be the folder's.
 */
export function templateFile(chartDir: string, source: string): string {
  const [, ...rest] = source.split('/');
  return [chartDir.replace(/\/+$/, ''), ...rest].join('/');
}
