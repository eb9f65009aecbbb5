import { describe, expect, it } from 'vitest';
import { lintText, parseManifest, readBoolean, readInteger, readString, resourcesOf } from '../src/index.js';
import { type Scalar, parseDocument } from 'yaml';
import { BASIC_RULES, PRIVILEGED_POD, pod } from './support/manifests.js';

function codes(text: string): string[] {
  return lintText('t.yaml', text, BASIC_RULES).findings.map((finding) => finding.code);
}

function privilegedTrue(text: string) {
  const finding = lintText('t.yaml', text, BASIC_RULES).findings.find((f) => f.code === 'PrivilegedTrue');
  if (!finding) throw new Error('no PrivilegedTrue finding');
  return finding;
}

describe('positions', () => {
  it('points at the offending scalar with 1-based line and column and an exclusive end', () => {
    const finding = privilegedTrue(PRIVILEGED_POD);
    expect(finding).toMatchObject({ line: 10, column: 21, endLine: 10, endColumn: 25 });
  });

  it('does not count a UTF-8 BOM as a column', () => {
    const text = `\uFEFF${PRIVILEGED_POD.replace('apiVersion: v1\n', '')}`.replace(
      'kind: Pod',
      'apiVersion: v1\nkind: Pod',
    );
    const plain = privilegedTrue(text.slice(1));
    expect(privilegedTrue(text)).toMatchObject({ line: plain.line, column: plain.column, endColumn: plain.endColumn });
    const bomOnFindingLine = `\uFEFF${pod('  hostNetwork: true\n  containers: []\n')}`;
    expect(lintText('t.yaml', bomOnFindingLine, BASIC_RULES).findings[0]).toMatchObject({ line: 6, column: 16 });
  });

  it('gives the same positions for CRLF line endings', () => {
    const crlf = PRIVILEGED_POD.replace(/\n/g, '\r\n');
    const lf = privilegedTrue(PRIVILEGED_POD);
    const found = privilegedTrue(crlf);
    expect([found.line, found.column, found.endLine, found.endColumn]).toEqual([
      lf.line,
      lf.column,
      lf.endLine,
      lf.endColumn,
    ]);
    expect(lintText('t.yaml', crlf, BASIC_RULES).errors).toEqual([]);
  });

  it('points a missing field at the container it belongs to (its name pair)', () => {
    const finding = lintText('t.yaml', pod('  containers:\n    - image: nginx\n      name: app\n'), BASIC_RULES)
      .findings[0]!;
    expect(finding).toMatchObject({ code: 'PrivilegedNil', line: 8, column: 7, endLine: 8, endColumn: 16 });
  });

  it('points a missing field at its parent key when the parent exists', () => {
    const finding = lintText(
      't.yaml',
      pod('  containers:\n    - name: app\n      securityContext:\n        runAsUser: 1000\n'),
      BASIC_RULES,
    ).findings[0]!;
    expect(finding).toMatchObject({ code: 'PrivilegedNil', line: 8, column: 7, endLine: 8, endColumn: 22 });
  });
});

describe('documents', () => {
  it('uses real document boundaries: --- inside a block scalar does not split', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  script: |\n    echo a\n    ---\n    echo b\n---\n${PRIVILEGED_POD}`;
    const result = lintText('t.yaml', text, BASIC_RULES);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.line])).toEqual([['PrivilegedTrue', 20]]);
  });

  it('handles comment-only documents, empty documents and ... end markers', () => {
    const text = `# only a comment\n---\n---\n${PRIVILEGED_POD}...\n---\n# trailing comment document\n...\n---\n${pod('  hostPID: true\n  containers: []\n', 'second')}`;
    const result = lintText('t.yaml', text, BASIC_RULES);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => [f.code, f.resource.name, f.line])).toEqual([
      ['PrivilegedTrue', 'p', 13],
      ['NamespaceHostPIDTrue', 'second', 24],
    ]);
  });

  it('expands kind: List items into resources at their own positions', () => {
    const item = (name: string) =>
      `  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: ${name}\n    spec:\n      hostNetwork: true\n      containers: []\n`;
    const text = `apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('b')}`;
    const findings = lintText('t.yaml', text, BASIC_RULES).findings;
    expect(findings.map((f) => [f.resource.name, f.line, f.column])).toEqual([
      ['a', 9, 20],
      ['b', 16, 20],
    ]);
    const doc = parseManifest(text).documents[0]!;
    expect(resourcesOf(doc.doc, doc.index).map((r) => r.path)).toEqual([
      ['items', 0],
      ['items', 1],
    ]);
  });

  it('ignores documents without kind or apiVersion, and unknown kinds', () => {
    const text =
      `replicas: 3\nimage: nginx\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  ` +
      `name: w\nspec:\n  containers:\n    - name: x\n      securityContext:\n        privileged: true\n`;
    const result = lintText('t.yaml', text, BASIC_RULES);
    expect(result).toMatchObject({ findings: [], errors: [] });
  });
});

