// When the console tree is on, and where its records go: small, so that the launcher can ask
// without loading the tree itself.

import type { Config } from '../../../config/types.js';

/** The launcher's socket for the console tree (src/cli/console-tree-host.ts); inherited by every process it starts. */
export const CONSOLE_TREE_VAR = 'OTEL_INSTRUMENT_CONSOLE_TREE';

/** Whether spans reach the tree (so log records wait for their trace). Same rule in the app and at the launcher. */
export function treeHasSpans(config: Pick<Config, 'tracesExporters' | 'consoleFormat'>): boolean {
  return config.consoleFormat === 'tree' && config.tracesExporters.includes('console');
}

export function treeIsUsed(config: Pick<Config, 'tracesExporters' | 'logsExporters' | 'consoleFormat'>): boolean {
  return config.consoleFormat === 'tree' && (config.tracesExporters.includes('console') || config.logsExporters.includes('console'));
}
