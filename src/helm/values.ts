import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { findPair, type NodePath } from '../load/nodes.js';
import { LineIndex } from '../load/positions.js';

/*
 * Which values key a rendered field comes from is found by rendering once more with markers: every candidate leaf
 * (a values scalar equal to the rendered one) becomes a unique string, every values mapping gets a unique extra key,
 * all in one extra render; a marker that lands on the field (or in the mapping that lacks it) names the key.
 */

const MARKER = /kubemend-marker-(\d+)-x/;
const markerText = (n: number) => `kubemend-marker-${n}-x`;

export interface ValuesFile {
  /** Absolute path. */
  file: string;
  text: string;
  doc: Document.Parsed;
  /** Where its keys are in the chart's values: `[]`, or a subchart's name (its own values.yaml). */
  prefix: NodePath;
}

function valuesFile(file: string, prefix: NodePath): ValuesFile {
  const text = readFileSync(file, 'utf8');
  return { file, text, doc: parseDocument(text) as Document.Parsed, prefix };
}

/** The values.yaml of each unpacked subchart (`charts/<name>/`), whose keys the chart has under `<name>:`. */
function subchartValues(chartDir: string): ValuesFile[] {
  const charts = path.join(chartDir, 'charts');
  if (!existsSync(charts)) return [];
  return readdirSync(charts, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(charts, entry.name, 'values.yaml')))
    .map((entry) => valuesFile(path.join(charts, entry.name, 'values.yaml'), [entry.name]));
}

/**
 * The values files in the order helm merges them: the subcharts' own, the chart's values.yaml (when there is one),
 * the user's `--values` files.
 */
export function readValuesFiles(chartDir: string, userFiles: readonly string[]): ValuesFile[] {
  const chartValues = path.join(chartDir, 'values.yaml');
  const files = [...(existsSync(chartValues) ? [chartValues] : []), ...userFiles];
  return [...subchartValues(chartDir), ...files.map((file) => valuesFile(file, []))];
}

type Data = Record<string, unknown>;
const isObject = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** helm's merge: mappings merge key by key, anything else replaces. */
function merge(into: unknown, over: unknown): unknown {
  if (!isObject(into) || !isObject(over)) return over === undefined ? into : structuredClone(over);
  const out: Data = { ...into };
  for (const [key, value] of Object.entries(over)) out[key] = merge(into[key], value);
  return out;
}

export function mergedValues(files: readonly ValuesFile[]): unknown {
  return files.reduce<unknown>(
    (merged, file) =>
      merge(
        merged,
        file.prefix.reduceRight<unknown>((data, key) => ({ [key]: data }), file.doc.toJS() ?? {}),
      ),
    {},
  );
}

/** What a finding asks of the values: the rendered path of its field, and the value there when it has one. */
export interface ValuesQuestion {
  renderedPath: NodePath;
  /** The rendered scalar at the path; undefined when the field is missing. */
  value?: unknown;
}

/** A values node a marker was put on. */
export interface Candidate {
  valuesPath: NodePath;
  kind: 'leaf' | 'mapping';
}

/** The markers for one extra render: the values to add (a complete copy, markers in it) and what each marks. */
export interface MarkerPlan {
  overlay: unknown;
  candidates: Candidate[];
}

function eachNode(data: unknown, visit: (value: unknown, at: NodePath) => void, at: NodePath = []): void {
  visit(data, at);
  if (Array.isArray(data)) data.forEach((item, index) => eachNode(item, visit, [...at, index]));
  else if (isObject(data)) for (const [key, value] of Object.entries(data)) eachNode(value, visit, [...at, key]);
}

function setAt(root: unknown, at: NodePath, value: unknown): void {
  let current = root as Data;
  for (const segment of at.slice(0, -1)) current = (current as Record<string | number, unknown>)[segment] as Data;
  (current as Record<string | number, unknown>)[at.at(-1)!] = value;
}

/**
 * Markers for the leaves equal to a rendered value some question has, and (when `mappings`) an extra key in every
 * values mapping, for the questions about missing fields.
 */
