// The global fetch and the undici package: client spans from undici's diagnostics channels.
// At startup only a stub subscribes; the instrumentation's code loads with the first message, so
// an app that never fetches never pays for it.

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Instrumentation, Telemetry } from '../../src/hook/instrumentation.js';
import { diag } from '../../src/diag/log.js';
import { UNDICI_CHANNELS } from './channel-names.js';
import { KNOWN_METHODS } from './settings.js';

type Handler = (message: unknown, name: string | symbol) => void;

function loadHandlers(telemetry: Telemetry): Readonly<Record<string, Handler>> {
  const { settingValue } = require('../../src/config/setting-value.js') as typeof import('../../src/config/setting-value.js');
  const { setKnownMethods } = require('../http/semconv.js') as typeof import('../http/semconv.js');
  const channels = require('./channels.js') as typeof import('./channels.js');
  // The http instrumentation sets the same list when http loads; an app may only ever fetch.
  setKnownMethods(settingValue(telemetry.config, KNOWN_METHODS));
  channels.subscribeUndiciChannels(telemetry);
  return channels.UNDICI_HANDLERS;
}

export const undici: Instrumentation = {
  name: 'undici',
  targets: [],
  subscribe(telemetry) {
    let handlers: Readonly<Record<string, Handler>> | undefined;
    const first: Handler = (message, name) => {
      // A subscriber's throw would surface as an uncaught exception in the app.
      try {
        if (handlers === undefined) {
          for (const channel of UNDICI_CHANNELS) unsubscribe(channel, first);
          handlers = loadHandlers(telemetry);
        }
        // The real subscribers were added during this publish, which does not call them: forward it.
        handlers[name as string]?.(message, name);
      } catch (error) {
        diag.debug(`instrumentation undici could not start: ${String(error)}`);
      }
    };
    for (const channel of UNDICI_CHANNELS) subscribe(channel, first);
  },
};
