// One lint of a folder in a fresh process, for bench.js: prints its peak resident set size and what it found as
// JSON. A child of its own, so that nothing the benchmark did before counts in the peak.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

// `rules`: default, or none (parse and walk only: what streaming alone keeps in memory).
const [dist, folder, rules] = process.argv.slice(2);
const { lintInputs } = await import(pathToFileURL(path.join(dist, 'src/index.js')).href);
const results = await lintInputs([folder], { jobs: 1, ...(rules === 'none' ? { rules: [] } : {}) });
const findings = results.reduce((sum, result) => sum + result.findings.length, 0);
console.log(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024, files: results.length, findings }));
