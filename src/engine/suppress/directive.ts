import type { Span } from '../../load/positions.js';
import type { Finding, ResourceRef } from '../types.js';

/** The resource and document a directive's own findings (SuppressionInvalid, …) are reported on. */
export interface Owner {
  resource: ResourceRef;
  documentIndex: number;
}

/** A suppression written in the manifest: a `kubemend-disable…` comment or an `ignore.kubemend.io/…` annotation. */
export interface Directive {
  kind: 'comment' | 'annotation';
  /** How messages name it: `kubemend-disable-next-line`, or `annotation ignore.kubemend.io/privileged`. */
  label: string;
  /** Rule ids or codes, as written. */
  names: string[];
  reason: string | null;
  /** As written after `until=`; checked against the calendar later. */
  until: string | null;
  span: Span;
  owner: Owner;
  /** What is wrong with how it is written; checks against the rules and the policy come later. */
  problems: string[];
  /** Whether it covers `finding` under `name` (a `kubemend-enable` can end a block for some names only). */
  covers(finding: Finding, name: string): boolean;
}

/** A problem of a directive that suppresses nothing by itself (a `kubemend-enable`): reported, never applied. */
export interface DirectiveNote {
  code: string;
  message: string;
  span: Span;
  owner: Owner;
}

export const NO_RESOURCE: ResourceRef = { apiVersion: '', kind: '', name: null, namespace: null };
