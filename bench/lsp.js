// kubemend language server benchmark: `npm run bench:lsp`.
//
// Measures what issue 14 asks of `kubemend lsp`, against the real server in a child process
// (`node bin/kubemend.js lsp --stdio`), through vscode-languageserver's own JSON-RPC client:
//   1. latency: from a didChange of a 300-line manifest to the diagnostics of that version, after warm-up
//      (bar: 150 ms; the server's 50 ms typing pause is included);
//   2. memory: the server's resident set (main thread and engine worker) over 1,000 edits of one document, each
//      linted (bar: flat, no growth trend); and, since a resident set also grows while V8 sizes its heap, the
//      engine's live heap after a full garbage collection over 1,000 lints of the same document, in this process.
// It is a measurement, not a test: it exits 0 whatever the figures are.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'kubemend.js');
const WARMUP_EDITS = 30;
const TIMED_EDITS = 100;
const MEMORY_EDITS = 1000;
const MEMORY_SAMPLE_EVERY = 100;
const LATENCY_BAR_MS = 150;

if (!existsSync(path.join(ROOT, 'dist', 'src', 'lsp', 'server.js'))) {
  console.error('bench/lsp: dist/ is missing; run `npm run build` first (or `npm run bench:lsp`, which builds).');
  process.exit(2);
}

// The live heap is measured after gc(), which needs --expose-gc: run again with the flag rather than ask for it.
if (typeof globalThis.gc !== 'function' && !process.env.KUBEMEND_BENCH_CHILD) {
  const again = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, KUBEMEND_BENCH_CHILD: '1' },
  });
  process.exit(again.status ?? 1);
}

/** A realistic 300-line manifest: Deployments with several containers, Services, a ConfigMap. */
function manifest300(tag) {
  const deployment = (n) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${n}
  labels: { app: web-${n}, tier: frontend }
spec:
  replicas: 2
  selector:
    matchLabels: { app: web-${n} }
  template:
    metadata:
      labels: { app: web-${n} }
    spec:
      serviceAccountName: web
      containers:
        - name: app
          image: registry.example.com/web:${tag}
          ports:
            - containerPort: 8080
          resources:
            limits: { cpu: 500m, memory: 256Mi }
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
        - name: sidecar
          image: registry.example.com/proxy:2.1
          securityContext:
            runAsNonRoot: true
            capabilities:
              drop: [ALL]
---
apiVersion: v1
kind: Service
metadata:
  name: web-${n}
spec:
  selector: { app: web-${n} }
  ports:
    - port: 80
      targetPort: 8080
---
`;
  let text = '';
  for (let n = 0; text.split('\n').length < 300; n++) text += deployment(n);
  return `${text}apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { tag: "${tag}" }\n`;
}

function residentKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+)/m.exec(status)[1]);
}

/** `+1.2 MB` from the first sample to the last. */
function growth(samples, digits) {
  const delta = samples.at(-1).mb - samples[0].mb;
  return `from ${samples[0].edits} to ${samples.at(-1).edits}: ${delta >= 0 ? '+' : ''}${delta.toFixed(digits)} MB`;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const workspace = mkdtempSync(path.join(tmpdir(), 'kubemend-bench-lsp-'));
const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: workspace, stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(
  new StreamMessageReader(child.stdout),
  new StreamMessageWriter(child.stdin),
);
const waiting = new Map();
connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
  const wake = waiting.get(params.version);
  if (wake) wake(params);
});
connection.listen();

const uri = pathToFileURL(path.join(workspace, 'web.yaml')).href;
let version = 1;

function linted(target) {
  return new Promise((resolve) => waiting.set(target, resolve));
}

/** Sends one edit (the whole text, as a client with full sync would) and resolves with ms until its diagnostics. */
async function edit(n) {
  version += 1;
  const done = linted(version);
  const start = process.hrtime.bigint();
  await connection.sendNotification(DidChangeTextDocumentNotification.type, {
    textDocument: { uri, version },
    contentChanges: [{ text: manifest300(`1.${n}`) }],
  });
  const { diagnostics } = await done;
  waiting.delete(version);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, diagnostics: diagnostics.length };
}

await connection.sendRequest(InitializeRequest.type, {
  processId: process.pid,
  rootUri: pathToFileURL(workspace).href,
  workspaceFolders: [{ uri: pathToFileURL(workspace).href, name: 'bench' }],
  capabilities: {},
});
await connection.sendNotification(InitializedNotification.type, {});
const opened = linted(1);
await connection.sendNotification(DidOpenTextDocumentNotification.type, {
  textDocument: { uri, languageId: 'yaml', version: 1, text: manifest300('1.0') },
});
await opened;
const lines = manifest300('1.0').split('\n').length - 1;

for (let n = 0; n < WARMUP_EDITS; n++) await edit(n);
const latencies = [];
let diagnosticsPerLint = 0;
for (let n = 0; n < TIMED_EDITS; n++) {
  const { ms, diagnostics } = await edit(n);
  latencies.push(ms);
  diagnosticsPerLint = diagnostics;
}
const median = percentile(latencies, 50);
const p95 = percentile(latencies, 95);
const max = Math.max(...latencies);
const verdict = p95 <= LATENCY_BAR_MS ? 'met' : 'NOT met';
console.log(`latency: ${lines}-line manifest (${diagnosticsPerLint} diagnostics), ${TIMED_EDITS} edits after warm-up`);
console.log(
  `  median ${median.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms (bar ${LATENCY_BAR_MS} ms: ${verdict})`,
);

const samples = [];
for (let n = 1; n <= MEMORY_EDITS; n++) {
  await edit(n);
  if (n % MEMORY_SAMPLE_EVERY === 0) samples.push({ edits: n, mb: residentKb(child.pid) / 1024 });
}
console.log(`memory: resident set of the server process over ${MEMORY_EDITS} edits, each linted`);
console.log(`  ${samples.map((sample) => `${sample.edits}: ${sample.mb.toFixed(0)} MB`).join(', ')}`);
console.log(`  edits ${growth(samples, 1)}`);

await connection.sendRequest(ShutdownRequest.type);
await connection.sendNotification(ExitNotification.type);
await new Promise((resolve) => child.on('exit', resolve));
connection.dispose();

// The engine side (what the worker runs), in this process, so that gc() can settle the heap before each sample.
const { EngineHost } = await import(pathToFileURL(path.join(ROOT, 'dist', 'src', 'lsp', 'engine-host.js')).href);
const host = new EngineHost();
host.setFolders([workspace]);
const heap = [];
for (let n = 1; n <= MEMORY_EDITS; n++) {
  host.open({ uri, version: 10_000 + n, text: manifest300(`2.${n}`) });
  await host.lint(uri);
  if (n % MEMORY_SAMPLE_EVERY === 0) {
    globalThis.gc();
    heap.push({ edits: n, mb: process.memoryUsage().heapUsed / 1024 / 1024 });
  }
}
console.log(`memory: the engine's live heap after a full GC over ${MEMORY_EDITS} lints of the same document`);
console.log(`  ${heap.map((sample) => `${sample.edits}: ${sample.mb.toFixed(1)} MB`).join(', ')}`);
console.log(`  lints ${growth(heap, 2)}`);
rmSync(workspace, { recursive: true, force: true });
