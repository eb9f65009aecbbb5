import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** A base, a component, and an overlay with a strategic-merge patch, a JSON 6902 patch, namePrefix and namespace. */
export const LAYOUT = {
  'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: shop/api:1.0 # pinned
          securityContext:
            runAsNonRoot: true
`,
  'components/probe/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
patches:
  - path: hostpid.yaml
`,
  'components/probe/hostpid.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      hostPID: true
`,
  'overlay/kustomization.yaml': `resources:
  - ../base
components:
  - ../components/probe
namePrefix: prod-
namespace: shop
patches:
  - path: privileged.yaml
  - path: escalation.json6902.yaml
    target:
      kind: Deployment
      name: api
`,
  'overlay/privileged.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true # the debugger needs it
`,
  'overlay/escalation.json6902.yaml': `- op: add
  path: /spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation
  value: true
`,
  'inline/kustomization.yaml': `resources:
  - ../base
patches:
  - target:
      kind: Deployment
      name: api
    patch: |-
      - op: add
        path: /spec/template/spec/hostNetwork
        value: true
`,
};

/** Every file below `dir` with its content and modification time: what must not change. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(file);
      else out[path.relative(dir, file)] = `${statSync(file).mtimeMs} ${readFileSync(file, 'utf8')}`;
    }
  };
  visit(dir);
  return out;
}