export function planMarkers(values: unknown, questions: readonly ValuesQuestion[], mappings: boolean): MarkerPlan {
  const overlay = structuredClone(values);
  const wanted = questions.filter((q) => q.value !== undefined).map((q) => q.value);
  const candidates: Candidate[] = [];
  const asksMissing = mappings && questions.some((q) => q.value === undefined);
  const leaves: NodePath[] = [];
  const maps: NodePath[] = [];
  eachNode(values, (value, at) => {
    if (isObject(value)) {
      if (asksMissing && at.length > 0) maps.push(at);
    } else if (!Array.isArray(value) && at.length > 0 && wanted.some((w) => w === value)) leaves.push(at);
  });
  for (const at of leaves) {
    setAt(overlay, at, markerText(candidates.length));
    candidates.push({ valuesPath: at, kind: 'leaf' });
  }
  for (const at of maps) {
    const target = at.reduce<unknown>((node, segment) => (node as Data)[segment as string], overlay) as Data;
    target[markerText(candidates.length)] = 'x';
    candidates.push({ valuesPath: at, kind: 'mapping' });
  }
  return { overlay, candidates };
}

/** Where a finding's field comes from in the values: the candidate, and the rendered path it lands at. */
export interface Landing {
  candidate: Candidate;
  /** For a leaf, the field's own path; for a mapping, the rendered path of the mapping it became. */
  renderedAt: NodePath;
}

function walk(root: unknown, at: NodePath): unknown {
  let current = root;
  for (const segment of at) current = (current as Record<string | number, unknown> | undefined)?.[segment];
  return current;
}

/**
 * Which marker landed on the question's field in the marked render of its document: the leaf's marker as the whole
 * value, or, for a missing field, the deepest marked mapping on its path.
 */
export function landing(markedDoc: unknown, question: ValuesQuestion, plan: MarkerPlan): Landing | undefined {
  const { renderedPath } = question;
  if (question.value !== undefined) {
    const value = walk(markedDoc, renderedPath);
    const match = typeof value === 'string' ? MARKER.exec(value) : null;
    if (!match || match[0] !== value) return undefined;
    const candidate = plan.candidates[Number(match[1])];
    return candidate?.kind === 'leaf' ? { candidate, renderedAt: renderedPath } : undefined;
  }
  for (let depth = renderedPath.length - 1; depth >= 0; depth--) {
    const at = renderedPath.slice(0, depth);
    const node = walk(markedDoc, at);
    if (!isObject(node)) continue;
    const key = Object.keys(node).find((name) => MARKER.test(name));
    if (!key) continue;
    const candidate = plan.candidates[Number(MARKER.exec(key)![1])];
    if (candidate?.kind === 'mapping') return { candidate, renderedAt: at };
  }
  return undefined;
}

/** `securityContext.capabilities.add[0]`: a values path as people write it for `--set`. */
export function valuesKey(at: NodePath): string {
  return at
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      // --set reads a dot as a step down: one inside a key is escaped.
      const key = segment.replace(/\./g, '\\.');
      return index ? `.${key}` : key;
    })
    .join('');
}

function nodeAtPath(doc: Document.Parsed, at: NodePath): Node | undefined {
  let current: unknown = doc.contents;
  let shown: Node | undefined;
  for (const segment of at) {
    if (typeof segment === 'number') {
      if (!isSeq(current)) return undefined;
      current = current.items[segment];
      shown = current as Node;
    } else {
      const pair = isMap(current) ? findPair(current, segment) : undefined;
      if (!pair) return undefined;
      shown = pair.key as Node;
      current = pair.value;
    }
  }
  return shown;
}

/** The values file that sets a values path last (the one helm takes it from) and the line of its key there. */
export function definedIn(files: readonly ValuesFile[], at: NodePath): { file: ValuesFile; line: number } | undefined {
  for (const file of [...files].reverse()) {
    if (!file.prefix.every((segment, index) => at[index] === segment)) continue;
    const node = nodeAtPath(file.doc, at.slice(file.prefix.length));
    if (node?.range) return { file, line: new LineIndex(file.text).position(node.range[0]).line };
  }
  return undefined;
}

/** Whether a `--set key=value` entry sets this values path (or a mapping above it), which wins over every file. */
export function setOnCommandLine(entries: readonly string[], at: NodePath): boolean {
  const key = valuesKey(at);
  return entries.some((entry) =>
    entry.split(/(?<!\\),/).some((part) => {
      const name = part.split('=')[0]!.trim();
      return name === key || key.startsWith(`${name}.`) || key.startsWith(`${name}[`);
    }),
  );
}
