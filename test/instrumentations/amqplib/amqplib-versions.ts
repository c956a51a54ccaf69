// Test support for the amqplib tests: amqplib 2.x (the devDependency `amqplib`) and 0.10 (installed
// as `amqplib-0.10`, a name the hook does not know), each patched as the bootstrap patches it. 0.10's
// files are handed to the hooks under amqplib's own names before its entry point loads them, as the
// hook does for an app's `amqplib` (the entry point keeps lib/connect.js's `connect` as it finds it).

import { dirname, join } from 'node:path';
import type { InProcess } from '../../support/in-process-instrumentation.js';

export type Amqp = any;

export interface AmqpVersion {
  readonly label: string;
  /** The promise API (`amqplib`) and the callback API (`amqplib/callback_api`). */
  readonly promiseApi: Amqp;
  readonly callbackApi: Amqp;
}

const FILES = ['lib/connect.js', 'lib/channel.js', 'lib/channel_model.js', 'lib/callback_model.js'];

/** amqplib 0.10 and 2.x, patched through `recorded`'s hooks. Call after instrumentInProcess. */
export function loadAmqplibVersions(recorded: InProcess): AmqpVersion[] {
  const basedir = dirname(require.resolve('amqplib-0.10/package.json'));
  for (const file of FILES) recorded.hooks.onLoad(require(join(basedir, file)), `amqplib/${file}`, basedir);
  return [
    { label: 'amqplib 0.10', promiseApi: require('amqplib-0.10'), callbackApi: require('amqplib-0.10/callback_api') },
    { label: 'amqplib 2', promiseApi: require('amqplib'), callbackApi: require('amqplib/callback_api') },
  ];
}
