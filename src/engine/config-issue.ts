/** A problem with a config file (or a key in it), located for the person who wrote it. */
export interface ConfigIssue {
  /** As the user knows it: as given on the command line, or relative to the working directory. */
  file: string;
  /** The key path, e.g. `rules.privileged.severity`; empty for problems with the whole file. */
  key: string;
  problem: string;
  line?: number;
  column?: number;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return issue.key ? `${where}: ${issue.key}: ${issue.problem}` : `${where}: ${issue.problem}`;
}

/** A config file that cannot be used; every problem found is listed, one per line. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}
