import { ConfigError, formatIssue, loadConfig, type ResolvedConfig } from '../engine/config.js';
import type { CliSession } from './io.js';

/** The configuration, or undefined when a config file is wrong (reported on stderr, one line per problem). */
export async function readConfig(session: CliSession, options: { config?: string; kconfig?: string }): Promise<ResolvedConfig | undefined> {
  try {
    const config = await loadConfig({ cwd: session.io.cwd, configFile: options.config, kubeauditConfigFile: options.kconfig });
    for (const warning of config.warnings) session.warn(warning);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) session.say(formatIssue(issue));
    return undefined;
  }
}
