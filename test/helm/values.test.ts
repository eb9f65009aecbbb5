import { describe, expect, it } from 'vitest';
import { parseDocument, type Document } from 'yaml';
import type { ValuesOrigin } from '../../src/helm/analyse.js';
import {
  definedIn,
  landing,
  mergedValues,
  planMarkers,
  setOnCommandLine,
  valuesKey,
  type ValuesFile,
} from '../../src/helm/values.js';
import { findingValuesPatches, valuesPatches } from '../../src/helm/values-patches.js';

function valuesFile(file: string, text: string, prefix: string[] = []): ValuesFile {
  return { file, text, doc: parseDocument(text) as Document.Parsed, prefix };
}

const chart = valuesFile(
  'values.yaml',
  '# defaults\nsecurityContext:\n  privileged: true # debugger\npodSecurityContext: {}\ndebug: true\nname: api\n',
);
const prod = valuesFile('prod.yaml', 'securityContext:\n  privileged: true\n');
const container = ['spec', 'template', 'spec', 'containers', 0];

describe('values markers', () => {
  it('merge the values as helm does: mappings key by key, later files win', () => {
    const over = valuesFile('over.yaml', 'securityContext:\n  runAsNonRoot: true\nname: web\n');
    expect(mergedValues([chart, over])).toEqual({
      securityContext: { privileged: true, runAsNonRoot: true },
      podSecurityContext: {},
      debug: true,
      name: 'web',
    });
  });

  it('mark only the leaves equal to a rendered value, and every mapping when a field is missing', () => {
    const values = mergedValues([chart]);
    const leavesOnly = planMarkers(
      values,
      [{ renderedPath: [...container, 'securityContext', 'privileged'], value: true }],
      true,
    );
    expect(leavesOnly.candidates).toEqual([
      { valuesPath: ['securityContext', 'privileged'], kind: 'leaf' },
      { valuesPath: ['debug'], kind: 'leaf' },
    ]);
    expect(leavesOnly.overlay).toMatchObject({ securityContext: { privileged: 'kubemend-marker-0-x' }, name: 'api' });
    const withMappings = planMarkers(
      values,
      [{ renderedPath: [...container, 'securityContext', 'runAsNonRoot'] }],
      true,
    );
    expect(withMappings.candidates).toEqual([
      { valuesPath: ['securityContext'], kind: 'mapping' },
      { valuesPath: ['podSecurityContext'], kind: 'mapping' },
    ]);
    expect(withMappings.overlay).toMatchObject({ podSecurityContext: { 'kubemend-marker-1-x': 'x' } });
    expect(planMarkers(values, [{ renderedPath: ['x'] }], false).candidates).toEqual([]);
  });

  it('name the values key whose marker lands on the field, or on the mapping that lacks it', () => {
    const plan = planMarkers(
      mergedValues([chart]),
      [
        { renderedPath: [...container, 'securityContext', 'privileged'], value: true },
        { renderedPath: ['spec', 'template', 'spec', 'securityContext', 'seccompProfile'] },
      ],
      true,
    );
    const marked = {
      spec: {
        template: {
          spec: {
            securityContext: { 'kubemend-marker-3-x': 'x' },
            containers: [{ securityContext: { privileged: 'kubemend-marker-0-x' } }],
          },
        },
      },
    };
    expect(
      landing(marked, { renderedPath: [...container, 'securityContext', 'privileged'], value: true }, plan),
    ).toEqual({
      candidate: { valuesPath: ['securityContext', 'privileged'], kind: 'leaf' },
      renderedAt: [...container, 'securityContext', 'privileged'],
    });
    expect(
      landing(marked, { renderedPath: ['spec', 'template', 'spec', 'securityContext', 'seccompProfile'] }, plan),
    ).toEqual({
      candidate: { valuesPath: ['podSecurityContext'], kind: 'mapping' },
      renderedAt: ['spec', 'template', 'spec', 'securityContext'],
    });
    // A marker inside a longer value (`image: repo:<marker>`) is not the field's whole value.
    const partly = {
      spec: { template: { spec: { containers: [{ securityContext: { privileged: 'a-kubemend-marker-0-x' } }] } } },
    };
    expect(
      landing(partly, { renderedPath: [...container, 'securityContext', 'privileged'], value: true }, plan),
    ).toBeUndefined();
  });

  it("take a subchart's own values under its name, below the chart's", () => {
    const db = valuesFile('charts/db/values.yaml', 'image: db:1\nsecurityContext:\n  privileged: true\n', ['db']);
    const parent = valuesFile('values.yaml', 'db:\n  image: db:2\n');
    expect(mergedValues([db, parent])).toEqual({ db: { image: 'db:2', securityContext: { privileged: true } } });
    expect(definedIn([db, parent], ['db', 'securityContext', 'privileged'])).toMatchObject({ file: db, line: 3 });
    expect(definedIn([db, parent], ['db', 'image'])).toMatchObject({ file: parent, line: 2 });
    const origin: ValuesOrigin = {
      candidate: { valuesPath: ['db', 'securityContext', 'privileged'], kind: 'leaf' },
      renderedAt: ['spec', 'privileged'],
      file: db,
      line: 3,
      field: ['db', 'securityContext', 'privileged'],
    };
    expect(valuesPatches([{ op: 'set', path: ['spec', 'privileged'], value: false }], origin)).toEqual({
      reason: "its value is the subchart's default: set `db.securityContext.privileged` in the chart's values",
    });
  });

  it('find the file that sets a key last, with its line; a --set of it or above it wins over files', () => {
    expect(definedIn([chart, prod], ['securityContext', 'privileged'])).toMatchObject({ file: prod, line: 2 });
    expect(definedIn([chart, prod], ['podSecurityContext'])).toMatchObject({ file: chart, line: 4 });
    expect(definedIn([chart], ['nope'])).toBeUndefined();
    expect(setOnCommandLine(['securityContext.privileged=false'], ['securityContext', 'privileged'])).toBe(true);
    expect(setOnCommandLine(['a=1,securityContext=null'], ['securityContext', 'privileged'])).toBe(true);
    expect(setOnCommandLine(['securityContextX=1'], ['securityContext', 'privileged'])).toBe(false);
    expect(valuesKey(['securityContext', 'capabilities', 'add', 0])).toBe('securityContext.capabilities.add[0]');
    // As --set writes it: a dot inside a key is escaped.
    expect(valuesKey(['podAnnotations', 'container.apparmor.security.beta.kubernetes.io/app'])).toBe(
      'podAnnotations.container\\.apparmor\\.security\\.beta\\.kubernetes\\.io/app',
    );
    expect(setOnCommandLine(['podAnnotations.a\\.b=x'], ['podAnnotations', 'a.b'])).toBe(true);
  });
});

