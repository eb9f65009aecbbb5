import { EXPECTED_DIFFERENCES } from './expected-differences.js';
import type { FileParity, Judged, ResourceParity } from './harness.js';
import { resourceId, type AuditDifference, type FixDifference, type Verdict } from './model.js';
import type { ErrorHandlingCase } from './unreadable-inputs.js';

export interface Figures {
  compared: number;
  identical: number;
  explained: number;
  unexplained: number;
}

export interface ParitySummary {
  files: number;
  /** Per resource: the set of finding codes of each container. */
  audit: Figures;
  /** Per resource of the fixed outputs: its data. */
  fix: Figures;
  /** Per file: `all`'s exit status. */
  exitStatus: Figures;
  /** Per expected difference: how many resources it explains. */
  uses: Map<string, { audit: number; fix: number }>;
  /** One line per difference nothing explains. */
  unexplained: string[];
}

function figures(verdicts: readonly Verdict[]): Figures {
  const count = (verdict: Verdict) => verdicts.filter((v) => v === verdict).length;
  return {
    compared: verdicts.length,
    identical: count('identical'),
    explained: count('explained'),
    unexplained: count('unexplained'),
  };
}

const json = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));

export function describeAudit({ resource, container, code, reportedBy }: AuditDifference): string {
  return `${resourceId(resource)}${container ? ` container ${container}` : ''}: ${code} only from ${reportedBy}`;
}

export function describeFix(difference: FixDifference): string {
  const where = resourceId(difference.resource);
  const detail = difference.detail ? ` (${difference.detail})` : '';
  if (difference.kind === 'failed') return `${where}: ${difference.side} wrote no fixed output${detail}`;
  if (difference.kind === 'missing') return `${where}: only in ${difference.side}'s fixed output${detail}`;
  if (difference.kind === 'lost') return `${where}: in neither fixed output${detail}`;
  const paths = difference.paths
    .slice(0, 3)
    .map((p) => `${p.path}: kubeaudit ${json(p.kubeaudit)}, kubemend ${json(p.kubemend)}`);
  const more = difference.paths.length > 3 ? ` and ${difference.paths.length - 3} more` : '';
  return `${where}: ${paths.join('; ')}${more}${detail}`;
}

function unexplainedLines<D>(
  file: string,
  resources: readonly ResourceParity<D>[],
  describe: (difference: D) => string,
  what: string,
): string[] {
  return resources.flatMap((parity) =>
    parity.differences
      .filter((judged: Judged<D>) => judged.explainedBy.length === 0)
      .map((judged) => `${what} ${file}: ${describe(judged.difference)}`),
  );
}

export function summarise(files: readonly FileParity[]): ParitySummary {
  const uses = new Map(EXPECTED_DIFFERENCES.map((entry) => [entry.id, { audit: 0, fix: 0 }]));
  const count = (resources: readonly ResourceParity<unknown>[], field: 'audit' | 'fix') => {
    for (const parity of resources) {
      for (const id of new Set(parity.differences.flatMap((judged) => judged.explainedBy))) uses.get(id)![field]++;
    }
  };
  for (const file of files) {
    count(file.audit, 'audit');
    count(file.fix, 'fix');
  }
  const unexplained = files.flatMap((file) => [
    ...unexplainedLines(file.file, file.audit, describeAudit, 'audit'),
    ...unexplainedLines(file.file, file.fix, describeFix, 'autofix'),
    ...(file.exitStatus.verdict === 'unexplained'
      ? [`exit status ${file.file}: kubeaudit ${file.exitStatus.kubeaudit}, kubemend ${file.exitStatus.kubemend}`]
      : []),
  ]);
  return {
    files: files.length,
    audit: figures(files.flatMap((file) => file.audit.map((parity) => parity.verdict))),
    fix: figures(files.flatMap((file) => file.fix.map((parity) => parity.verdict))),
    exitStatus: figures(files.map((file) => file.exitStatus.verdict)),
    uses,
    unexplained,
  };
}

const ROWS = [
  ['audit (resources)', 'audit'],
  ['autofix (resources)', 'fix'],
  ['exit status (files)', 'exitStatus'],
] as const;

/** The figures as `npm run parity` prints them. */
export function formatFigures(summary: ParitySummary): string {
  const lines = ROWS.map(([label, field]) => {
    const { compared, identical, explained, unexplained } = summary[field];
    return `${label.padEnd(20)} compared ${compared}, identical ${identical}, explained ${explained}, unexplained ${unexplained}`;
  });
  return [`${summary.files} files`, ...lines].join('\n');
}

function figuresTable(summary: ParitySummary): string[] {
  return [
    '| | compared | identical | explained | unexplained |',
    '|---|---:|---:|---:|---:|',
    ...ROWS.map(([label, field]) => {
      const { compared, identical, explained, unexplained } = summary[field];
      return `| ${label} | ${compared} | ${identical} | ${explained} | ${unexplained} |`;
    }),
  ];
}

function errorHandlingTable(cases: readonly ErrorHandlingCase[]): string[] {
  const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| input | kubeaudit exit | kubeaudit says | kubemend exit | kubemend says |',
    '|---|---:|---|---:|---|',
    ...cases.map(
      (c) =>
        `| ${c.description} | ${c.kubeaudit.status} | ${cell(c.kubeaudit.message)} | ${c.kubemend.status} | ${cell(c.kubemend.message)} |`,
    ),
  ];
}

export interface ReportContext {
  kubeauditVersion: string;
  folders: string[];
  seconds: number;
  errorHandling: readonly ErrorHandlingCase[];
}

/** The markdown report: figures, what each expected difference covers, what nothing explains, error handling. */
export function markdownReport(summary: ParitySummary, files: readonly FileParity[], context: ReportContext): string {
  const statusDiffers = files.filter((file) => file.exitStatus.verdict !== 'identical');
  return [
    '# kubemend and kubeaudit on real manifests',
    '',
    `kubeaudit ${context.kubeauditVersion} and kubemend, \`all -f <file> -p json\` and \`autofix\` on each of ${summary.files} files`,
    `(${context.folders.join(', ')}), in ${Math.round(context.seconds)} s. Written by \`npm run parity\`.`,
    '',
    ...figuresTable(summary),
    '',
    '## Expected differences',
    '',
    '| id | difference | audit (resources) | autofix (resources) | reason and example |',
    '|---|---|---:|---:|---|',
    ...EXPECTED_DIFFERENCES.map((entry) => {
      const uses = summary.uses.get(entry.id)!;
      return `| \`${entry.id}\` | ${entry.summary} | ${uses.audit} | ${uses.fix} | [${entry.readme.split('#')[0]}](${entry.readme}) |`;
    }),
    '',
    '## Unexplained differences',
    '',
    ...(summary.unexplained.length === 0 ? ['None.'] : summary.unexplained.map((line) => `- ${line}`)),
    '',
    '## Exit status',
    '',
    'Files where the two exit with a different status (0 clean, 2 error findings, 1 cannot audit):',
    '',
    ...(statusDiffers.length === 0
      ? ['None.']
      : statusDiffers.map(
          (f) =>
            `- ${f.file}: kubeaudit ${f.exitStatus.kubeaudit}, kubemend ${f.exitStatus.kubemend} (${f.exitStatus.verdict})`,
        )),
    '',
    '## Files kubeaudit cannot read',
    '',
    ...errorHandlingTable(context.errorHandling),
    '',
  ].join('\n');
}
