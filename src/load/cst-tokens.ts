import { Parser, type CST } from 'yaml';

/*
 * yaml's Parser reads `process.env.LOG_TOKENS` (a debugging switch) for every lexeme, and in Node every read of
 * `process.env` is a call into the runtime: on manifests, about a quarter of the Parser's time (see "Where a lint's
 * time goes" in docs/architecture.md). So while the parser works, and only then, `process.env` is a plain object
 * holding that one variable, which keeps the switch working. Nothing but the parser runs in that window: it is
 * advanced one top-level token (a whole document) at a time, and the real environment is back before the token is
 * given out, even when the parser throws.
 */

/** Whether `process.env` can be set (not in a runtime that froze it): otherwise the parser reads the real one. */
const ENV_SETTABLE = Object.getOwnPropertyDescriptor(process, 'env')?.writable === true;

/** yaml's CST of `text`: `new Parser().parse(text)`, without the parser's reads of the environment. */
export function* cstTokens(text: string): Generator<CST.Token> {
  const tokens = new Parser().parse(text);
  if (!ENV_SETTABLE) return yield* tokens;
  const env = process.env;
  const parserEnv = { LOG_TOKENS: env.LOG_TOKENS };
  for (;;) {
    let next: IteratorResult<CST.Token>;
    process.env = parserEnv;
    try {
      next = tokens.next();
    } finally {
      process.env = env;
    }
    if (next.done) return;
    yield next.value;
  }
}
