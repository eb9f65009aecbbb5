import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

const SCRIPT = path.join(ROOT, 'scripts', 'check-layers.mjs');

async function checkLayers(root: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [SCRIPT, root]);
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

const trees: string[] = [];

/** A repository of the given files (path → text) in a temporary folder. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kubemend-layers-'));
  trees.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

afterEach(() => {
  for (const root of trees.splice(0)) rmSync(root, { recursive: true, force: true });
});

const LAYERED = {
  'src/load/parse.ts': 'export const parse = 1;\n',
  'src/engine/run.ts': "import { parse } from '../load/parse.js';\nexport const run = parse;\n",
  'src/rule-api/index.ts': "export type { Run } from '../engine/types.js';\n",
  'src/engine/types.ts': 'export type Run = number;\n',
  'rules/privileged/rule.ts': "import type { Run } from '../../src/rule-api/index.js';\nexport const r: Run = 1;\n",
  'src/presets/registry.ts': "import { r } from '../../rules/privileged/rule.js';\nexport const RULES = [r];\n",
};

describe('the layering check of npm run lint', () => {
  it('passes on this repository', async () => {
    expect(await checkLayers(ROOT)).toEqual({ code: 0, stderr: '' });
  });

  it('passes on imports that point down the layers', async () => {
    expect(await checkLayers(tree(LAYERED))).toEqual({ code: 0, stderr: '' });
  });

  it('fails on an import from a lower layer to a higher one', async () => {
    const root = tree({ ...LAYERED, 'src/engine/defaults.ts': "import { RULES } from '../presets/registry.js';\n" });
    const { code, stderr } = await checkLayers(root);
    expect(code).toBe(1);
    expect(stderr).toContain('src/engine/defaults.ts imports src/presets/registry.ts: a lower layer must not import');
  });

  it('fails on an import cycle, even one of type imports inside a layer', async () => {
    const root = tree({
      ...LAYERED,
      'src/engine/types.ts': "import type { Helper } from './helper.js';\nexport type Run = Helper;\n",
      'src/engine/helper.ts':
        "import type { Run } from './types.js';\nexport type Helper = number; export type R = Run;\n",
    });
    const { code, stderr } = await checkLayers(root);
    expect(code).toBe(1);
    expect(stderr).toContain('import cycle: src/engine/helper.ts → src/engine/types.ts');
  });

  it('fails when a reporter or the command line imports src/fix past src/fix/index.ts', async () => {
    const root = tree({
      ...LAYERED,
      'src/fix/plan.ts': 'export const plan = 1;\n',
      'src/fix/index.ts': "export { plan } from './plan.js';\n",
      'src/report/sarif.ts': "import { plan } from '../fix/plan.js';\nimport { plan as p } from '../fix/index.js';\n",
      'src/cli/fix.ts': "import { plan } from '../fix/plan.js';\n",
    });
    const { code, stderr } = await checkLayers(root);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'src/cli/fix.ts imports src/fix/plan.ts: outside src/fix, import only src/fix/index.ts',
      'src/report/sarif.ts imports src/fix/plan.ts: outside src/fix, import only src/fix/index.ts',
      '2 layering problem(s): see docs/architecture.md, "The layers"',
    ]);
  });

  it('fails when a rule reaches past the rule API, or into another rule', async () => {
    const root = tree({
      ...LAYERED,
      'rules/rootfs/rule.ts':
        "import { run } from '../../src/engine/run.js';\nimport { r } from '../privileged/rule.js';\nexport const x = [run, r];\n",
    });
    const { code, stderr } = await checkLayers(root);
    expect(code).toBe(1);
    expect(stderr).toContain('rules/rootfs/rule.ts imports src/engine/run.ts: rules import kubemend only through');
    expect(stderr).toContain(
      'rules/rootfs/rule.ts imports rules/privileged/rule.ts: a rule must not import another rule',
    );
  });
});
