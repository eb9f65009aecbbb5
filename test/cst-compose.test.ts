import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, Parser, Scalar, YAMLMap, type CST } from 'yaml';
import { buildDocument } from '../src/load/cst-compose.js';
import { expectBuiltAsComposed } from './support/built-documents.js';
import { CORPUS_SAMPLE, yamlFilesUnder } from './support/corpus.js';
import { CLEAN_POD, PRIVILEGED_POD, SHOP_DEFAULT_DENY, SHOP_POD } from './support/manifests.js';

/*
 * The loader builds the documents its CST check vouches for straight from yaml's CST (src/load/cst-compose.ts)
 * instead of composing them. These tests hold it to giving the very nodes yaml's Composer gives.
 */

function configMap(data: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n${data}`;
}

/** Every shape the CST check accepts, and the scalars of the core schema. */
const CASES: Record<string, string> = {
  'plain strings': configMap('  a: value\n  b: two words\n  c: "x:y"\n  d: a:b\n'),
  'empty values': configMap('  a:\n  b: # comment\n  c:   \n  d: x\n'),
  'an empty value last': configMap('  a: x\n  b:\n'),
  'an empty value before a comment line': configMap('  a:\n  # why\n  b: x\n'),
  nulls: configMap('  a: ~\n  b: null\n  c: Null\n  d: NULL\n  e: nil\n'),
  booleans: configMap('  a: true\n  b: False\n  c: TRUE\n  d: yes\n  e: off\n  f: tRue\n'),
  integers: configMap('  a: 1\n  b: -12\n  c: +7\n  d: 0o17\n  e: 0x1F\n  f: 0400\n  g: 1_000\n  h: 08\n  i: 0b101\n'),
  floats: configMap(
    '  a: 1.5\n  b: .5\n  c: 1.\n  d: 1e3\n  e: -2.5E-3\n  f: .inf\n  g: -.Inf\n  h: .nan\n  i: 1.50\n',
  ),
  'strings that start like numbers': configMap(
    '  a: 1.2.3\n  b: 10Gi\n  c: -x\n  d: .hidden\n  e: +a\n  f: 8080/TCP\n',
  ),
  'quoted scalars': configMap(`  a: "x"\n  b: 'y'\n  c: 'it''s'\n  d: "a\\tb\\u00e9"\n  e: ""\n  f: ''\n  g: "1"\n`),
  'multi-line scalars': configMap(
    '  a: one\n    two\n\n    three\n  b: "x\n    y"\n  c: \'p\n\n    q\'\n  d: plain # end\n',
  ),
  'block scalars': configMap(
    '  a: |\n    one\n    two\n  b: >-\n    folded\n    line\n\n  c: |+\n    kept\n\n  d: |2\n      indented\n  e: >\n' +
      '\n    after blank\n  f: |-\n  g: x\n',
  ),
  'flow collections': configMap(
    '  a: [1, "two", three]\n  b: {x: 1, "y": [], z: {}}\n  c: [ ]\n  d: [a, b, ]\n  e: {a: , b: x}\n' +
      '  f: [ [1, 2], {k: v} ]  # trailing\n  g: [\n    multi,\n    line\n  ]\n  h: {k: }\n',
  ),
  sequences: configMap(
    '  list:\n  - one\n  -\n  - - nested\n    - two\n  -   key: 1\n      other: 2\n  - # note\n    x\n',
  ),
  'indented sequences and comments between items': configMap(
    '  list:\n    # first\n    - a\n\n    # second\n    - b\n    # last\n  after: 1\n',
  ),
  'a mapping ending in comments': configMap('  a: 1\n  # trailing comment\n  # another\n'),
  'keys of every scalar style': configMap('  plain: 1\n  "double": 2\n  \'single\': 3\n  with space: 4\n'),
  'a document start and end': `---\n${configMap('  a: 1\n')}...\n`,
  'a document end with a comment': `${configMap('  a: 1\n')}... # done\n`,
  'several documents': `${configMap('  a: 1\n')}---\n${CLEAN_POD}---\n# comment only\n---\n${PRIVILEGED_POD}`,
  'comments before and between documents': `# head\n\n${configMap('  a: 1\n')}# tail\n---\n# next\n${SHOP_POD}`,
  'CRLF line endings': configMap('  a: 1\n  b: |\n    x\n  c: [1, 2]\n').replaceAll('\n', '\r\n'),
  'a byte order mark': `\uFEFF${configMap('  a: 1\n')}`,
  'trailing spaces everywhere': configMap('  a: 1   \n  b:   x  \n  c:  \n  - 1 \n'),
  'a document with no newline at the end': configMap('  a: 1'),
  'unicode text': configMap('  a: héllo wörld\n  b: "日本"\n  c: 😀\n'),
  'resources the rules read': `${SHOP_DEFAULT_DENY}---\n${SHOP_POD}`,
  'documents yaml composes among them': `${configMap('  a: &x 1\n  b: *x\n')}---\n${CLEAN_POD}---\n${configMap('  t: !!str 1\n')}`,
  'an error after a document': `${CLEAN_POD}...\n]\n---\n${CLEAN_POD}`,
  'a directive before a document': `%YAML 1.2\n---\n${CLEAN_POD}`,
  'a Helm template': `${CLEAN_POD}---\n${configMap('  a: {{ .Values.a }}\n')}`,
};

