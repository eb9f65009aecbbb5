import type { FileResult } from '../engine/types.js';

/** Version of the JSON document; bumped on any incompatible change (see README, "JSON output"). */
export const JSON_FORMAT_VERSION = 1;

export function formatJson(results: readonly FileResult[]): string {
  return `${JSON.stringify({ version: JSON_FORMAT_VERSION, results })}\n`;
}
