import type { Located, ResourceSetRule } from './types.js';

/*
 * The cross-file facts of a settled run (see settled-lint.ts), gathered by one thread and handed to the others, so
 * that no thread parses them again. Facts are the rules' own data, structured-cloneable but for the places they keep
 * (Located): a place's `spanOf` works only during `collect`, so it does not travel; the receiving thread gets a
 * `spanOf` that says so, as the gathering thread's own does by then. Rules go by id (functions cannot cross threads).
 */

/** Facts per resource-set rule, in the order a run of those rules would read them. */
export type RuleFacts = Map<ResourceSetRule, unknown[]>;

/** Facts of one input's cross-file documents, by input position. */
export interface GatheredPiece {
  index: number;
  facts: RuleFacts;
}

/** What crosses threads: facts by rule id, and every place they hold (the same objects, as structured clone keeps). */
export interface SharedFacts {
  context: [string, unknown[]][];
  gathered: { index: number; facts: [string, unknown[]][] }[];
  places: Located[];
}

/** The facts of a run, ready for `postMessage`; the places they hold keep working in this thread. */
export function shareFacts(context: RuleFacts, gathered: readonly GatheredPiece[]): SharedFacts {
  const byId = (facts: RuleFacts): [string, unknown[]][] => [...facts].map(([rule, list]) => [rule.meta.id, list]);
  const places = new Set<Located>();
  for (const facts of [context, ...gathered.map((piece) => piece.facts)])
    for (const list of facts.values()) findPlaces(list, places, new Set());
  // Not enumerable: structured clone passes it by, and this thread's code still finds it.
  for (const place of places) Object.defineProperty(place, 'spanOf', { value: place.spanOf, enumerable: false });
  return {
    context: byId(context),
    gathered: gathered.map(({ index, facts }) => ({ index, facts: byId(facts) })),
    places: [...places],
  };
}

/** Another thread's facts (`shareFacts`, cloned) for the same rules, found by id. */
export function receiveFacts(
  shared: SharedFacts,
  rules: Iterable<ResourceSetRule>,
): { context: RuleFacts; gathered: GatheredPiece[] } {
  for (const place of shared.places) place.spanOf = spanAfterCollect;
  const byId = new Map([...rules].map((rule) => [rule.meta.id, rule]));
  const toRules = (facts: [string, unknown[]][]): RuleFacts =>
    new Map(facts.map(([id, list]) => [byId.get(id)!, list]));
  return {
    context: toRules(shared.context),
    gathered: shared.gathered.map(({ index, facts }) => ({ index, facts: toRules(facts) })),
  };
}

export const SPAN_AFTER_COLLECT =
  'a span was asked for after its document was released; resource-set rules must take spans in collect()';

function spanAfterCollect(): never {
  throw new Error(SPAN_AFTER_COLLECT);
}

/** A place is a Located: the one kind of object in facts with a function. */
function isPlace(value: object): value is Located {
  return typeof (value as Partial<Located>).spanOf === 'function' && 'resource' in value && 'file' in value;
}

function findPlaces(value: unknown, places: Set<Located>, seen: Set<object>): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (isPlace(value)) {
    places.add(value);
    return;
  }
  const children = value instanceof Map ? [...value.keys(), ...value.values()] : Object.values(value);
  for (const child of value instanceof Set ? [...value] : children) findPlaces(child, places, seen);
}
