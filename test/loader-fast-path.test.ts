import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALL_RULES,
  lintInputs,
  lintText,
  parseManifest,
  selectProfile,
  type FileResult,
  type ResourceSetRule,
} from '../src/index.js';
import { CORPUS_SAMPLE, repositoriesOf, yamlFilesUnder } from './support/corpus.js';
import { PRIVILEGED_POD } from './support/manifests.js';

/*
 * The loader composes only the documents some rule reads (workloads, and the types resource-set rules collect); the
 * others are checked on yaml's CST. These tests hold it to the guarantee that this changes no result: a document
 * that is left out must give exactly the file errors that composing it gives (`parseManifest` composes every one).
 */

function composedErrors(text: string) {
  return parseManifest(text).errors.map(({ message, line, column }) => ({ message, line, column }));
}

function configMap(data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n${data}`;
}

const PLAIN_CONFIG_MAP = configMap('  mode: fast\n');

/** A billion-laughs document: each alias level multiplies the one below. */
function aliasBomb(): string {
  const levels = ['  a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let level = 1; level < 8; level++) {
    const refs = Array.from({ length: 10 }, () => `*a${level - 1}`).join(', ');
    levels.push(`  a${level}: &a${level} [${refs}]`);
  }
  return configMap(`${levels.join('\n')}\n`);
}

const DEFECTS: Record<string, string> = {
  'a duplicate plain key': configMap('  mode: fast\n  mode: slow\n'),
  'a duplicate key, quoted once': configMap('  mode: fast\n  "mode": slow\n'),
  'a duplicate key, single-quoted once': configMap("  'mode': fast\n  mode: slow\n"),
  'a duplicate top-level key': `${PLAIN_CONFIG_MAP}kind: ConfigMap\n`,
  'a duplicate key in a flow mapping': configMap('  nested: {a: 1, "a": 2}\n'),
  'duplicate keys that are numbers': configMap('  1: one\n  01: also one\n'),
  'a tab as indentation': configMap('  mode: fast\n\tother: x\n'),
  'a mapping item indented differently': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   labels: {}\n`,
  'an unterminated double quote': configMap('  mode: "fast\n'),
  'an unterminated single quote': configMap("  mode: 'fast\n"),
  'a bad escape': configMap('  mode: "fa\\qst"\n'),
  'a comment glued to a quoted value': configMap('  mode: "fast"#slow\n'),
  'a plain value that starts with @': configMap('  mode: @fast\n'),
  'a flow sequence missing its end': configMap('  list: [a, b\n  other: c\n'),
  'a flow sequence missing a comma': configMap('  list: [a b, c d\n'),
  'a block scalar whose first lines are more indented': configMap('  script: |\n\n      echo\n    echo\n'),
  'a block collection on the --- line': `--- apiVersion: v1\nkind: ConfigMap\n`,
  'a key on two lines': configMap('  "mo\n  de": fast\n'),
  'a key without a value': configMap('  mode\n  other: x\n'),
  'an alias to nothing': configMap('  mode: *nothing\n'),
  'an alias bomb': aliasBomb(),
  'nesting deeper than the limit': configMap(`  deep: ${'['.repeat(600)}${']'.repeat(600)}\n`),
  'nesting deeper than the limit, in block style': configMap(
    Array.from({ length: 520 }, (_, depth) => `${'  '.repeat(depth + 1)}k${depth}:`).join('\n') + ' end\n',
  ),
  'a Helm template': configMap('  mode: {{ .Values.mode }}\n'),
  'an error token after the document end': `${PLAIN_CONFIG_MAP}...\n]\n`,
  'a directive after a document': `${PLAIN_CONFIG_MAP}%YAML 1.1\n---\n${PLAIN_CONFIG_MAP}`,
};

/** Unusual but valid: whatever composing says of them, the loader says too. */
const UNUSUAL: Record<string, string> = {
  'a quoted Helm template': configMap('  mode: "{{ .Values.mode }}"\n'),
  directives: `%YAML 1.1\n%TAG !x! tag:example.com,2000:\n---\n${PLAIN_CONFIG_MAP}`,
  'a byte order mark': `\uFEFF${PLAIN_CONFIG_MAP}`,
  'a document end with a comment': `${PLAIN_CONFIG_MAP}... # done\n`,
  'tags and anchors': configMap('  a: !!str &x 1\n  b: *x\n'),
};

describe('documents no rule reads', () => {
  it.each(Object.entries(DEFECTS))('give the file error composing gives for %s', (_, text) => {
    const expected = composedErrors(text);
    expect(expected.length).toBeGreaterThan(0);
    expectComposedErrors(text);
  });

  it.each(Object.entries(UNUSUAL))('give the file errors composing gives, if any, for %s', (_, text) => {
    expectComposedErrors(text);
  });

  it('give no error when they are fine, in any style the CST check accepts', () => {
    const text = configMap(
      [
        '  plain: value # a comment',
        '  "quoted": "with \\"escapes\\""',
        "  'single': 'it''s'",
        '  empty:',
        '  flow: {a: [1, 2, {b: c}], "d": e, }',
        '  list: []',
        '  script: |-',
        '    echo one',
        '',
        '    echo two',
        '  folded: >',
        '    a long',
        '    line',
        '  sequence:',
        '  - one',
        '  -   two: 2',
        '      three: 3',
        '',
      ].join('\n'),
    );
    const stream = `# leading comment\n${text}...\n# between\n---\n${text}---\nkind: NoApiVersion\n---\n`;
    expect(composedErrors(stream)).toEqual([]);
    expect(lintText('t.yaml', stream).errors).toEqual([]);
  });

  it('keep the stream index of the documents after them', () => {
    const text = `${PLAIN_CONFIG_MAP}---\n${PLAIN_CONFIG_MAP}...\n---\n${PRIVILEGED_POD}`;
    const [finding] = lintText('t.yaml', text).findings.filter((f) => f.code === 'PrivilegedTrue');
    expect(finding).toMatchObject({ documentIndex: 2, line: 25 });
  });
});

