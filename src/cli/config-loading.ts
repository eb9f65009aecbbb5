import { loadConfig, type ResolvedConfig } from '../config/resolve.js';
import { ConfigError, formatIssue } from '../engine/config-issue.js';
import { isCalendarDate, todayUtc } from '../engine/suppress/dates.js';
import type { CliSession } from './io.js';

/** Pretends today is another day (YYYY-MM-DD) for suppressions' `until` dates: for tests and reproducible runs. */
const TODAY_VARIABLE = 'KUBEMEND_TODAY';

/**
 * The configuration, or undefined when a config file (or KUBEMEND_TODAY) is wrong: reported on stderr, one line per
 * problem. Its lint options carry the day `until` dates are compared with.
 */
export async function readConfig(
  session: CliSession,
  options: { config?: string; kconfig?: string },
): Promise<ResolvedConfig | undefined> {
  const pretended = session.io.env[TODAY_VARIABLE];
  if (pretended !== undefined && pretended !== '' && !isCalendarDate(pretended)) {
    session.say(`${TODAY_VARIABLE} must be a date written YYYY-MM-DD, not "${pretended}"`);
    return undefined;
  }
  const today = pretended || todayUtc();
  try {
    const config = await loadConfig({
      cwd: session.io.cwd,
      configFile: options.config,
      kubeauditConfigFile: options.kconfig,
      today,
    });
    for (const warning of config.warnings) session.warn(warning);
    return {
      ...config,
      lintOptions: { ...config.lintOptions, suppressions: { ...config.lintOptions.suppressions, today } },
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) session.say(formatIssue(issue));
    return undefined;
  }
}
