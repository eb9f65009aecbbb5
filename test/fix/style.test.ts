import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { RULES, fixTexts, type FixedFile } from '../../src/index.js';

/*
 * How fixes are written: the smallest edits of the original text, in the style of the file around them. Each case
 * gives the whole expected text, so any byte that changes outside the edit fails the test.
 */

function fix(text: string, ...ruleIds: string[]): FixedFile & { unfixed: string[] } {
  const rules = RULES.filter((rule) => ruleIds.includes(rule.meta.id));
  expect(rules.map((rule) => rule.meta.id).sort()).toEqual([...ruleIds].sort());
  const report = fixTexts([{ file: 'm.yaml', text }], [], { rules });
  const file = report.files[0]!;
  // Every case must settle in one run: fixing the result again changes nothing.
  expect(fixTexts([{ file: 'm.yaml', text: file.after }], [], { rules }).files[0]!.after).toBe(file.after);
  return { ...file, unfixed: report.unfixed.map(({ finding, reason }) => `${finding.code}: ${reason}`) };
}

/** A Pod whose containers are given as YAML lines below `containers:`. */
function pod(containers: string, extra = ''): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n${extra}spec:\n  containers:\n${containers}`;
}

describe('scalars', () => {
  it('replaces a YAML 1.1 boolean by a real boolean, unquoted, keeping the comment after it', () => {
    const { after } = fix(
      pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged: yes   # was needed once\n'),
      'privileged',
    );
    expect(after).toBe(
      pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged: false   # was needed once\n'),
    );
  });

  it('replaces On/off spellings and quoted booleans by plain true/false', () => {
    const { after } = fix(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      readOnlyRootFilesystem: Off\n      allowPrivilegeEscalation: "true"\n',
      ),
      'rootfs',
      'privesc',
    );
    expect(after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      readOnlyRootFilesystem: true\n      allowPrivilegeEscalation: false\n',
      ),
    );
  });

  it('keeps the quotes of a string it replaces', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n',
      "  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: 'unconfined'\n",
    );
    const { after } = fix(text, 'apparmor');
    expect(after).toBe(
      pod(
        '  - name: a\n    image: x:1\n',
        "  annotations:\n    container.apparmor.security.beta.kubernetes.io/a: 'runtime/default'\n",
      ),
    );
  });

  it('replaces a value written on the line after its key in place', () => {
    const { after } = fix(
      pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged:\n        true\n'),
      'privileged',
    );
    expect(after).toBe(pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged:\n        false\n'));
  });
});

describe('missing parents', () => {
  const expected = (securityContext: string) =>
    pod(`  - name: a\n    image: x:1\n    securityContext:${securityContext}`);

  it('creates securityContext when the container has none, after its last key', () => {
    expect(fix(pod('  - name: a\n    image: x:1\n'), 'privileged').after).toBe(expected('\n      privileged: false\n'));
  });

  it('fills securityContext: null, ~ and an empty value, keeping a comment on the key', () => {
    expect(fix(pod('  - name: a\n    image: x:1\n    securityContext: null\n'), 'privileged').after).toBe(
      expected('\n      privileged: false\n'),
    );
    expect(fix(pod('  - name: a\n    image: x:1\n    securityContext: ~ # later\n'), 'privileged').after).toBe(
      expected(' # later\n      privileged: false\n'),
    );
    expect(fix(pod('  - name: a\n    image: x:1\n    securityContext:\n'), 'privileged').after).toBe(
      expected('\n      privileged: false\n'),
    );
  });

  it('adds to an empty securityContext: {} in flow style', () => {
    expect(fix(pod('  - name: a\n    image: x:1\n    securityContext: {}\n'), 'privileged').after).toBe(
      expected(' {privileged: false}\n'),
    );
  });

  it('creates every missing level: securityContext, capabilities and the drop list', () => {
    expect(fix(pod('  - name: a\n    image: x:1\n'), 'capabilities').after).toBe(
      expected('\n      capabilities:\n        drop:\n        - ALL\n'),
    );
    expect(
      fix(pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged: false\n'), 'capabilities').after,
    ).toBe(expected('\n      privileged: false\n      capabilities:\n        drop:\n        - ALL\n'));
  });

  it('creates the pod template metadata.annotations and pod securityContext.seccompProfile', () => {
    const text =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x:1\n';
    expect(fix(text, 'apparmor', 'seccomp').after).toBe(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: x:1\n' +
        '      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n' +
        '    metadata:\n      annotations:\n        container.apparmor.security.beta.kubernetes.io/a: runtime/default\n',
    );
  });

  it('reports, and leaves alone, a field that is a scalar where a mapping is needed', () => {
    const text = pod('  - name: a\n    image: x:1\n    securityContext: none\n');
    const result = fix(text, 'privileged');
    expect(result.after).toBe(text);
    expect(result.unfixed).toEqual(['PrivilegedNil: spec.containers.0.securityContext is a scalar, not a mapping']);
  });
});

describe('comments', () => {
  it('keeps comments around an inserted key: the new key goes after the last key, before trailing comments', () => {
    const text = pod(
      '  # the app\n  - name: a # main\n    image: x:1\n    # securityContext: set by the platform\n  # end of containers\n',
    );
    expect(fix(text, 'privileged').after).toBe(
      pod(
        '  # the app\n  - name: a # main\n    image: x:1\n    securityContext:\n      privileged: ' +
          'false\n    # securityContext: set by the platform\n  # end of containers\n',
      ),
    );
  });

  it('deletes a key with the comment lines above it and on its line, but not the comment of the next key', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      # the old image needs root\n     ' +
        ' runAsUser: 0 # root\n      # keep this\n      privileged: false\n',
    );
    expect(fix(text, 'nonroot').after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      # keep this\n      privileged: false\n      runAsNonRoot: true\n',
      ),
    );
  });

  it('keeps a comment separated from the deleted key by a blank line', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      # section header\n\n      runAsUser: 0\n      privileged: false\n',
    );
    expect(fix(text, 'nonroot').after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      # section header\n\n      privileged: false\n      runAsNonRoot: true\n',
      ),
    );
  });

  it('keeps the comment on a key whose block value becomes a flow value', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      capabilities:\n        add: # for the VPN\n        - NET_ADMIN\n        drop: [ALL]\n',
    );
    expect(fix(text, 'capabilities').after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      capabilities:\n        add: [] # for the VPN\n        drop: [ALL]\n',
      ),
    );
  });
});

describe('flow style', () => {
  it('adds keys to flow mappings and keeps flow items flow', () => {
    const text = pod("  - {name: a, image: 'x:1', securityContext: {privileged: true}}\n  - {name: b, image: 'x:1'}\n");
    expect(fix(text, 'privileged', 'rootfs').after).toBe(
      pod(
        "  - {name: a, image: 'x:1', securityContext: {privileged: false, readOnlyRootFilesystem: true}}\n" +
          "  - {name: b, image: 'x:1', securityContext: {privileged: false, readOnlyRootFilesystem: true}}\n",
      ),
    );
  });

  it('replaces and removes in flow sequences', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      capabilities: {add: [NET_ADMIN, SYS_TIME], drop: [NET_RAW]}\n',
    );
    expect(fix(text, 'capabilities').after).toBe(
      pod('  - name: a\n    image: x:1\n    securityContext:\n      capabilities: {add: [], drop: [ALL]}\n'),
    );
  });

  it('writes JSON into a manifest written as JSON', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p"},\n  "spec": ' +
      '{"containers": [{"name": "a", "image": "x:1", "securityContext": {}}]}\n}\n';
    expect(fix(text, 'privileged', 'apparmor').after).toBe(
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p", "annotations": ' +
        '{"container.apparmor.security.beta.kubernetes.io/a": "runtime/default"}},\n' +
        '  "spec": {"containers": [{"name": "a", "image": "x:1", "securityContext": {"privileged": false}}]}\n}\n',
    );
  });
});

describe('multi-line flow collections and JSON files', () => {
  it('puts a new entry on its own line, below the last, and appends a document as JSON', () => {
    const text =
      '{\n  "apiVersion": "v1",\n  "kind": "Namespace",\n  "metadata": {\n    "name": "shop"\n  }\n}\n---\n' +
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "p", "namespace": ' +
      '"shop"},\n  "spec": {\n    "containers": [\n      {\n        "name": "a",\n        ' +
      '"image": "x:1"\n      }\n    ]\n  }\n}\n';
    const { after } = fix(text, 'privileged', 'netpols');
    expect(after).toBe(
      text.replace(
        '        "image": "x:1"\n',
        '        "image": "x:1",\n        "securityContext": {"privileged": false}\n',
      ) +
        '---\n{\n  "apiVersion": "networking.k8s.io/v1",\n  "kind": "NetworkPolicy",\n  ' +
        '"metadata": {\n    "name": "default-deny",\n    "namespace": "shop"\n  },\n' +
        '  "spec": {\n    "podSelector": {},\n    "policyTypes": [\n      "Ingress",\n      "Egress"\n    ]\n  }\n}\n',
    );
  });
});

describe('indentation and sequences', () => {
  it('follows 4-space indentation with sequences in the key column', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\nspec:\n    containers:\n    - name: a\n      image: x:1\n      ports:\n      - containerPort: 80\n';
    expect(fix(text, 'capabilities').after).toBe(
      `${text}      securityContext:\n          capabilities:\n              drop:\n              - ALL\n`,
    );
  });

  it('follows 2-space indentation with indented sequences', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x:1\n      ports:\n        - containerPort: 80\n';
    expect(fix(text, 'capabilities').after).toBe(
      `${text}      securityContext:\n        capabilities:\n          drop:\n            - ALL\n`,
    );
  });

  it('puts keys of a sequence item under its first key, however far the dash is', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n    name: p\nspec:\n    containers:\n        -   name: a\n            image: x:1\n';
    expect(fix(text, 'privileged').after).toBe(
      `${text}            securityContext:\n                privileged: false\n`,
    );
  });

  it('adds to a block list in its own style, after its last item', () => {
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  ' +
      'namespace: ns\nspec:\n  podSelector: {}\n  policyTypes:\n    - Ingress\n' +
      '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n';
    expect(fix(text, 'netpols').after).toBe(text.replace('    - Ingress\n', '    - Ingress\n    - Egress\n'));
  });
});

describe('line ends and byte order mark', () => {
  it('writes CRLF into a CRLF file and keeps its BOM', () => {
    const lf = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      capabilities:\n        drop:\n        - NET_RAW\n',
    );
    const text = `\uFEFF${lf.replace(/\n/g, '\r\n')}`;
    const { after } = fix(text, 'capabilities', 'privileged');
    expect(after).toBe(
      `\uFEFF${pod('  - name: a\n    image: x:1\n    securityContext:\n      capabilities:\n        drop:\n        - ALL\n      privileged: false\n').replace(/\n/g, '\r\n')}`,
    );
  });

  it('adds a line break before new lines at the end of a file without one', () => {
    const text = pod('  - name: a\n    image: x:1');
    expect(fix(text, 'privileged').after).toBe(
      pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged: false\n'),
    );
  });
});

describe('anchors and aliases', () => {
  const twoContainers = (labels: string) =>
    pod(
      '  - name: a\n    image: x:1\n    securityContext: &sc\n      privileged: true\n  - name: b\n    image: x:1\n    securityContext: *sc\n',
      labels,
    );

  it('patches the anchor once when every user needs the same fix', () => {
    const { after } = fix(twoContainers(''), 'privileged');
    expect(after).toBe(twoContainers('').replace('privileged: true', 'privileged: false'));
  });

  it('gives a user that needs something else its own copy, so the alias does not change it', () => {
    const labels = '  labels:\n    container.kubeaudit.io/b.allow-privileged: "vpn"\n';
    const { after } = fix(twoContainers(labels), 'privileged');
    expect(after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext: &sc\n      privileged: false\n  - name: ' +
          'b\n    image: x:1\n    securityContext:\n      privileged: true\n',
        labels,
      ),
    );
  });

  it('copies the anchored value into the aliases that stay when the anchored key is deleted', () => {
    const labels = '  labels:\n    container.kubeaudit.io/b.allow-run-as-root: "legacy"\n';
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      runAsUser: &uid 0\n  - name: b\n    image: x:1\n    securityContext:\n      runAsUser: *uid\n',
      labels,
    );
    expect(fix(text, 'nonroot').after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      runAsNonRoot: true\n  - name: b\n    image: x:1\n    securityContext:\n      runAsUser: 0\n',
        labels,
      ),
    );
  });

  it('deletes the aliases before their anchor when every user loses the key', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext:\n      runAsUser: &uid 0\n  - name: b\n    image: x:1\n    securityContext:\n      runAsUser: *uid\n',
    );
    const { after } = fix(text, 'nonroot');
    expect(after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext:\n      runAsNonRoot: true\n  - name: ' +
          'b\n    image: x:1\n    securityContext:\n      runAsNonRoot: true\n',
      ),
    );
    expect(parseAllDocuments(after).every((doc) => doc.errors.length === 0 && doc.warnings.length === 0)).toBe(true);
  });
});

describe('documents with nothing to fix', () => {
  it('are byte-identical: ConfigMaps, CRDs, comment-only documents, document end markers', () => {
    const others = [
      '# only a comment\n',
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  enabled: yes\n  mode: '0400'\n...\n",
      'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ' +
        'things.example.com\nspec:\n  group: example.com\n  names: {kind: Thing, plural: things}\n ' +
        ' scope: Namespaced\n  versions: []\n',
    ];
    const target = pod('  - name: a\n    image: x:1\n    securityContext:\n      privileged: true\n');
    const text = [others[0], others[1], target, others[2]].join('---\n') + '...\n# the end\n';
    const { after } = fix(text, 'privileged');
    expect(after).toBe(
      [others[0], others[1], target.replace('privileged: true', 'privileged: false'), others[2]].join('---\n') +
        '...\n# the end\n',
    );
  });

  it('leave a file without findings exactly as it is', () => {
    const text = '\uFEFF# config\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: c\r\ndata: {a: "1"}\r\n';
    expect(fix(text, ...RULES.map((rule) => rule.meta.id)).after).toBe(text);
  });
});

describe('what cannot be fixed safely', () => {
  it('leaves a key that may come from a merge key alone and says why', () => {
    const text = pod(
      '  - name: a\n    image: x:1\n    securityContext: &base\n      privileged: false\n  - name: b\n    image: x:1\n    securityContext:\n      <<: *base\n',
    );
    const result = fix(text, 'rootfs');
    expect(result.unfixed).toEqual([
      'ReadOnlyRootFilesystemNil: spec.containers.1.securityContext.readOnlyRootFilesystem may come from a YAML merge key (<<); fix it by hand',
    ]);
    expect(result.problems).toEqual([expect.stringContaining('merge key')]);
    // Container a is fixed at the anchor; b, which merges it, keeps exactly what it had, through its own copy.
    expect(result.after).toBe(
      pod(
        '  - name: a\n    image: x:1\n    securityContext: &base\n      privileged: false\n      ' +
          'readOnlyRootFilesystem: true\n  - name: b\n    image: x:1\n    securityContext:\n      ' +
          '<<:\n        privileged: false\n',
      ),
    );
  });
});

describe('many fixes of one document', () => {
  /*
   * Most of a document's fixes are computed together on one parse (keys one new securityContext gets, a key added
   * where a removed one ends, keys added to a collection another fix empties, insertions at one place into nested
   * mappings): the text must be the one the fixes give made one after the other, as this case had before.
   */
  it('gives the text of the fixes made one at a time', () => {
    const containers =
      '  - name: web\n    image: nginx:1.27\n    securityContext:  # reviewed\n      capabilities:\n' +
      '        add: [SYS_PTRACE]\n  - name: root\n    image: busybox:1.36\n    securityContext:\n' +
      '      runAsUser: 0\n  - name: bare\n    image: busybox:1.36\n  - name: last\n    image: busybox:1.36\n' +
      '    securityContext:\n      readOnlyRootFilesystem: true\n      seccompProfile:\n        type: Unconfined\n';
    const text = pod(containers).replace('spec:\n', 'spec:\n  securityContext:\n    runAsUser: 0\n');
    const { after, unfixed } = fix(
      text,
      'apparmor',
      'asat',
      'capabilities',
      'nonroot',
      'privesc',
      'privileged',
      'rootfs',
      'seccomp',
    );
    expect(unfixed).toEqual([]);
    const secure =
      '      allowPrivilegeEscalation: false\n      capabilities:\n        drop:\n        - ALL\n' +
      '      privileged: false\n      readOnlyRootFilesystem: true\n      runAsNonRoot: true\n';
    const annotations = ['bare', 'last', 'root', 'web']
      .map((name) => `    container.apparmor.security.beta.kubernetes.io/${name}: runtime/default\n`)
      .join('');
    expect(after).toBe(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n' +
        annotations +
        'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n' +
        '  - name: web\n    image: nginx:1.27\n    securityContext:  # reviewed\n      capabilities:\n' +
        '        add: []\n        drop:\n        - ALL\n      allowPrivilegeEscalation: false\n' +
        '      privileged: false\n      readOnlyRootFilesystem: true\n      runAsNonRoot: true\n' +
        '  - name: root\n    image: busybox:1.36\n    securityContext:\n' +
        secure +
        '  - name: bare\n    image: busybox:1.36\n    securityContext:\n' +
        secure +
        '  - name: last\n    image: busybox:1.36\n    securityContext:\n      readOnlyRootFilesystem: true\n' +
        '      allowPrivilegeEscalation: false\n      capabilities:\n        drop:\n        - ALL\n' +
        '      privileged: false\n      runAsNonRoot: true\n  automountServiceAccountToken: false\n',
    );
  });
});
