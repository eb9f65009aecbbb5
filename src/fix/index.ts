/*
 * The fix engine's public face: `--fix`, `--diff`, kubeaudit's `autofix`, the language server and the SARIF
 * reporter use src/fix only through this module, so there is one fix pipeline.
 */
export {
  fixTexts,
  type FixInput,
  type FixReport,
  type FixedFile,
  type FixOptions,
  type UnfixedFinding,
} from './run-fix.js';
export type { FixedFinding } from './fix-findings.js';
export { FixPreviews, type FindingFix, type SourceOf } from './preview.js';
export { renderFlow } from './render.js';
export type { TextEdit } from './text-edits.js';
export { writeFileAtomic } from './write.js';
// What fixes in rendered sources (--fix --kustomize, --fix --helm) build on: one file's patches made and verified,
// several files written as one change, temporary folders that an interrupt removes too.
export { fixFileText, type DocumentPatch } from './apply-file.js';
export { FixError } from './apply-patch.js';
export { sourceId } from './plan.js';
export { writeFilesAtomic, WriteAllFailed, type FileChange } from './write-files.js';
export { temporaryFolder, withTemporaryFolder } from './interrupt-cleanup.js';
