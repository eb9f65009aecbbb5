import { LocatedError } from './errors.js';

/** The decoded text of a manifest plus what is needed to map offsets back to editor positions. */
export interface ManifestText {
  /** The text exactly as decoded, BOM included, so offsets index the original bytes' characters. */
  text: string;
  hasBom: boolean;
  eol: '\n' | '\r\n';
}

const BINARY_SNIFF_BYTES = 8000;

/** One for every file (without `stream`, each `decode` starts afresh); made anew after one fails. */
let utf8: InstanceType<typeof TextDecoder> | undefined;

/**
 * Decodes manifest bytes as strict UTF-8. Binary and non-UTF-8 data are refused with a position,
 * because guessing an encoding could make a fix write back different bytes than were read.
 */
export function decodeManifest(bytes: Uint8Array): ManifestText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new LocatedError(
      'the file is UTF-16 encoded; Kubernetes manifests must be UTF-8. Convert it (e.g. `iconv -f UTF-16 -t UTF-8`) and run again',
      1,
      1,
    );
  }
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul !== -1) {
    const pos = positionOfByte(bytes, nul);
    throw new LocatedError(
      'this is a binary file (it contains NUL bytes), not a YAML manifest; remove it from the paths you lint',
      pos.line,
      pos.column,
    );
  }
  let text: string;
  try {
    text = (utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })).decode(bytes);
  } catch {
    utf8 = undefined;
    const bad = firstInvalidUtf8Byte(bytes);
    const pos = positionOfByte(bytes, bad);
    throw new LocatedError(
      `invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} at offset ${bad}); save the file as UTF-8 and run again`,
      pos.line,
      pos.column,
    );
  }
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const firstNewline = text.indexOf('\n');
  const eol = firstNewline > 0 && text[firstNewline - 1] === '\r' ? '\r\n' : '\n';
  return { text, hasBom, eol };
}

function positionOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const decoder = new TextDecoder('utf-8', { fatal: true });
    try {
      decoder.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length - 1;
}
