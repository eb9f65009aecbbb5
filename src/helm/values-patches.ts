import type { NodePath } from '../load/nodes.js';
import type { Finding, Patch } from '../engine/types.js';
import type { ValuesOrigin } from './analyse.js';
import { valuesKey } from './values.js';

/*
 * A finding's fix, made in the values instead of the render: each patch of the rendered document moves to the values
 * path its field comes from. A leaf's patch must be about that very field; a mapping's may reach below it (a missing
 * field is added to the values mapping that renders its parent).
 */

export type ValuesPatch = Exclude<Patch, { op: 'appendDocument' }>;

function startsWith(pathValue: NodePath, prefix: NodePath): boolean {
  return prefix.length <= pathValue.length && prefix.every((segment, index) => pathValue[index] === segment);
}

function same(a: NodePath, b: NodePath): boolean {
  return a.length === b.length && startsWith(a, b);
}

/** The values path a rendered path comes from, or undefined when the origin does not set it. */
function valuesPathOf(rendered: NodePath, origin: ValuesOrigin): NodePath | undefined {
  const { valuesPath } = origin.candidate;
  if (origin.candidate.kind === 'mapping')
    return startsWith(rendered, origin.renderedAt)
      ? [...valuesPath, ...rendered.slice(origin.renderedAt.length)]
      : undefined;
  if (same(rendered, origin.renderedAt)) return valuesPath;
  // A list entry's value: the list itself is the values list.
  const last = origin.renderedAt.at(-1);
  if (
    typeof last === 'number' &&
    typeof valuesPath.at(-1) === 'number' &&
    same(rendered, origin.renderedAt.slice(0, -1))
  )
    return valuesPath.slice(0, -1);
  return undefined;
}

/** The finding's patches for the values file, or why they cannot be made there. */
export function valuesPatches(
  patches: readonly Patch[],
  origin: ValuesOrigin | undefined,
): { patches: ValuesPatch[] } | { reason: string } {
  if (!origin) return { reason: 'its value is written in the template, not taken from the values' };
  // A subchart's own values are the subchart's: the chart that uses it sets them under its name instead.
  if (origin.file.prefix.length > 0)
    return { reason: `its value is the subchart's default: set \`${valuesKey(origin.field)}\` in the chart's values` };
  if (patches.length === 0) return { reason: 'kubemend has no fix for it' };
  const moved: ValuesPatch[] = [];
  for (const patch of patches) {
    if (patch.op === 'appendDocument') return { reason: 'its fix adds a resource, which values cannot do' };
    const at = valuesPathOf(patch.path, origin);
    if (!at)
      return {
        reason: `its fix changes the rendered ${patch.path.join('.')}, which \`${valuesKey(origin.candidate.valuesPath)}\` does not set`,
      };
    moved.push({ ...patch, path: at });
  }
  return { patches: moved };
}

/** A finding's fix for the values file: only a fix of the finding's own resource can be (asat's may reach another). */
export function findingValuesPatches(
  finding: Pick<Finding, 'patches' | 'documentIndex'>,
  origin: ValuesOrigin | undefined,
): { patches: ValuesPatch[] } | { reason: string } {
  if (finding.patches.some(({ target }) => target.documentIndex !== finding.documentIndex))
    return { reason: 'its fix changes another resource, which its values key does not render' };
  return valuesPatches(
    finding.patches.map(({ patch }) => patch),
    origin,
  );
}
