/** The two tools compared. */
export type Side = 'kubeaudit' | 'kubemend';

/** What identifies a resource in kubeaudit's output; absent fields are empty strings, as kubeaudit prints them. */
export interface ResourceKey {
  kind: string;
  namespace: string;
  name: string;
}

export function resourceId(key: ResourceKey): string {
  return `${key.kind}/${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
}

/** A finding as both tools can describe it: kubeaudit's `-p json` fields. */
export interface ToolFinding {
  code: string;
  severity: string;
  resource: ResourceKey;
  /** The container's name; empty for pod- and resource-level findings. */
  container: string;
  /** kubeaudit's metadata fields (`PolicyName`, `MountVolumeHostPath`, …). */
  metadata: Record<string, string>;
}

/** One audit of one file, with kubeaudit's exit status contract: 0 clean, 2 error findings, 1 cannot audit. */
export interface AuditRun {
  status: number;
  findings: ToolFinding[];
  /** Why the file could not be audited (exit status 1). */
  failure?: string;
}

/** The text a tool's autofix wrote (and why it left findings unfixed), or why it wrote none. */
export type FixRun = { text: string; problems?: string[] } | { failure: string };

/** One side's findings of one code that the other side does not have, for one resource and container. */
export interface AuditDifference {
  resource: ResourceKey;
  container: string;
  code: string;
  /** The tool that reported it (the other did not). */
  reportedBy: Side;
  findings: ToolFinding[];
}

/** Where the fixed data of one resource differs: a dotted path and each side's value (undefined = absent). */
export interface DataDifference {
  path: string;
  kubeaudit: unknown;
  kubemend: unknown;
}

export interface FixDifference {
  resource: ResourceKey;
  /**
   * `data`: both fixed the resource, differently; `missing`: only one side's output has it; `lost`: the original has
   * it, neither output does; `failed`: one side wrote no output.
   */
  kind: 'data' | 'missing' | 'lost' | 'failed';
  /** For `missing`: the side whose output has the resource. For `failed`: the side that failed. */
  side?: Side;
  paths: DataDifference[];
  detail?: string;
}

/** How one resource (audit) or one resource's fixed data (autofix) compares. */
export type Verdict = 'identical' | 'explained' | 'unexplained';
