import { afterEach, describe, expect, it, vi } from 'vitest';
import { lintText, parseManifest } from '../src/index.js';
import { streamManifest } from '../src/load/stream-parse.js';
import { CLEAN_POD, PRIVILEGED_POD } from './support/manifests.js';

/*
 * The loader runs yaml's Parser with `process.env` set to a plain object (src/load/cst-tokens.ts): these tests hold
 * it to leaving the environment as it was for everything else.
 */

const TWO_PODS = `${CLEAN_POD}---\n${PRIVILEGED_POD}`;

describe("yaml's parser run by the loader", () => {
  const environment = process.env;
  afterEach(() => {
    vi.restoreAllMocks();
    delete process.env.LOG_TOKENS;
  });

  it('leaves the real environment to the code that reads each document', () => {
    process.env.KUBEMEND_TEST_VARIABLE = 'seen';
    try {
      const seen: (string | undefined)[] = [];
      for (const { doc } of streamManifest(TWO_PODS).documents) {
        expect(process.env).toBe(environment);
        seen.push(`${String(doc.get('kind'))} ${process.env.KUBEMEND_TEST_VARIABLE}`);
      }
      expect(seen).toEqual(['Pod seen', 'Pod seen']);
      expect(process.env).toBe(environment);
    } finally {
      delete process.env.KUBEMEND_TEST_VARIABLE;
    }
  });

  it('gives the environment back when a lint stops early or the text is broken', () => {
    for (const { doc } of streamManifest(TWO_PODS).documents) {
      expect(doc.get('kind')).toBe('Pod');
      break;
    }
    expect(process.env).toBe(environment);
    expect(lintText('t.yaml', `a: [${'['.repeat(2000)}\n`).errors).not.toEqual([]);
    expect(process.env).toBe(environment);
  });

  it("keeps yaml's LOG_TOKENS debugging switch working", () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    parseManifest(CLEAN_POD);
    expect(log).not.toHaveBeenCalled();
    process.env.LOG_TOKENS = '1';
    parseManifest(CLEAN_POD);
    expect(log).toHaveBeenCalled();
  });
});
