// Settings: the local viewer (`otel-instrument view`, `otel-instrument --view <command>`, src/view),
// group "view". Read by the launcher only; an app ignores them.

import { defineSetting } from '../setting.js';
import { integer, text } from '../setting-types.js';

export const VIEW_PORT = defineSetting({
  env: 'OTEL_NODE_VIEW_PORT',
  group: 'view',
  help: "the viewer page's port (taken: the next free one)",
  type: integer({ min: 0, max: 65535 }),
  default: 16686,
});

export const VIEW_MAX_SPANS = defineSetting({
  env: 'OTEL_NODE_VIEW_MAX_SPANS',
  group: 'view',
  help: 'spans the viewer keeps in memory (past it, the oldest traces go first)',
  type: integer({ min: 1 }),
  default: 200_000,
});

export const VIEW_MAX_LOGS = defineSetting({
  env: 'OTEL_NODE_VIEW_MAX_LOGS',
  group: 'view',
  help: 'log records the viewer keeps in memory (past it, the oldest go first)',
  type: integer({ min: 1 }),
  default: 200_000,
});

export const VIEW_FILE = defineSetting({
  env: 'OTEL_NODE_VIEW_FILE',
  group: 'view',
  help: 'a file the viewer keeps what it received in, so a restart keeps it (unset: memory only)',
  type: text,
  default: undefined,
});

export const VIEW_SETTINGS = [VIEW_PORT, VIEW_MAX_SPANS, VIEW_MAX_LOGS, VIEW_FILE];
