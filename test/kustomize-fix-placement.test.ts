import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { placePatch } from '../src/kustomize/fix-placement.js';
import { SourceFiles, type RenderedResource } from '../src/kustomize/source-map.js';
import type { Patch } from '../src/engine/types.js';
import { fixtureDir } from './support/cli.js';

/*
 * Where a fix of a rendered resource goes, decided from the rendered resource, its origin and the kustomizations'
 * patch files alone: no kustomize needed. The rendered documents here are what kustomize renders from the sources.
 */

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: sidecar
          image: proxy:1
        - name: api
          image: api:1
          securityContext:
            runAsNonRoot: true
`;

/** The rendered Deployment: containers in the order strategic merge leaves them, a prefix on the name. */
const RENDERED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: prod-api
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: api
          image: api:1
          securityContext:
            privileged: true
            runAsNonRoot: true
        - name: sidecar
          image: proxy:1
`;

const CONTAINER_PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true
`;

function setup(files: Record<string, string>, rendered = RENDERED) {
  const dir = fixtureDir({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': BASE,
    ...files,
  });
  const resource: RenderedResource = {
    kind: 'Deployment',
    root: parseDocument(rendered).contents,
    origin: path.join(dir, 'base/deployment.yaml'),
    transformedIn: [path.join(dir, 'overlay/kustomization.yaml')],
  };
  const place = (patch: Patch, changed: Partial<RenderedResource> = {}) => {
    const placement = placePatch({ ...resource, ...changed }, patch, new SourceFiles(), (file) =>
      path.relative(dir, file),
    );
    return 'placed' in placement ? { ...placement.placed, file: path.relative(dir, placement.placed.file) } : placement;
  };
  return { dir, place };
}

const PRIVILEGED = ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged'];

describe('placing a rendered fix in the sources', () => {
  it('a value a strategic-merge patch sets is changed in that patch, its container found by name', () => {
    const { place } = setup({
      'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: privileged.yaml\n',
      'overlay/privileged.yaml': CONTAINER_PATCH,
    });
    expect(place({ op: 'set', path: PRIVILEGED, value: false })).toEqual({
      file: 'overlay/privileged.yaml',
      documentIndex: 0,
      patch: { op: 'set', path: PRIVILEGED, value: false },
    });
  });

  it('a value a JSON 6902 patch sets is changed in the op that sets it', () => {
    const { place } = setup({
      'overlay/kustomization.yaml':
        'resources: [../base]\npatches:\n  - path: ops.yaml\n    target: { kind: Deployment, name: api }\n',
      'overlay/ops.yaml':
        '- op: add\n  path: /spec/template/spec/hostNetwork\n  value: false\n' +
        '- op: add\n  path: /spec/template/spec/hostPID\n  value: true\n',
    });
    expect(place({ op: 'set', path: ['spec', 'template', 'spec', 'hostPID'], value: false })).toEqual({
      file: 'overlay/ops.yaml',
      documentIndex: 0,
      patch: { op: 'set', path: [1, 'value'], value: false },
    });
  });

  it("a value of the base is changed in the base, at the container's index there", () => {
    const { place } = setup({ 'overlay/kustomization.yaml': 'resources: [../base]\n' });
    const runAsNonRoot = ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'runAsNonRoot'];
    expect(place({ op: 'delete', path: runAsNonRoot })).toEqual({
      file: 'base/deployment.yaml',
      documentIndex: 0,
      patch: { op: 'delete', path: ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'runAsNonRoot'] },
    });
  });

  it("a missing field goes to the resource's own file, never to a patch that sets its parent", () => {
    const { place } = setup({
      'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: privileged.yaml\n',
      'overlay/privileged.yaml': CONTAINER_PATCH,
    });
    const readOnly = ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'readOnlyRootFilesystem'];
    expect(place({ op: 'set', path: readOnly, value: true })).toEqual({
      file: 'base/deployment.yaml',
      documentIndex: 0,
      patch: {
        op: 'set',
        path: ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'],
        value: true,
      },
    });
  });

  it('a value no source file sets (an inline patch, a transformer) is not placed', () => {
    const { place } = setup({
      'overlay/kustomization.yaml':
        'resources: [../base]\npatches:\n  - patch: |-\n      - op: add\n        path: /spec/template/spec/hostPID\n' +
        '        value: true\n    target: { kind: Deployment }\n',
    });
    expect(place({ op: 'set', path: ['spec', 'template', 'spec', 'hostPID'], value: false })).toEqual({
      reason: expect.stringMatching(/^the value of spec\.template\.spec\.hostPID is not written in any file/),
    });
  });

  it('a value a transformer changed after its file set it is not placed', () => {
    const { place } = setup(
      { 'overlay/kustomization.yaml': 'resources: [../base]\nimages: [{ name: api, newTag: "2" }]\n' },
      RENDERED.replace('image: api:1', 'image: api:2'),
    );
    expect(
      place({ op: 'set', path: ['spec', 'template', 'spec', 'containers', 0, 'image'], value: 'api:1@sha256:0' }),
    ).toEqual({
      reason: expect.stringMatching(/transformer such as namePrefix, namespace, images or replacements/),
    });
  });

  it('a missing field whose parent a later patch replaces is not placed, naming the patch', () => {
    const { place } = setup({
      'overlay/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: replace.yaml\n',
      'overlay/replace.yaml': CONTAINER_PATCH.replace(
        'securityContext:\n',
        'securityContext:\n            $patch: replace\n',
      ),
    });
    const readOnly = ['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem'];
    expect(place({ op: 'set', path: readOnly, value: true })).toEqual({
      reason: expect.stringMatching(/^overlay\/replace\.yaml replaces or removes a part of .*readOnlyRootFilesystem/),
    });
  });

  it('a container only a patch adds gets no field in the base', () => {
    const { place } = setup(
      { 'overlay/kustomization.yaml': 'resources: [../base]\n' },
      RENDERED.replace('- name: sidecar', '- name: debug\n          image: busybox\n        - name: sidecar'),
    );
    const debug = ['spec', 'template', 'spec', 'containers', 1, 'securityContext', 'privileged'];
    expect(place({ op: 'set', path: debug, value: false })).toEqual({
      reason: expect.stringMatching(/is not in base\/deployment\.yaml: a patch adds it/),
    });
  });

  it('an unnamed list item in a list the render changed is not placed', () => {
    const { place } = setup(
      {
        'overlay/kustomization.yaml': 'resources: [../base]\n',
        'base/deployment.yaml': BASE.replace('    spec:\n', '    spec:\n      tolerations: [{ key: b }]\n'),
      },
      RENDERED.replace('hostPID: true', 'hostPID: true\n      tolerations: [{ key: a }, { key: b }]'),
    );
    expect(
      place({ op: 'set', path: ['spec', 'template', 'spec', 'tolerations', 0, 'effect'], value: 'NoSchedule' }),
    ).toEqual({
      reason: expect.stringMatching(/the list spec\.template\.spec\.tolerations is changed by the render/),
    });
  });

  it('a new resource, or a resource with no local file, is not placed', () => {
    const { place } = setup({ 'overlay/kustomization.yaml': 'resources: [../base]\n' });
    expect(place({ op: 'appendDocument', value: { kind: 'NetworkPolicy' } })).toEqual({
      reason: expect.stringMatching(/adds a new resource, which a kustomization would have to list/),
    });
    expect(place({ op: 'set', path: PRIVILEGED, value: false }, { origin: undefined })).toEqual({
      reason: expect.stringMatching(/generated or comes from a remote base/),
    });
  });
});
