// graphql 15, 16 and 17 (graphql-js), and so every server built on it (Apollo Server, GraphQL Yoga,
// Mercurius, graphql-http): an operation span per execution, spans for parsing and validation, and
// resolver spans when asked for (settings.ts).
//
// graphql 17 publishes diagnostics channels for all of it (channels.ts): nothing of it is patched.
// It finds them through process.getBuiltinModule (Node 20.16 and later; graphql 17 asks for Node 22):
// on an older Node it publishes nothing, and gets no spans.
// graphql 15 and 16 have none: their parse, validate, execute and subscribe are wrapped on the
// exports of the CommonJS files that define them. In Node their CommonJS build is the only one
// loaded, by require and by import alike (their package.json has no "exports", and Node does not read
// "module", so the .mjs files are for bundlers).

import type { Instrumentation, ModuleTarget, Telemetry } from '../../src/hook/instrumentation.js';
import { subscribeGraphqlChannels } from './channels.js';
import { configureGraphqlTracing } from './graphql-tracing.js';
import { patchExecuteModule, patchSubscribeModule } from './patch-execution.js';
import { patchParserModule, patchValidateModule } from './patch-parse-validate.js';

const VERSIONS = '>=15.0.0 <18';

function major(version: string | undefined): number {
  return Number.parseInt(version ?? '', 10);
}

/** graphql 17: its channels, subscribed once, on whichever of its files is loaded first. */
function subscribeOnLoad(exports: unknown, telemetry: Telemetry, version: string | undefined): unknown {
  configureGraphqlTracing(telemetry);
  if (major(version) >= 17) subscribeGraphqlChannels();
  return exports;
}

/**
 * One of graphql 15/16's files, patched. graphql 17's own copies of these files (its CommonJS build,
 * which a path or a Node without require(esm) loads) only subscribe: a deep require of one of them
 * may be the first that is seen of graphql 17.
 */
function fileTarget(module: string, patch: (exports: object) => void): ModuleTarget {
  return {
    module,
    versions: VERSIONS,
    patch: (exports, telemetry: Telemetry, version) => {
      if (major(version) >= 17) return subscribeOnLoad(exports, telemetry, version);
      configureGraphqlTracing(telemetry);
      if (exports !== null && typeof exports === 'object') patch(exports);
      return exports;
    },
  };
}

export const graphql: Instrumentation = {
  name: 'graphql',
  targets: [
    {
      // The package itself: graphql 17's channels are subscribed when it is first loaded.
      module: 'graphql',
      versions: VERSIONS,
      patch: subscribeOnLoad,
    },
    fileTarget('graphql/language/parser.js', patchParserModule),
    fileTarget('graphql/validation/validate.js', patchValidateModule),
    fileTarget('graphql/execution/execute.js', patchExecuteModule),
    fileTarget('graphql/execution/subscribe.js', patchSubscribeModule),
    fileTarget('graphql/subscription/subscribe.js', patchSubscribeModule),
  ],
};
