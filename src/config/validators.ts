import { createRequire } from 'node:module';
import path from 'node:path';
import type { Options, ValidateFunction } from 'ajv';
import { packageRoot } from '../package-info.js';

/** How every config schema is checked; scripts/compile-validators.mjs compiles with the same options. */
export const AJV_OPTIONS: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true };

/** Where the build writes the validators it compiled, beside this module's compiled form. */
export const COMPILED_VALIDATORS = path.join('dist', 'src', 'config', 'compiled-validators.cjs');

/** What the build compiled: each validator with the text of the schema it was compiled from. */
type Compiled = Record<string, { schema: string; validate: ValidateFunction }>;

let compiled: Compiled | undefined;

/**
 * The validator of `schema`. Compiling the schema of .kubemend.yaml with ajv takes about 0.2 s with ajv's loading,
 * more than the rest of a one-file lint, so the build compiles the built-in schemas (scripts/compile-validators.mjs)
 * and a run uses those while its schema is the same text; plugins' options make another schema, compiled now.
 */
export async function validatorFor(schema: Record<string, unknown>): Promise<ValidateFunction> {
  const text = JSON.stringify(schema);
  for (const entry of Object.values(readCompiled())) if (entry.schema === text) return entry.validate;
  const { Ajv } = await import('ajv');
  return new Ajv(AJV_OPTIONS).compile(schema);
}

function readCompiled(): Compiled {
  if (compiled) return compiled;
  const file = path.join(packageRoot(), COMPILED_VALIDATORS);
  try {
    compiled = createRequire(file)(file) as Compiled;
  } catch {
    compiled = {}; // Not built (tests of the sources before a build): everything is compiled at run time.
  }
  return compiled;
}
