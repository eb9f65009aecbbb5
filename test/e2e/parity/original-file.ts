import { parseManifest, resourcesOf, workloadOf, type Resource } from '../../../src/index.js';
import { resourceId, type ResourceKey } from './model.js';

/** A resource of the file as it was before any fix: what the expected differences look at to confirm their cause. */
export interface OriginalResource {
  key: ResourceKey;
  apiVersion: string;
  /** Its containers' data by name (`containers`, `initContainers`, `ephemeralContainers`); empty for non-workloads. */
  containers: Map<string, Record<string, unknown>>;
  isWorkload: boolean;
  /**
   * The source from the end of the previous document to the end of this one: its `---` marker, leading comments and
   * the document itself, which is what kubeaudit's split on `---` cuts.
   */
  documentSource: string;
}

function keyOf(resource: Resource): ResourceKey {
  return { kind: resource.kind, namespace: resource.namespace ?? '', name: resource.name ?? '' };
}

/** The file as kubemend parses it (documents with errors are left out), its resources by kind/namespace/name. */
export class OriginalFile {
  private readonly resources = new Map<string, OriginalResource>();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    let previousEnd = 0;
    for (const { doc, index } of parseManifest(text).documents) {
      const end = doc.range[2];
      const documentSource = text.slice(previousEnd, end);
      previousEnd = end;
      for (const resource of resourcesOf(doc, index)) {
        const workload = workloadOf(resource);
        const containers = new Map<string, Record<string, unknown>>();
        for (const container of workload?.containers ?? []) {
          containers.set(container.name ?? '', container.node.toJS(doc) as Record<string, unknown>);
        }
        const key = keyOf(resource);
        this.resources.set(resourceId(key), {
          key,
          apiVersion: resource.apiVersion,
          containers,
          isWorkload: workload !== undefined,
          documentSource,
        });
      }
    }
  }

  keys(): ResourceKey[] {
    return [...this.resources.values()].map((resource) => resource.key);
  }

  resource(key: ResourceKey): OriginalResource | undefined {
    return this.resources.get(resourceId(key));
  }

  get endsWithNewline(): boolean {
    return this.text.endsWith('\n');
  }
}
