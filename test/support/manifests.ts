import { RULES } from '../../src/index.js';

/** A Pod manifest with the given spec body (already indented by two spaces under `spec:`). */
export function pod(spec: string, name = 'p'): string {
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

export const PRIVILEGED_POD = pod(
  '  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: true\n',
);
export const CLEAN_POD = pod(
  '  containers:\n    - name: app\n      image: nginx:1.27\n      securityContext:\n        privileged: false\n',
);

/** Lint options with only the two rules the foundation tests are written against, so later rules stay out of them. */
export const BASIC_RULES = {
  rules: RULES.filter((rule) => rule.meta.id === 'privileged' || rule.meta.id === 'hostns'),
};

/** Namespace `shop`, which `netpols` asks a default-deny NetworkPolicy of. */
export const SHOP_NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

/** The default-deny NetworkPolicy of namespace `shop`: `netpols` is satisfied for that Namespace. */
export const SHOP_DEFAULT_DENY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`;

/** A pod in namespace `shop` that runs as its default ServiceAccount and leaves the token setting to it. */
export const SHOP_POD = `apiVersion: v1
kind: Pod
metadata:
  name: api
  namespace: shop
spec:
  containers:
    - name: api
      image: shop/api:1.0
`;

/** The default ServiceAccount of namespace `shop`, which mounts no token: `asat` is satisfied for SHOP_POD. */
export const SHOP_DEFAULT_ACCOUNT = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: false
`;
