import { Scalar } from 'yaml';

/*
 * Kubernetes decodes manifests with sigs.k8s.io/yaml (go-yaml v2 underneath), which resolves plain scalars by
 * YAML 1.1 rules and then converts them to the type of the Go field. `yaml`'s own schemas are close to that but
 * not equal, so every rule reads typed values through these functions and nowhere else.
 */

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);

function isPlain(scalar: Scalar): boolean {
  return scalar.type === Scalar.PLAIN || scalar.type === undefined;
}

function plainSource(scalar: Scalar): string | undefined {
  if (!isPlain(scalar)) return undefined;
  const source = (scalar as Scalar & { source?: string }).source;
  return typeof source === 'string' ? source : scalar.value === null ? '' : String(scalar.value);
}

/** A YAML null (`~`, `null`, empty) leaves a Go field at its zero value: Kubernetes treats it as unset. */
export function isNullScalar(scalar: Scalar): boolean {
  const source = plainSource(scalar);
  return source !== undefined && isNullPlain(source);
}

/** Whether a plain scalar's source text is a YAML null (see isNullScalar). */
export function isNullPlain(source: string): boolean {
  return NULL_WORDS.has(source);
}

/** The boolean a bool field gets, or undefined when the value is not a boolean to Kubernetes (it would be rejected). */
export function readBoolean(scalar: Scalar): boolean | undefined {
  if (typeof scalar.value === 'boolean' && !isPlain(scalar)) return scalar.value;
  const source = plainSource(scalar);
  if (source === undefined) return undefined;
  if (TRUE_WORDS.has(source)) return true;
  if (FALSE_WORDS.has(source)) return false;
  return undefined;
}

/** The integer an int field gets: decimal, 0-prefixed octal, 0x hex, 0b binary, `_` separators (YAML 1.1). */
export function readInteger(scalar: Scalar): number | undefined {
  const source = plainSource(scalar);
  if (source === undefined) return undefined;
  const match = /^([-+]?)(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/.exec(source);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1 : 1;
  const digits = match[2]!.replace(/_/g, '');
  let value: number;
  if (digits.startsWith('0b')) value = parseInt(digits.slice(2), 2);
  else if (digits.startsWith('0x')) value = parseInt(digits.slice(2), 16);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return Number.isNaN(value) ? undefined : sign * value;
}

/** The string a string field gets: sigs.k8s.io/yaml keeps the source text of plain scalars such as `yes` or `0400`. */
export function readString(scalar: Scalar): string | undefined {
  if (isNullScalar(scalar)) return undefined;
  const source = plainSource(scalar);
  if (source !== undefined) return source;
  return typeof scalar.value === 'string' ? scalar.value : String(scalar.value);
}
