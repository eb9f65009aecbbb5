// Preloaded with `node --import ./bench/max-rss.js …`: at exit, writes the process's peak resident set size in bytes
// to the file named by KUBEMEND_MAX_RSS_FILE. Portable where `/usr/bin/time -f %M` is not (macOS, Windows).
import { writeFileSync } from 'node:fs';

const out = process.env.KUBEMEND_MAX_RSS_FILE;
if (out) {
  // resourceUsage().maxRSS is in kilobytes.
  process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
}
