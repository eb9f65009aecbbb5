#!/usr/bin/env node
// Compiles the JSON Schemas of .kubemend.yaml (built-in rules) and of its `plugins` key with ajv's standalone code
// generation into dist/src/config/compiled-validators.cjs, so that a run with a config file does not load ajv and
// compile them (about 0.2 s, more than the rest of a one-file lint). src/config/validators.ts uses a compiled one
// only while its schema text is the same; plugins' options make another schema, which ajv compiles at run time.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => pathToFileURL(path.join(root, 'dist', 'src', 'config', file)).href;
const { configSchema, PLUGINS_KEY_SCHEMA } = await import(dist('schema.js'));
const { AJV_OPTIONS, COMPILED_VALIDATORS } = await import(dist('validators.js'));

const schemas = { config: configSchema(), plugins: PLUGINS_KEY_SCHEMA };
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
for (const [name, schema] of Object.entries(schemas)) ajv.addSchema(schema, name);
const code = standaloneCode.default(ajv, Object.fromEntries(Object.keys(schemas).map((name) => [name, name])));
const entries = Object.keys(schemas).map(
  (name) => `  ${name}: { schema: ${JSON.stringify(JSON.stringify(schemas[name]))}, validate: exports.${name} },`,
);
writeFileSync(path.join(root, COMPILED_VALIDATORS), `${code}\nmodule.exports = {\n${entries.join('\n')}\n};\n`);
