// lint-staged (https://github.com/lint-staged/lint-staged), run from .husky/pre-commit: save as
// lint-staged.config.mjs at the root of a repository that has kubemend in its devDependencies.
// kubemend gets the staged *.yaml / *.yml files; YAML that is not a Kubernetes manifest passes.

// Helm chart templates are not manifests until rendered: lint `helm template` output in CI instead.
const manifests = (files) => files.filter((file) => !/(^|[\\/])templates[\\/]/.test(file));

export default {
  '*.{yaml,yml}': (files) => {
    const paths = manifests(files).map((file) => JSON.stringify(file));
    // To fix instead, use `kubemend --fix`: lint-staged then adds the repairs to the commit, and the commit is
    // stopped only by findings that have no fix. Review what it changed before you push.
    return paths.length > 0 ? [`kubemend ${paths.join(' ')}`] : [];
  },
};
