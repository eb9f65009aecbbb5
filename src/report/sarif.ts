import { gzipSync } from 'node:zlib';
import type { ArtifactLocation, Fix, Log, Result, Run } from 'sarif';
import { ALLOWED_SUFFIX } from '../engine/overrides.js';
import type { FileError, FileResult, Finding, SuppressedFinding, Suppression } from '../engine/types.js';
import type { ReportContext, SarifEnvironment } from './context.js';
import { identityDigest, lineHashes } from './sarif-fingerprint.js';
import type { SourceOf } from '../fix/index.js';
import { SarifFixes, type Locate } from './sarif-fix.js';
import { artifactPath, type ArtifactPath } from './sarif-location.js';
import { findingMessage } from './sarif-message.js';
import { buildRules, PARSE_ERROR_RULE, SARIF_LEVEL, type RuleTable } from './sarif-rules.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** kubemend's own fingerprint: file, resource, container and code, so an alert keeps its identity when lines move. */
const KUBEMEND_FINGERPRINT = 'kubemend/v1';
const GITHUB_LIMITS = { results: 25_000, resultsKept: 5_000, gzipBytes: 10 * 1024 * 1024 };

/** A result before its fingerprints, which depend on the file's text and on the other results of the file. */
interface Draft {
  result: Result;
  ruleId: string;
  line: number;
  identity: (string | null)[];
}

type Span = Pick<Finding, 'line' | 'column' | 'endLine' | 'endColumn'>;
type LocateSpan = (span: Span) => Result['locations'];

