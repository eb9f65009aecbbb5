// Builds the package when it is installed from a git checkout (npm `prepare`). pre-commit >= 4.6 and
// `npm install -g <git url>` run `prepare` without devDependencies (npm/cli#8440), so TypeScript is fetched first
// when it is missing; in a normal clone (`npm ci`) it is already there and nothing is installed.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('node_modules/typescript')) {
  execSync('npm install --global=false --include=dev --ignore-scripts --no-save --no-audit --no-fund', {
    stdio: 'inherit',
  });
}
execSync('npm run build', { stdio: 'inherit' });