describe('workloads whose kind is written unusually', () => {
  const plainCodes = codesOf(lintText('t.yaml', PRIVILEGED_POD));
  const variants: Record<string, string> = {
    'a quoted kind': PRIVILEGED_POD.replace('kind: Pod', 'kind: "Pod"'),
    'a single-quoted kind': PRIVILEGED_POD.replace('kind: Pod', "kind: 'Pod'"),
    'a kind tagged !!str': PRIVILEGED_POD.replace('kind: Pod', 'kind: !!str Pod'),
    'a kind with an anchor': PRIVILEGED_POD.replace('kind: Pod', 'kind: &k Pod'),
    'a kind as a block scalar': PRIVILEGED_POD.replace('kind: Pod', 'kind: |-\n  Pod'),
    'a kind after a comment': PRIVILEGED_POD.replace('kind: Pod', 'kind: # the kind\n  Pod'),
    'a quoted key': PRIVILEGED_POD.replace('kind: Pod', '"kind": Pod'),
    'a flow-style document':
      '{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: app, image: "nginx:1.27", ' +
      'securityContext: {privileged: true}}]}}\n',
    'a JSON document': JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27', securityContext: { privileged: true } }] },
    }),
  };

  it.each(Object.entries(variants))('are linted: %s', (_, text) => {
    expect(plainCodes).toContain('PrivilegedTrue');
    expect(codesOf(lintText('t.yaml', text))).toEqual(plainCodes);
    expect(codesOf(lintText('t.yaml', `${PLAIN_CONFIG_MAP}---\n${text}`))).toEqual(plainCodes);
  });
});

describe('the vendored corpus sample', () => {
  /** A rule that says nothing about the types it reads: every document is composed when it runs. */
  const readsEverything: ResourceSetRule = {
    kind: 'resource-set',
    meta: { id: 'reads-everything', description: 'test', codes: {} } as ResourceSetRule['meta'],
    collect: () => undefined,
    check: () => undefined,
  };
  const defaultRules = selectProfile(ALL_RULES, {}).rules;

  it.each(['kubeaudit', 'auto'] as const)(
    'lints the same with every document composed (profile %s)',
    async (profile) => {
      const rules = selectProfile(ALL_RULES, { profile }).rules;
      for (const repository of repositoriesOf(CORPUS_SAMPLE)) {
        const fast = await lintInputs([repository], { jobs: 1, profile });
        const composed = await lintInputs([repository], { jobs: 1, profile, rules: [...rules, readsEverything] });
        expect(comparable(fast)).toEqual(comparable(composed));
      }
    },
  );

  it('lints the same with every document composed when its files are damaged', () => {
    const texts = yamlFilesUnder(CORPUS_SAMPLE).map((file) => readFileSync(file, 'utf8'));
    const random = seededRandom(16);
    let broken = 0;
    for (let round = 0; round < 200; round++) {
      const text = damaged(texts[random(texts.length)]!, random);
      const composed = lintText('t.yaml', text, { rules: [...defaultRules, readsEverything] });
      if (composed.errors.length > 0) broken++;
      expect(comparable([lintText('t.yaml', text, { rules: defaultRules })])).toEqual(comparable([composed]));
    }
    expect(broken).toBeGreaterThan(50);
  });
});

/** What a hand, an editor or a bad merge does to YAML: characters that matter to its syntax, inserted or removed. */
const DAMAGE = ['\t', '"', "'", ':', '\n', '[', ']', '{', '}', ',', '#', '-', '*a', '&a ', '!!str ', '? ', '|', '\\'];

function damaged(text: string, random: (below: number) => number): string {
  let result = text;
  for (let edit = random(3); edit >= 0; edit--) {
    const at = random(result.length + 1);
    if (random(2) === 0) result = result.slice(0, at) + DAMAGE[random(DAMAGE.length)]! + result.slice(at);
    else result = result.slice(0, at) + result.slice(at + 1 + random(3));
  }
  return result;
}

/** A small linear congruential generator: the same damage on every run. */
function seededRandom(seed: number): (below: number) => number {
  let state = seed;
  return (below) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % below;
  };
}

/** Alone, after a plain document, and before one. */
function expectComposedErrors(text: string): void {
  for (const stream of [text, `${PLAIN_CONFIG_MAP}---\n${text}`, `${text}\n---\n${PLAIN_CONFIG_MAP}`]) {
    expect(lintText('t.yaml', stream).errors).toEqual(composedErrors(stream));
  }
}

function codesOf(result: FileResult): string[] {
  return result.findings.map((finding) => finding.code).sort();
}

function comparable(results: FileResult[]) {
  return results.map(({ file, findings, errors }) => ({ file, findings, errors }));
}