function region(span: Span) {
  return { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

/** `<Code>Allowed` findings are results of `<Code>`, suppressed by the label that allowed them. */
function ruleIdOf(finding: Finding): string {
  return finding.override && finding.code.endsWith(ALLOWED_SUFFIX)
    ? finding.code.slice(0, -ALLOWED_SUFFIX.length)
    : finding.code;
}

/** Comments and annotations are in the manifest (inSource); config entries and the baseline are not (external). */
const SARIF_SUPPRESSION_KIND: Record<Suppression['kind'], 'inSource' | 'external'> = {
  comment: 'inSource',
  annotation: 'inSource',
  config: 'external',
  baseline: 'external',
};

function suppressionsOf(finding: Finding | SuppressedFinding): NonNullable<Result['suppressions']> {
  if ('suppression' in finding) {
    const { kind, reason, until } = finding.suppression;
    return [
      {
        kind: SARIF_SUPPRESSION_KIND[kind],
        status: 'accepted',
        ...(reason ? { justification: reason } : {}),
        properties: { source: kind, ...(until ? { until } : {}) },
      },
    ];
  }
  if (finding.override) {
    const { label, reason } = finding.override;
    return [
      { kind: 'inSource', status: 'accepted', ...(reason ? { justification: reason } : {}), properties: { label } },
    ];
  }
  return [];
}

function artifactLocation(artifact: ArtifactPath): ArtifactLocation {
  return artifact.absolute === undefined ? { uri: artifact.uri } : { uri: artifact.uri, uriBaseId: SRCROOT };
}

class SarifBuilder {
  private readonly located = new Map<string, ReturnType<Locate>>();
  /** Where fixes to a file go; resolving its path once, as every fixable finding asks for its own file. */
  private readonly locate: Locate = (file) => {
    if (!this.located.has(file)) {
      const artifact = artifactPath(file, this.environment);
      this.located.set(file, artifact.absolute === undefined ? undefined : artifactLocation(artifact));
    }
    return this.located.get(file);
  };
  private readonly fixes: SarifFixes;

  constructor(
    private readonly table: RuleTable,
    private readonly includeSuppressed: boolean,
    private readonly sources: SourceOf,
    private readonly environment: SarifEnvironment,
  ) {
    this.fixes = new SarifFixes(sources, this.locate);
  }

  resultsOf({ file, findings, errors, suppressed }: FileResult): Result[] {
    const artifact = artifactPath(file, this.environment);
    const location: LocateSpan = (span) => [
      { physicalLocation: { artifactLocation: artifactLocation(artifact), region: region(span) } },
    ];
    // Suppressed findings come after the others, so the others' fingerprints are the same with or without them.
    const shown = this.includeSuppressed
      ? [...findings, ...suppressed]
      : findings.filter((finding) => !finding.override);
    if (errors.length === 0 && shown.length === 0) return [];
    const text = artifact.absolute === undefined ? undefined : this.sources(file);
    const fixOf = text === undefined ? undefined : (finding: Finding) => this.fixes.fixOf(finding, file);
    const drafts = [
      ...errors.map((error) => this.errorDraft(error, artifact, location)),
      ...shown.map((finding) => this.findingDraft(finding, artifact, location, fixOf)),
    ];
    this.addFingerprints(drafts, text);
    return drafts.map((draft) => draft.result);
  }

  private errorDraft(error: FileError, artifact: ArtifactPath, location: LocateSpan): Draft {
    const result: Result = {
      ruleId: PARSE_ERROR_RULE,
      ruleIndex: this.table.indexOf.get(PARSE_ERROR_RULE)!,
      level: 'error',
      message: { text: `This manifest could not be read, so it was not checked: ${error.message}` },
      locations: location({ line: error.line, column: error.column, endLine: error.line, endColumn: error.column + 1 }),
      ...(this.includeSuppressed ? { suppressions: [] } : {}),
    };
    return { result, ruleId: PARSE_ERROR_RULE, line: error.line, identity: [artifact.uri, PARSE_ERROR_RULE] };
  }

  private findingDraft(
    finding: Finding | SuppressedFinding,
    artifact: ArtifactPath,
    location: LocateSpan,
    fixOf: ((finding: Finding) => Fix | undefined) | undefined,
  ): Draft {
    const ruleId = ruleIdOf(finding);
    const ruleIndex = this.table.indexOf.get(ruleId);
    if (ruleIndex === undefined)
      throw new Error(`rule ${finding.rule} reported ${finding.code}, which is not a code of the rules being run`);
    const severity = finding.override ? this.table.severityOf.get(ruleId)! : finding.severity;
    const result: Result = {
      ruleId,
      ruleIndex,
      level: SARIF_LEVEL[severity],
      message: { text: findingMessage(finding) },
      locations: location(finding),
    };
    // --fix leaves suppressed findings alone, so their results offer no fix either.
    const fix = 'suppression' in finding ? undefined : fixOf?.(finding);
    if (fix) result.fixes = [fix];
    if (this.includeSuppressed) result.suppressions = suppressionsOf(finding);
    const { kind, namespace, name } = finding.resource;
    return {
      result,
      ruleId,
      line: finding.line,
      identity: [artifact.uri, kind, namespace, name, finding.container, ruleId],
    };
  }

  /**
   * `primaryLocationLineHash` exactly as GitHub's upload action computes it, so it neither warns nor replaces it.
   * Results of one rule on one line would share it and GitHub would merge them into one alert, so the second and
   * later get `:2`, `:3`… appended (the upload action notes the difference for those results only).
   */
  private addFingerprints(drafts: Draft[], text: string | undefined): void {
    const hashes =
      text === undefined
        ? new Map<number, string>()
        : lineHashes(
            text,
            drafts.map((draft) => draft.line),
          );
    const seenLineHashes = new Map<string, number>();
    const seenIdentities = new Map<string, number>();
    for (const draft of drafts) {
      const fingerprints: Record<string, string> = {};
      const lineHash = hashes.get(draft.line);
      if (lineHash !== undefined) {
        const key = `${draft.ruleId}\n${lineHash}`;
        const count = (seenLineHashes.get(key) ?? 0) + 1;
        seenLineHashes.set(key, count);
        fingerprints.primaryLocationLineHash = count === 1 ? lineHash : `${lineHash}:${count}`;
      }
      const digest = identityDigest(draft.identity);
      const occurrence = (seenIdentities.get(digest) ?? 0) + 1;
      seenIdentities.set(digest, occurrence);
      fingerprints[KUBEMEND_FINGERPRINT] = `${digest}:${occurrence}`;
      draft.result.partialFingerprints = fingerprints;
    }
  }
}

function warnAboutGitHubLimits(results: number, output: string, warn: (message: string) => void): void {
  if (results > GITHUB_LIMITS.results) {
    warn(
      `the SARIF has ${results} results; GitHub code scanning rejects more than ` +
        `${GITHUB_LIMITS.results} per run (raise --min-severity or lint fewer files per upload)`,
    );
  } else if (results > GITHUB_LIMITS.resultsKept) {
    warn(
      `the SARIF has ${results} results; GitHub code scanning keeps only the ${GITHUB_LIMITS.resultsKept} most severe`,
    );
  }
  if (Buffer.byteLength(output) > GITHUB_LIMITS.gzipBytes) {
    const gzipped = gzipSync(output).length;
    if (gzipped > GITHUB_LIMITS.gzipBytes)
      warn(
        `the SARIF is ${gzipped} bytes gzipped; GitHub code scanning rejects uploads over ${GITHUB_LIMITS.gzipBytes} bytes`,
      );
  }
}

/** SARIF 2.1.0 for GitHub code scanning and other SARIF consumers; see README, "GitHub code scanning and annotations". */
export function formatSarif(results: readonly FileResult[], context: ReportContext): string {
  const environment = context.sarif;
  if (!environment) throw new Error('formatSarif needs context.sarif (readSarifEnvironment)');
  const pkg = environment.product;
  const table = buildRules(context.rules, pkg, environment.ruleDocs);
  const builder = new SarifBuilder(
    table,
    context.sarifIncludeSuppressed === true,
    context.sources ?? (() => undefined),
    environment,
  );
  const sarifResults = results.flatMap((result) => builder.resultsOf(result));
  const run: Run = {
    tool: {
      driver: {
        name: 'kubemend',
        version: pkg.version,
        semanticVersion: pkg.version,
        informationUri: pkg.repositoryUrl,
        rules: table.descriptors,
      },
    },
    invocations: [{ executionSuccessful: true }],
    originalUriBaseIds: {
      [SRCROOT]: {
        description: {
          text: 'The repository root (git rev-parse --show-toplevel), or the working directory outside a git repository.',
        },
      },
    },
    columnKind: 'utf16CodeUnits',
    results: sarifResults,
  };
  if (context.sarifCategory) run.automationDetails = { id: `${context.sarifCategory}/` };
  const log: Log = { $schema: SCHEMA, version: '2.1.0', runs: [run] };
  const output = `${JSON.stringify(log, null, 2)}\n`;
  if (context.warn) warnAboutGitHubLimits(sarifResults.length, output, context.warn);
  return output;
}
