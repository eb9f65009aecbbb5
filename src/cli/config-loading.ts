import { ConfigError, formatIssue, loadConfig, type ResolvedConfig } from '../engine/config.js';

export function warn(message: string): void {
  process.stderr.write(`kubemend: warning: ${message}\n`);
}

/** The configuration, or undefined when a config file is wrong (reported on stderr, one line per problem). */
export async function readConfig(options: { config?: string; kconfig?: string }): Promise<ResolvedConfig | undefined> {
  try {
    const config = await loadConfig({ cwd: process.cwd(), configFile: options.config, kubeauditConfigFile: options.kconfig });
    for (const warning of config.warnings) warn(warning);
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const issue of error.issues) process.stderr.write(`kubemend: ${formatIssue(issue)}\n`);
    return undefined;
  }
}
