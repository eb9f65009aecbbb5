#!/usr/bin/env node
// Embeds every rule's README (rules/<id>/README.md; an id such as pss/privileged is a folder in a folder) into the
// build as dist/src/report/rule-docs.json, so the SARIF output carries each rule's help without reading the rules/
// folder at run time. Runs after tsc (`npm run build`).
// The file sits under dist/src/ because package.json `files` publishes that folder.
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rulesDir = path.join(root, 'rules');
const out = path.join(root, 'dist', 'src', 'report', 'rule-docs.json');

/** Folder names under rules/, sorted; a folder of rule folders (rules/pss/) holds rules whose ids are `<folder>/<rule>`. */
function folders(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
}

const docs = {};
for (const name of folders(rulesDir)) {
  const group = path.join(rulesDir, name);
  const isGroup = !existsSync(path.join(group, 'rule.ts')) && folders(group).length > 0;
  for (const id of isGroup ? folders(group).map((rule) => `${name}/${rule}`) : [name]) {
    const readme = path.join(rulesDir, id, 'README.md');
    // A rule being written may not have its README yet; the SARIF output refuses to run without a registered rule's help.
    if (!existsSync(readme)) {
      process.stderr.write(`embed-rule-docs: warning: rules/${id} has no README.md (it is the rule's help in SARIF)\n`);
      continue;
    }
    docs[id] = readFileSync(readme, 'utf8');
  }
}
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(docs)}\n`);
