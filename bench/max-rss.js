// Preloaded with `node --import ./bench/max-rss.js …`: at exit, writes the process's peak resident set size in bytes
// to the file named by KUBEMEND_MAX_RSS_FILE. Portable where `/usr/bin/time -f %M` is not (macOS, Windows).
// With KUBEMEND_CPU_TIME_FILE, also its CPU time (user + system) in microseconds: on a shared machine the wall time
// of a run depends on the others' load, its CPU time much less.
import { writeFileSync } from 'node:fs';

const out = process.env.KUBEMEND_MAX_RSS_FILE;
const cpuOut = process.env.KUBEMEND_CPU_TIME_FILE;
if (out || cpuOut) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // resourceUsage().maxRSS is in kilobytes.
    if (out) writeFileSync(out, String(usage.maxRSS * 1024));
    if (cpuOut) writeFileSync(cpuOut, String(usage.userCPUTime + usage.systemCPUTime));
  });
}
