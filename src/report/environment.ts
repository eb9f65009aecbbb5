import { realOrResolved, repositoryRoot } from '../load/repository.js';
import { readPackageInfo, readRuleDocs } from '../package-info.js';
import type { SarifEnvironment } from './context.js';

/** What SARIF needs from the machine (git's work tree, package.json, the embedded rule READMEs), for a run in `cwd`. */
export function readSarifEnvironment(cwd: string): SarifEnvironment {
  const product = readPackageInfo();
  return {
    cwd,
    repositoryRoot: repositoryRoot(cwd),
    realPath: realOrResolved,
    product,
    ruleDocs: readRuleDocs(product.root),
  };
}