describe('Kubernetes scalar semantics', () => {
  it.each(['true', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'y', 'Y'])(
    'reads plain %s in a boolean field as true',
    (word) => {
      expect(codes(PRIVILEGED_POD.replace('privileged: true', `privileged: ${word}`))).toEqual(['PrivilegedTrue']);
    },
  );

  it.each(['false', 'no', 'No', 'off', 'OFF', 'n', 'N'])('reads plain %s in a boolean field as false', (word) => {
    expect(codes(PRIVILEGED_POD.replace('privileged: true', `privileged: ${word}`))).toEqual([]);
  });

  it('reads null as unset', () => {
    expect(codes(PRIVILEGED_POD.replace('privileged: true', 'privileged: ~'))).toEqual(['PrivilegedNil']);
    expect(codes(PRIVILEGED_POD.replace('privileged: true', 'privileged:'))).toEqual(['PrivilegedNil']);
  });

  function scalar(source: string): Scalar {
    return parseDocument(`v: ${source}`).get('v', true) as Scalar;
  }

  it('reads integers as YAML 1.1 does: octal, hex, binary, separators', () => {
    expect(readInteger(scalar('0400'))).toBe(256);
    expect(readInteger(scalar('0x1F'))).toBe(31);
    expect(readInteger(scalar('0b101'))).toBe(5);
    expect(readInteger(scalar('1_000'))).toBe(1000);
    expect(readInteger(scalar('-12'))).toBe(-12);
    expect(readInteger(scalar('0'))).toBe(0);
    expect(readInteger(scalar('"12"'))).toBeUndefined();
    expect(readInteger(scalar('1:20'))).toBeUndefined();
  });

  it('keeps the source text of plain scalars in string fields, as sigs.k8s.io/yaml does', () => {
    expect(readString(scalar('yes'))).toBe('yes');
    expect(readString(scalar('0400'))).toBe('0400');
    expect(readString(scalar('.'))).toBe('.');
    expect(readString(scalar('1:20'))).toBe('1:20');
    expect(readString(scalar("'quoted'"))).toBe('quoted');
    expect(readBoolean(scalar('"true"'))).toBeUndefined();
  });
});

describe('anchors, aliases and merge keys', () => {
  it('follows an alias to the node it stands for', () => {
    const text = pod(
      '  containers:\n    - name: a\n      securityContext: &sc\n        privileged: true\n    - name: b\n      securityContext: *sc\n',
    );
    expect(lintText('t.yaml', text, BASIC_RULES).findings.map((f) => [f.code, f.container])).toEqual([
      ['PrivilegedTrue', 'a'],
      ['PrivilegedTrue', 'b'],
    ]);
  });

  it('honours YAML merge keys as Kubernetes does', () => {
    const text = pod(
      '  containers:\n    - &base\n      name: a\n      securityContext:\n        privileged: true\n    - <<: *base\n      name: b\n',
    );
    expect(lintText('t.yaml', text, BASIC_RULES).findings.map((f) => [f.code, f.container])).toEqual([
      ['PrivilegedTrue', 'a'],
      ['PrivilegedTrue', 'b'],
    ]);
  });

  it('refuses an alias bomb with a located error instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const name = String.fromCharCode(97 + i);
      const previous = String.fromCharCode(96 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const result = lintText('bomb.yaml', `apiVersion: v1\nkind: ConfigMap\n${levels.join('\n')}\n`, BASIC_RULES);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(/alias/);
    expect(result.errors[0]).toMatchObject({ line: 4, column: 8 });
  });
});

describe('bad input inside a file', () => {
  it('reports duplicate keys with their position and still lints the other documents', () => {
    const text = `${pod('  hostNetwork: true\n  hostNetwork: false\n  containers: []\n', 'dup')}---\n${PRIVILEGED_POD}`;
    const result = lintText('t.yaml', text, BASIC_RULES);
    expect(result.errors).toEqual([
      { message: expect.stringMatching(/duplicate key "hostNetwork"/), line: 7, column: 3 },
    ]);
    expect(result.findings.map((f) => f.code)).toEqual(['PrivilegedTrue']);
  });
});
