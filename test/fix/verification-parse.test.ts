import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Composer, Parser, type Document } from 'yaml';
import { COMPOSE_OPTIONS } from '../../src/load/cst-compose.js';
import { dataOf, hasData } from '../../src/fix/document-data.js';
import { FixError } from '../../src/fix/apply-patch.js';
import { parseDocuments } from '../../src/fix/parse-documents.js';
import { documentShape } from '../support/built-documents.js';
import { CORPUS_SAMPLE, yamlFilesUnder } from '../support/corpus.js';
import { CLEAN_POD, PRIVILEGED_POD } from '../support/manifests.js';

/*
 * --fix verifies what it makes by parsing it and comparing its data with the original's plus the patches. Both
 * steps have fast paths (documents built from the CST as the loader builds them, data read straight from the nodes);
 * these tests hold them to what yaml's Composer and `toJS` (through JSON) give, which --fix used before.
 */

function composed(text: string): Document.Parsed[] {
  return [...new Composer(COMPOSE_OPTIONS).compose(new Parser().parse(text))];
}

/** The documents as yaml composes them, errors with their messages, comments left out (the fix reads none). */
function expectParsedAsComposed(text: string): void {
  const shape = (docs: Document.Parsed[]) =>
    docs.map((doc) => ({ ...(documentShape(doc) as object), messages: doc.errors.map((error) => error.message) }));
  expect(shape(parseDocuments(text))).toEqual(shape(composed(text)));
}

function viaJson(doc: Document.Parsed): unknown {
  return JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: -1 }) ?? null)) as unknown;
}

/** Equal as verification compares data (isDeepStrictEqual: 0 is not -0); toStrictEqual first, for its message. */
function expectSameData(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
}

const withSpec = (lines: string) => PRIVILEGED_POD.replace('spec:', `spec:\n${lines}`);

/** Texts the loader refuses or composes: the fix must still get yaml's documents and errors. */
const NOT_PLAIN: Record<string, string> = {
  'a duplicate key': withSpec('  hostNetwork: true\n  hostNetwork: false'),
  'a tab as indentation': withSpec('\thostNetwork: true'),
  'a bad escape': withSpec('  hostname: "we\\qb"'),
  'an anchor and an alias': withSpec('  hostname: &h web\n  subdomain: *h'),
  'a tag': withSpec('  hostNetwork: !!bool true'),
  'a Helm template': withSpec('  hostname: {{ .Values.name }}'),
  'a directive': `%YAML 1.1\n---\n${CLEAN_POD}`,
  'two documents': `${CLEAN_POD}---\n${PRIVILEGED_POD}`,
  'comments everywhere': `# head\n${withSpec('  # why\n  hostNetwork: true # trailing')}# tail\n`,
  'nothing but a comment': '# nothing\n',
  'an empty text': '',
};

/** Data `toJS` makes something JSON changes, or that yaml gives its own classes or special keys. */
const SPECIAL_DATA: Record<string, string> = {
  'aliases and a merge key': 'base: &b {x: 1}\ncopy: *b\nmerged:\n  <<: *b\n  y: 2\n',
  'numbers JSON cannot write': 'a: .inf\nb: -.inf\nc: .nan\nf: 1e400\n',
  'numbers JSON writes its own way': 'a: -0\nb: -0.0\nc: 0.0\nd: 1.50\ne: 0x1F\nf: 1e3\n',
  'keys that are not strings': '1: one\ntrue: yes\n~: nothing\n[a, b]: list\n',
  'a key JSON keeps as its own': '__proto__: {polluted: true}\nsafe: 1\n',
  'tags with classes of their own': 'set: !!set {a, b}\nomap: !!omap [x: 1, y: 2]\npairs: !!pairs [a: 1]\n',
  'binary and timestamps':
    '%YAML 1.1\n---\nbin: !!binary aGVsbG8=\nwhen: 2001-12-14t21:59:43.10-05:00\nmerge:\n  <<: {a: 1}\n',
  'an empty document': '---\n',
  'a scalar document': 'just text\n',
  'nulls and empty values': 'a:\nb: ~\nc: [~, null, ""]\nd: {}\ne: []\n',
};

