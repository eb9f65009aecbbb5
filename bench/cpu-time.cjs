// Preloaded with `node -r ./bench/cpu-time.cjs …` by bench/context.js: at exit, writes the process's CPU time (user +
// system) in microseconds to the file named by KUBEMEND_CPU_TIME_FILE. bench/max-rss.js does the same as an ES
// module, whose preloading starts Node's module loader (~10 ms of CPU in every run): too much beside a one-file lint.
'use strict';
const { writeFileSync } = require('node:fs');

const out = process.env.KUBEMEND_CPU_TIME_FILE;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(out, String(usage.userCPUTime + usage.systemCPUTime));
  });
}
