import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { documentSources, templateFile } from '../../src/helm/sources.js';
import { locateInTemplate, readTemplate, templateDocument } from '../../src/helm/template-map.js';

/** The deployment template of `helm create`, trimmed: `with`/`toYaml`/`include` blocks and a `range` of items. */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
  labels:
    {{- include "shop.labels" . | nindent 4 }}
spec:
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      {{- with .Values.podSecurityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Chart.Name }}
          {{- with .Values.securityContext }}
          securityContext:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          args:
          - --port=8080
          command: |
            run: this is text, not a key
        {{- range .Values.sidecars }}
        - name: {{ .name }}
          image: {{ .image }}
        {{- end }}
`;

const [deployment] = readTemplate(DEPLOYMENT);

describe('a rendered field in its Helm template', () => {
  it('is at its own key line when the template writes the key (certain)', () => {
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'hostNetwork'])).toEqual({
      line: 10,
      column: 7,
      endLine: 10,
      endColumn: 18,
      certain: true,
    });
  });

  it('is a list item by its position, a compact list (`key:` then `- item` at its column) included', () => {
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 0, 'name'])).toMatchObject({
      line: 16,
      column: 11,
      certain: true,
    });
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 0, 'args', 0])).toMatchObject({
      line: 22,
      certain: true,
    });
    // The item a range writes, and the copies it makes past the written items (a best guess).
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toMatchObject({
      line: 27,
      certain: true,
    });
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 3, 'image'])).toMatchObject({
      line: 27,
      certain: false,
    });
  });

  it('is at the toYaml/include line that emits it when no key line writes it (a best guess)', () => {
    const container = ['spec', 'template', 'spec', 'containers', 0];
    expect(locateInTemplate(deployment!, [...container, 'securityContext', 'privileged'])).toEqual({
      line: 19,
      column: 13,
      endLine: 19,
      endColumn: 41,
      certain: false,
    });
    expect(locateInTemplate(deployment!, ['metadata', 'labels', 'app'])).toMatchObject({ line: 6, certain: false });
  });

  it('lets no action close a key, whatever its indentation', () => {
    const [doc] = readTemplate(`spec:
  containers:
    - name: api
{{- if .Values.debug }}
      args: [--debug]
{{- end }}
      image: api:1.0
`);
    expect(locateInTemplate(doc!, ['spec', 'containers', 0, 'image'])).toMatchObject({ line: 7, certain: true });
    expect(locateInTemplate(doc!, ['spec', 'containers', 0, 'args'])).toMatchObject({ line: 5, certain: true });
  });

  it('does not read the text of a block scalar as keys', () => {
    expect(
      locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 0, 'command', 'run']),
    ).toMatchObject({ line: 23, certain: false });
  });

  it('is at the deepest written ancestor when nothing below it is written or emitted', () => {
    expect(locateInTemplate(deployment!, ['spec', 'template', 'spec', 'containers', 0, 'resources'])).toMatchObject({
      line: 16,
      certain: false,
    });
    expect(locateInTemplate(deployment!, ['status'])).toBeUndefined();
  });

  it('picks the template document by position when the counts agree, else by kind', () => {
    const text = 'kind: ServiceAccount\nmetadata:\n  name: a\n---\nkind: Role\nmetadata:\n  name: b\n';
    const docs = readTemplate(text);
    expect(docs).toHaveLength(2);
    expect(locateInTemplate(templateDocument(docs, 1, 2, 'Role', text)!, ['metadata', 'name'])).toMatchObject({
      line: 7,
    });
    // A range over documents renders more of them than are written: the one of the same kind.
    expect(locateInTemplate(templateDocument(docs, 4, 6, 'Role', text)!, ['metadata', 'name'])).toMatchObject({
      line: 7,
    });
  });
});

describe("helm template's `# Source:` comments", () => {
  const rendered = `---
# Source: shop/templates/serviceaccount.yaml
kind: ServiceAccount
---
# Source: shop/templates/rbac.yaml
kind: Role
---
# Source: shop/templates/rbac.yaml
kind: RoleBinding
---
kind: ConfigMap
`;

  it("name each document's template, its position among that template's documents and their count", () => {
    const docs = parseAllDocuments(rendered);
    expect(documentSources(rendered, docs as never)).toEqual([
      { source: 'shop/templates/serviceaccount.yaml', ordinal: 0, count: 1 },
      { source: 'shop/templates/rbac.yaml', ordinal: 0, count: 2 },
      { source: 'shop/templates/rbac.yaml', ordinal: 1, count: 2 },
      { source: undefined, ordinal: 0, count: 1 },
    ]);
  });

  it('are paths in the chart folder given, whatever the chart calls itself', () => {
    expect(templateFile('charts/shop-api/', 'shop/templates/deployment.yaml')).toBe(
      'charts/shop-api/templates/deployment.yaml',
    );
    expect(templateFile('shop', 'shop/charts/db/templates/sts.yaml')).toBe('shop/charts/db/templates/sts.yaml');
  });
});
