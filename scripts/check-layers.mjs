// The layering check of `npm run lint`: imports (type imports and dynamic imports included) must point down the
// layers below, never up, and form no cycle. Run from the repository root, or with the root as argument.
// load → engine → rule toolkit ← rules → presets → config → fix → report → cli: see docs/architecture.md.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** Folders (or single files) from the bottom layer up; a file may import its own layer and the ones below. */
const LAYERS = [
  ['src/package-info.ts', 'src/load'],
  ['src/engine'],
  ['src/rule-api'],
  ['rules'],
  ['src/presets'],
  ['src/config'],
  ['src/fix'],
  ['src/report', 'src/kustomize', 'src/helm'],
  ['src/lsp'],
  ['src/cli'],
  ['src/index.ts', 'src/library.ts'],
];

/** Rules see the rest of kubemend only through the surface plugins use (`kubemend/rule`). */
const RULE_SURFACE = 'src/rule-api/index.ts';

/** Folders whose modules import another folder only through its public face, once that face exists. */
const PUBLIC_FACES = [
  {
    importers: ['src/report', 'src/kustomize', 'src/helm', 'src/lsp', 'src/cli'],
    folder: 'src/fix',
    face: 'src/fix/index.ts',
  },
];

function sourceFiles(root, dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(root, relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

function layerOf(file) {
  return LAYERS.findIndex((layer) => layer.some((prefix) => file === prefix || file.startsWith(`${prefix}/`)));
}

function within(file, folder) {
  return file.startsWith(`${folder}/`);
}

/** The repository files a file imports (relative specifiers only; `.js` in a specifier names the `.ts` source). */
function importsOf(root, file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(path.join(root, file), 'utf8'), true, true);
  return importedFiles
    .map(({ fileName }) => fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      const candidates = [target.replace(/\.js$/, '.ts'), target, `${target}.ts`, `${target}/index.ts`];
      return candidates.find(
        (candidate) => existsSync(path.join(root, candidate)) && statSync(path.join(root, candidate)).isFile(),
      );
    })
    .filter((target) => target !== undefined && target.endsWith('.ts'));
}

/** Tarjan's strongly connected components with more than one file (or a file importing itself). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (file) => {
    index.set(file, next);
    low.set(file, next++);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file), index.get(target)));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** Every problem with the imports under `root`, one sentence each. */
export function checkLayers(root) {
  const files = ['src', 'rules'].flatMap((dir) => sourceFiles(root, dir));
  const graph = new Map(files.map((file) => [file, importsOf(root, file)]));
  const problems = [];
  for (const [file, targets] of graph) {
    const layer = layerOf(file);
    if (layer === -1) problems.push(`${file}: in no layer (add its folder to LAYERS in scripts/check-layers.mjs)`);
    for (const target of targets) {
      const targetLayer = layerOf(target);
      if (targetLayer > layer)
        problems.push(
          `${file} imports ${target}: a lower layer must not import a higher one (${LAYERS[layer]} → ${LAYERS[targetLayer]})`,
        );
      if (within(file, 'rules') && !within(target, 'rules') && target !== RULE_SURFACE)
        problems.push(`${file} imports ${target}: rules import kubemend only through ${RULE_SURFACE}`);
      if (
        within(file, 'rules') &&
        within(target, 'rules') &&
        file.split('/').slice(0, -1).join('/') !== target.split('/').slice(0, -1).join('/')
      )
        problems.push(`${file} imports ${target}: a rule must not import another rule`);
      for (const { importers, folder, face } of PUBLIC_FACES) {
        const importer = importers.some((prefix) => within(file, prefix));
        if (importer && existsSync(path.join(root, face)) && within(target, folder) && target !== face)
          problems.push(`${file} imports ${target}: outside ${folder}, import only ${face}`);
      }
    }
  }
  for (const component of cycles(graph)) problems.push(`import cycle: ${component.join(' → ')}`);
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problems = checkLayers(path.resolve(process.argv[2] ?? '.'));
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} layering problem(s): see docs/architecture.md, "The layers"`);
    process.exitCode = 1;
  }
}
