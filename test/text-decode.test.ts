import { describe, expect, it } from 'vitest';
import { decodeManifest } from '../src/load/text.js';

describe('decoding manifests', () => {
  it('decodes each file afresh, also after one that is not UTF-8', () => {
    const good = Buffer.from('kind: ConfigMap\ndata:\n  greeting: héllo 日本\n');
    const cut = good.subarray(0, good.indexOf('日') + 1); // ends inside a character
    expect(decodeManifest(good).text).toBe(good.toString('utf8'));
    expect(() => decodeManifest(cut)).toThrow(/invalid UTF-8/);
    expect(() => decodeManifest(Buffer.from([0x61, 0xc3, 0x28]))).toThrow(/invalid UTF-8 \(byte 0xc3 at offset 1\)/);
    expect(decodeManifest(good).text).toBe(good.toString('utf8'));
    expect(decodeManifest(Buffer.from('\uFEFFa: 1\n')).hasBom).toBe(true);
  });
});
