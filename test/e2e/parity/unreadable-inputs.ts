import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kubeaudit } from './kubeaudit.js';
import { kubemendAllCli } from './kubemend.js';
import type { AuditRun } from './model.js';

/*
 * Files kubeaudit cannot read (or reads wrongly): the corpus has none, since its manifests are applied for real, so
 * these are made here. kubemend must be at least as strict (fail whenever kubeaudit fails) and always clearer (name
 * the file, line and column).
 */

interface UnreadableInput {
  name: string;
  description: string;
  /** Undefined: the file does not exist. */
  content?: string | Buffer;
}

const POD_HEAD = 'apiVersion: v1\nkind: Pod\nmetadata:\n';

export const UNREADABLE_INPUTS: readonly UnreadableInput[] = [
  { name: 'missing.yaml', description: 'a file that does not exist' },
  {
    name: 'unclosed-quote.yaml',
    description: 'invalid YAML (a quote left open)',
    content: `${POD_HEAD}  name: "web\nspec: {}\n`,
  },
  { name: 'tab-indent.yaml', description: 'invalid YAML (a tab as indentation)', content: `${POD_HEAD}\tname: web\n` },
  {
    name: 'binary.yaml',
    description: 'a binary file',
    content: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0x0a]),
  },
  {
    name: 'latin1.yaml',
    description: 'text that is not UTF-8',
    content: Buffer.from(`${POD_HEAD}  name: caf\xe9\n`, 'latin1'),
  },
  {
    name: 'helm-template.yaml',
    description: 'an unrendered Helm template',
    content:
      `${POD_HEAD}  name: {{ .Release.Name }}\nspec:\n  containers:\n    - name: app\n` +
      '      image: {{ .Values.image }}\n',
  },
  {
    name: 'duplicate-key.yaml',
    description: 'duplicate keys (the API server rejects them)',
    content: `${POD_HEAD}  name: web\nspec:\n  containers:\n    - {name: app, image: nginx:1.27}\n  containers: []\n`,
  },
];

export interface ToolAnswer {
  status: number;
  message?: string;
}

export interface ErrorHandlingCase {
  name: string;
  description: string;
  kubeaudit: ToolAnswer;
  kubemend: ToolAnswer;
}

function answer(run: AuditRun): ToolAnswer {
  return { status: run.status, ...(run.failure ? { message: run.failure } : {}) };
}

/** Each input through `all -f <file> -p json` of both tools (kubemend's real command line, in the file's folder). */
export async function compareErrorHandling(kubeaudit: Kubeaudit): Promise<ErrorHandlingCase[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubemend-unreadable-'));
  try {
    const cases: ErrorHandlingCase[] = [];
    for (const input of UNREADABLE_INPUTS) {
      if (input.content !== undefined) writeFileSync(path.join(dir, input.name), input.content);
      const theirs = await kubeaudit.audit(path.join(dir, input.name));
      cases.push({
        name: input.name,
        description: input.description,
        kubeaudit: answer(theirs),
        kubemend: answer(await kubemendAllCli(input.name, dir)),
      });
    }
    return cases;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
