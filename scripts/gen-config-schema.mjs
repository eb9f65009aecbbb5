#!/usr/bin/env node
// Writes schemas/kubemend-config.schema.json, the JSON Schema of .kubemend.yaml that editors use for completion and
// checking, from the built rules (run `npm run build` first). kubemend itself builds the same schema at run time;
// test/config.test.ts fails when the committed file differs from what this script writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { configSchemaText } = await import(path.join(root, 'dist', 'src', 'config', 'schema.js'));
const out = path.join(root, 'schemas', 'kubemend-config.schema.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, configSchemaText());
process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