describe('the parse that verifies a fix', () => {
  it.each(Object.entries(NOT_PLAIN))('gives what yaml composes for %s', (_, text) => {
    expectParsedAsComposed(text);
  });

  it('gives what yaml composes for every file of the vendored corpus sample, and each of its documents', () => {
    for (const file of yamlFilesUnder(CORPUS_SAMPLE)) {
      const text = readFileSync(file, 'utf8');
      expectParsedAsComposed(text);
      for (const doc of composed(text)) expectParsedAsComposed(text.slice(doc.range[0], doc.range[2]));
    }
  });
});

describe("a document's data for verification", () => {
  it.each(Object.entries({ ...SPECIAL_DATA, ...NOT_PLAIN }))('is what JSON makes of toJS for %s', (_, text) => {
    for (const doc of composed(text)) {
      let expected: unknown;
      try {
        expected = viaJson(doc);
      } catch {
        expect(() => dataOf(doc, 'the document')).toThrow(FixError);
        continue;
      }
      expectSameData(dataOf(doc, 'the document'), expected);
    }
  });

  it('is what JSON makes of toJS for every document of the vendored corpus sample', () => {
    let documents = 0;
    for (const file of yamlFilesUnder(CORPUS_SAMPLE))
      for (const doc of parseDocuments(readFileSync(file, 'utf8'))) {
        expectSameData(dataOf(doc, 'the document'), viaJson(doc));
        documents++;
      }
    expect(documents).toBeGreaterThan(100);
  });

  it('names the document when an alias cannot be read back', () => {
    const [dangling] = composed('a: *nowhere\n');
    expect(() => dataOf(dangling!, 'fixed document 3')).toThrow(/fixed document 3 would not read back/);
  });
});

/** Changes of a document's data, each in a way a comparison could overlook. */
const CHANGES: Record<string, (data: Record<string, unknown>) => unknown> = {
  'nothing changed': (data) => data,
  'a key added': (data) => ({ ...data, extra: null }),
  'a key removed': ({ kind: _kind, ...rest }) => rest,
  'a key renamed': ({ kind, ...rest }) => ({ ...rest, Kind: kind }),
  'a string made a number': (data) => ({ ...data, kind: 1 }),
  'the mapping made a list': (data) => Object.values(data),
  'a mapping without a prototype': (data) => Object.assign(Object.create(null) as object, data),
  'a list grown': (data) => ({ ...data, list: [...((data.list as unknown[]) ?? []), 'x'] }),
  'zero made negative': (data) => ({ ...data, zero: -0 }),
};

describe('comparing a document with the data a fix expects', () => {
  const text = 'apiVersion: v1\nkind: ConfigMap\nlist: [a, {b: 1}]\nzero: 0\nnone:\n';
  const aliased = `${text}copy: &c {x: 1}\nagain: *c\n`;
  it.each(Object.entries(CHANGES))('agrees with isDeepStrictEqual on the data: %s', (_, change) => {
    for (const source of [text, aliased]) {
      const [doc] = composed(source);
      const expected = change(dataOf(doc!, 'the document') as Record<string, unknown>);
      expect(hasData(doc!, expected, 'the document')).toBe(isDeepStrictEqual(dataOf(doc!, 'the document'), expected));
    }
  });

  it('finds every document of the vendored corpus sample equal to its data, and not to another', () => {
    let previous: unknown;
    for (const file of yamlFilesUnder(CORPUS_SAMPLE))
      for (const doc of parseDocuments(readFileSync(file, 'utf8'))) {
        const data = dataOf(doc, 'the document');
        expect(hasData(doc, data, 'the document')).toBe(true);
        expect(hasData(doc, previous, 'the document')).toBe(isDeepStrictEqual(data, previous));
        previous = data;
      }
  });
});
