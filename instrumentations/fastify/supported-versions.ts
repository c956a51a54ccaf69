// Which fastify versions we instrument, read from the instance fastify announces on its
// 'fastify.initialization' channel (not from a module hook: an app may load fastify under another
// name, an npm alias or a bundle, and the channel reaches us all the same).

import { satisfies } from '../../src/hook/version-range.js';

/** fastify 4 and 5. A 6.0.0 pre-release counts as 6 (version-range.ts) and is left alone. */
export const FASTIFY_VERSIONS = '>=4.0.0 <6';

/**
 * Every fastify 5 publishes tracing:fastify.request.handler (lib/handleRequest.js in 5.0.0,
 * lib/handle-request.js later); no 4.x release does, up to the last one, 4.29.1.
 */
const HANDLER_CHANNEL_VERSIONS = '>=5.0.0';

const known = new Map<string, boolean>();

/** Is `version` (an instance's `version` property) one we instrument? Cached: a process sees one or two. */
export function isSupportedVersion(version: unknown): boolean {
  if (typeof version !== 'string') return false;
  let supported = known.get(version);
  if (supported === undefined) {
    supported = satisfies(version, FASTIFY_VERSIONS);
    known.set(version, supported);
  }
  return supported;
}

/** Does this (supported) version publish the handler tracing channel? */
export function hasHandlerChannel(version: string): boolean {
  return satisfies(version, HANDLER_CHANNEL_VERSIONS);
}