/** Workloads yaml reports something about, or that are not plain: not built, composed as before. */
const NOT_BUILT: Record<string, string> = {
  'a duplicate key': CLEAN_POD.replace('spec:', 'spec:\n  hostNetwork: true\n  hostNetwork: false'),
  'a tab as indentation': CLEAN_POD.replace('spec:', 'spec:\n\thostNetwork: true'),
  'a bad escape': CLEAN_POD.replace('spec:', 'spec:\n  hostname: "we\\qb"'),
  'a key without a value': CLEAN_POD.replace('spec:', 'spec:\n  hostNetwork\n  hostIPC: true'),
  'an anchor and an alias': CLEAN_POD.replace('spec:', 'spec:\n  hostname: &h web\n  subdomain: *h'),
  'a tag': CLEAN_POD.replace('spec:', 'spec:\n  hostNetwork: !!bool true'),
  'nesting deeper than the plain limit': CLEAN_POD.replace(
    'spec:',
    `spec:\n  deep: ${'['.repeat(70)}${']'.repeat(70)}`,
  ),
  'a flow sequence missing its end': CLEAN_POD.replace('spec:', 'spec:\n  list: [a, b\n  other: c'),
};

describe('documents built from the CST', () => {
  it.each(Object.entries(CASES))('equal what yaml composes: %s', (_, text) => {
    expectBuiltAsComposed(text);
  });

  it.each(Object.entries(NOT_BUILT))('are not made of workloads with %s, which yaml composes', (_, text) => {
    expect(expectBuiltAsComposed(`${text}---\n${PRIVILEGED_POD}`)).toEqual({ documents: 2, built: 1 });
  });

  it('are most documents of the vendored corpus sample, and equal what yaml composes', () => {
    let documents = 0;
    let built = 0;
    for (const file of yamlFilesUnder(CORPUS_SAMPLE)) {
      const counts = expectBuiltAsComposed(readFileSync(file, 'utf8'));
      documents += counts.documents;
      built += counts.built;
    }
    expect(built).toBeGreaterThan(documents * 0.8);
  });

  it('are the workloads the tests lint', () => {
    for (const text of [CLEAN_POD, PRIVILEGED_POD, SHOP_POD]) expect(expectBuiltAsComposed(text).built).toBe(1);
  });
});

describe('the nodes of a built document', () => {
  const built = () => {
    const [token] = Array.from(new Parser().parse(PRIVILEGED_POD)) as CST.Document[];
    return buildDocument(token!, [])!;
  };

  it('are what yaml checks them to be, and work with its methods', () => {
    const doc = built();
    const root = doc.contents;
    expect(isMap(root) && root instanceof YAMLMap && root.constructor === YAMLMap).toBe(true);
    expect((root as YAMLMap).schema?.name).toBe(doc.schema.name);
    expect(Object.keys(root as YAMLMap)).not.toContain('schema');
    const [first] = (root as YAMLMap).items;
    expect(isPair(first) && isScalar(first.key) && first.key instanceof Scalar).toBe(true);
    expect(isSeq(doc.getIn(['spec', 'containers']))).toBe(true);
    expect(isMap(doc.clone().contents)).toBe(true);
    doc.setIn(['spec', 'containers', 0, 'securityContext', 'privileged'], false);
    expect(doc.getIn(['spec', 'containers', 0, 'securityContext', 'privileged'])).toBe(false);
    expect(doc.toJS()).toMatchObject({
      kind: 'Pod',
      spec: { containers: [{ securityContext: { privileged: false } }] },
    });
    expect(String(doc)).toContain('privileged: false');
  });
});