describe("a finding's fix moved to the values", () => {
  const leaf: ValuesOrigin = {
    candidate: { valuesPath: ['securityContext', 'privileged'], kind: 'leaf' },
    renderedAt: [...container, 'securityContext', 'privileged'],
    file: chart,
    line: 3,
    field: ['securityContext', 'privileged'],
  };
  const mapping: ValuesOrigin = {
    candidate: { valuesPath: ['securityContext'], kind: 'mapping' },
    renderedAt: [...container, 'securityContext'],
    file: chart,
    line: 2,
    field: ['securityContext', 'readOnlyRootFilesystem'],
  };

  it('sets the leaf the value comes from', () => {
    expect(
      valuesPatches([{ op: 'set', path: [...container, 'securityContext', 'privileged'], value: false }], leaf),
    ).toEqual({
      patches: [{ op: 'set', path: ['securityContext', 'privileged'], value: false }],
    });
  });

  it('adds a missing field to the values mapping that renders its parent', () => {
    const patch = {
      op: 'set' as const,
      path: [...container, 'securityContext', 'readOnlyRootFilesystem'],
      value: true,
    };
    expect(valuesPatches([patch], mapping)).toEqual({
      patches: [{ op: 'set', path: ['securityContext', 'readOnlyRootFilesystem'], value: true }],
    });
  });

  it('says why when the fix is not in the values', () => {
    expect(valuesPatches([{ op: 'set', path: ['spec', 'hostPID'], value: false }], undefined)).toEqual({
      reason: 'its value is written in the template, not taken from the values',
    });
    expect(valuesPatches([{ op: 'set', path: [...container, 'image'], value: 'x' }], leaf)).toMatchObject({
      reason: expect.stringMatching(/does not set/),
    });
    expect(valuesPatches([{ op: 'appendDocument', value: {} }], leaf)).toMatchObject({
      reason: expect.stringMatching(/adds a resource/),
    });
  });
});

describe("a finding's fix that reaches another resource", () => {
  it('is not moved to the values', () => {
    const origin: ValuesOrigin = {
      candidate: { valuesPath: ['serviceAccount', 'automount'], kind: 'leaf' },
      renderedAt: ['automountServiceAccountToken'],
      file: chart,
      line: 1,
      field: ['serviceAccount', 'automount'],
    };
    const patch = { op: 'set' as const, path: ['automountServiceAccountToken'], value: false };
    const finding = { documentIndex: 2, patches: [{ target: { file: 'Chart.yaml', documentIndex: 0 }, patch }] };
    expect(findingValuesPatches(finding, origin)).toEqual({
      reason: 'its fix changes another resource, which its values key does not render',
    });
    expect(findingValuesPatches({ ...finding, documentIndex: 0 }, origin)).toEqual({
      patches: [{ op: 'set', path: ['serviceAccount', 'automount'], value: false }],
    });
  });
});
