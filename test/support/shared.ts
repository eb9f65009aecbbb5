import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

/**
 * The project's shared folder beside the checkout (the full corpus, the SARIF validator). Only the end-to-end suite
 * (`npm run test:e2e`) reads it; a clone from GitHub has no such folder, so `npm test` never does.
 */
export const SHARED = path.resolve(ROOT, '..', 'shared');

/** A path inside the shared folder, or one line saying what is missing. */
export function sharedPath(...parts: string[]): string {
  const target = path.join(SHARED, ...parts);
  if (!existsSync(target))
    throw new Error(`${target} is missing: the end-to-end suite needs the project's shared folder beside the checkout`);
  return target;
}
