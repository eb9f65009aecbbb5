import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../support/cli.js';

/** What `helm template` prints: each document after the `# Source:` of its template. */
const RENDERED = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      hostPID: true
      containers:
        - name: api
          image: shop/api:1.0
`;

describe('helm template … | kubemend -', () => {
  it('names the template of each finding in JSON, the line staying the line of standard input', async () => {
    const { report } = await runJson(['--rule', 'hostns', '-'], { input: RENDERED });
    expect(
      report.results[0]!.findings.map((f) => ({ line: f.line, template: (f as { template?: string }).template })),
    ).toEqual([{ line: 16, template: 'shop/templates/deployment.yaml' }]);
  });

  it('shows the template beside the resource in stylish', async () => {
    const run = await runCli(['--no-color', '--rule', 'hostns', '-'], { input: RENDERED });
    expect(run.stdout).toContain('  Deployment/shop (template shop/templates/deployment.yaml)\n');
  });

  it('names no template for input without `# Source:` comments', async () => {
    const { report } = await runJson(['--rule', 'hostns', '-'], { input: RENDERED.replace(/# Source: .*\n/g, '') });
    expect(report.results[0]!.findings).toHaveLength(1);
    expect(report.results[0]!.findings[0]).not.toHaveProperty('template');
  });
});
