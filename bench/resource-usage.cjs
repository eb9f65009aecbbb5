// Preloaded with `node -r ./bench/resource-usage.cjs …` by the benchmarks: at exit, writes the process's peak resident
// set size in bytes to the file named by KUBEMEND_MAX_RSS_FILE (portable where `/usr/bin/time -f %M` is not: macOS,
// Windows), and its CPU time (user + system) in microseconds to the one named by KUBEMEND_CPU_TIME_FILE (on a shared
// machine the wall time of a run depends on the others' load, its CPU time much less). CommonJS: preloading an ES
// module starts Node's module loader, ~10 ms of CPU in every run, too much beside a one-file lint.
'use strict';
const { writeFileSync } = require('node:fs');

const rssOut = process.env.KUBEMEND_MAX_RSS_FILE;
const cpuOut = process.env.KUBEMEND_CPU_TIME_FILE;
if (rssOut || cpuOut) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // resourceUsage().maxRSS is in kilobytes.
    if (rssOut) writeFileSync(rssOut, String(usage.maxRSS * 1024));
    if (cpuOut) writeFileSync(cpuOut, String(usage.userCPUTime + usage.systemCPUTime));
  });
}
