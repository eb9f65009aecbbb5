import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync, watch } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixtureDir } from '../support/cli.js';
import { PRIVILEGED_POD } from '../support/manifests.js';

/*
 * An interrupted `--fix` leaves no temporary file (issue 11, defect 6). The manifest is large (38 MiB, mostly one
 * ConfigMap) so that writing and flushing it takes a while; the signal is sent the moment the temporary file appears,
 * and the child must end by that signal, so the interrupt really fell inside the write.
 */

const BIG = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: |\n${`    ${'x'.repeat(95)}\n`.repeat(400_000)}---\n${PRIVILEGED_POD}`;
const FIXED = BIG.replace('privileged: true', 'privileged: false');

async function interruptWhileWriting(signal: NodeJS.Signals) {
  const dir = fixtureDir({ 'big.yaml': BIG });
  const child = spawn(process.execPath, [BIN, '--fix', '--rule', 'privileged', 'big.yaml'], {
    cwd: dir,
    stdio: 'ignore',
  });
  let sentAt: string | undefined;
  const watcher = watch(dir, (_event, name) => {
    if (sentAt === undefined && name?.endsWith('.tmp')) {
      sentAt = name;
      child.kill(signal);
    }
  });
  const [code, endedBy] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  watcher.close();
  return { sentAt, code, endedBy, left: readdirSync(dir), content: readFileSync(path.join(dir, 'big.yaml'), 'utf8') };
}

describe('an interrupted --fix', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`removes its temporary file on ${signal} and ends by the signal`, async () => {
      const run = await interruptWhileWriting(signal);
      expect(run.sentAt).toMatch(/^\.big\.yaml\.kubemend-\d+-\d+\.tmp$/);
      expect(run.endedBy).toBe(signal);
      expect(run.left).toEqual(['big.yaml']);
      // Either as it was or completely fixed, never anything in between (compared here: the texts are 38 MiB).
      expect(run.content === BIG || run.content === FIXED).toBe(true);
    });
  }
});
