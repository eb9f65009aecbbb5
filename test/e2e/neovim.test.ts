import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixtureDir, runCli, spawnProcess } from '../support/cli.js';

const INIT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'neovim', 'init.lua');

// Comments and layout that the fix must keep, as --fix keeps them.
const MANIFEST = `# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # public
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true   # needed? no
`;

interface Event {
  event: string;
  data: unknown;
}

describe('kubemend lsp in Neovim (headless, built-in LSP client)', () => {
  beforeAll(async () => {
    const version = await spawnProcess('nvim', ['--version']).catch(() => undefined);
    if (version?.status !== 0)
      throw new Error('Neovim is not installed: `apt-get install neovim` (Debian 12 has 0.7.2; .ci/run installs it)');
  });

  it('shows the diagnostics, applies the quick fix and writes what --fix writes', async () => {
    const dir = fixtureDir({});
    const manifest = path.join(dir, 'web.yaml');
    writeFileSync(manifest, MANIFEST);
    const reportFile = path.join(dir, 'report.jsonl');
    const run = await spawnProcess('nvim', ['--headless', '--clean', '-n', '-u', INIT], {
      cwd: dir,
      env: {
        KUBEMEND_MANIFEST: manifest,
        KUBEMEND_REPORT: reportFile,
        KUBEMEND_ROOT: dir,
        KUBEMEND_NODE: process.execPath,
        KUBEMEND_BIN: BIN,
        KUBEMEND_CODE: 'PrivilegedTrue',
        KUBEMEND_ACTION: 'Fix: set securityContext.privileged to false',
      },
    });
    const events = readFileSync(reportFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event);
    const finish = events.find((event) => event.event === 'finish');
    expect(finish?.data, `nvim exited ${run.status}:\n${run.stdout}\n${run.stderr}`).toBe('ok');

    const [before, after] = events
      .filter((event) => event.event === 'diagnostics')
      .map((event) => event.data as { code: string; lnum: number }[]);
    const privilegedLine = MANIFEST.split('\n').findIndex((line) => line.includes('privileged: true'));
    expect(before).toContainEqual({ code: 'PrivilegedTrue', lnum: privilegedLine, col: 24 });
    expect(after!.map((d) => d.code)).not.toContain('PrivilegedTrue');
    expect(events.find((event) => event.event === 'offered')?.data).toContain('Suppress PrivilegedTrue on this line');

    // What `kubemend --fix --fix-only PrivilegedTrue` writes to a copy of the original.
    const copy = path.join(fixtureDir({}), 'web.yaml');
    writeFileSync(copy, MANIFEST);
    await runCli(['--fix', '--fix-only', 'PrivilegedTrue', copy]);
    expect(readFileSync(manifest, 'utf8')).toBe(readFileSync(copy, 'utf8'));
    expect(readFileSync(manifest, 'utf8')).toContain('privileged: false   # needed? no');
  });
});
