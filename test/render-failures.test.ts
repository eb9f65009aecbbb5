import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

/*
 * How a failing render is reported, whatever the engine writes. These engines are stand-ins that answer the version
 * probe as a new enough kustomize or helm would and then fail: the real engines' own messages are tested in
 * test/e2e/kustomize.test.ts and test/e2e/helm.test.ts.
 */

const work = mkdtempSync(path.join(tmpdir(), 'kubemend-render-failures-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A shell script answering `version` with `version` and failing any other command with `failure`. */
function engine(name: string, version: string, failure: string): string {
  const file = path.join(work, name);
  writeFileSync(file, `#!/bin/sh\ncase "$1" in version) echo '${version}'; exit 0;; esac\n${failure}\n`);
  chmodSync(file, 0o755);
  return file;
}

function project(): string {
  const dir = mkdtempSync(path.join(work, 'project-'));
  mkdirSync(path.join(dir, 'app', 'templates'), { recursive: true });
  writeFileSync(path.join(dir, 'app', 'kustomization.yaml'), 'resources: []\n');
  writeFileSync(path.join(dir, 'app', 'Chart.yaml'), 'apiVersion: v2\nname: app\nversion: 0.1.0\n');
  return dir;
}

describe.each([
  { tool: 'kustomize', version: 'v5.8.2', flag: '--kustomize', named: /kustomize\S* build app failed: / },
  { tool: 'helm', version: 'v3.22.0+g1234567', flag: '--helm', named: /helm template app failed: / },
])('a $tool that fails', ({ tool, version, flag, named }) => {
  async function failWith(failure: string) {
    const command = engine(`${tool}-${Math.random().toString(36).slice(2)}`, version, failure);
    const result = await runCli([flag, 'app', `${flag}-command`, command], { cwd: project() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(named);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    return result.stderr.trim().replace(named, '');
  }

  it('is reported by the first line it writes that says something, without its "Error: "', async () => {
    expect(await failWith(`printf '\\n  \\nError: accumulating resources: boom\\nmore detail\\n' >&2; exit 1`)).toMatch(
      /accumulating resources: boom$/,
    );
  });

  it('says how it ended when it writes nothing', async () => {
    expect(await failWith('exit 3')).toMatch(/exit code 3, with no message$/);
    expect(await failWith('kill -TERM $$')).toMatch(/stopped by SIGTERM, with no message$/);
  });
});
