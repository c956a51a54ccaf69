// fastify 5: the handler span from fastify's own tracing channel, tracing:fastify.request.handler
// (docs/Reference/Hooks.md, "Diagnostics Channel Hooks"). fastify publishes it around the route
// handler only while someone listens, never for its 404 handler, with one message object per
// request: { request, reply, route: { url, method }, async, error }.
//   start       our context is bound to it (bindStore): the handler, and everything it schedules,
//               runs with the handler span active
//   error       the handler threw or rejected (or a preHandler hook failed: fastify reports that here too)
//   end         the handler returned; for a promise, asyncEnd follows once fastify sent its result
// No patching: the channel is fastify's public interface for this.

import { subscribe, tracingChannel } from 'node:diagnostics_channel';
import type { Context } from '@opentelemetry/api';
import { trace } from '../../src/otel-api/trace.js';
import { activeContext, bindContextToChannel } from '../../src/context/als-context-manager.js';
import { handlerReturned, startHandlerSpan, type ReplyLike } from './handler-span.js';
import type { StepSpan } from './step-span.js';
import { isSpannedAbove } from './spanned-above.js';
import { isSupportedVersion } from './supported-versions.js';
import { guard } from './telemetry.js';

const STEP = Symbol('otel-instrument.fastify.handler');

interface HandlerMessage {
  readonly request?: { readonly method?: string; readonly server?: { readonly version?: unknown } };
  readonly reply?: ReplyLike;
  readonly route?: { readonly url?: unknown; readonly method?: unknown };
  readonly async?: boolean;
  readonly error?: unknown;
  [STEP]?: StepSpan;
}

const NAME = 'fastify.request.handler';
let subscribed = false;

/** Once per process, when the first fastify 5 instance is made. */
export function subscribeHandlerChannel(): void {
  if (subscribed) return;
  subscribed = true;
  const channel = tracingChannel(NAME);
  bindContextToChannel(channel.start, enterHandler);
  subscribe(`tracing:${NAME}:end`, onEnd);
  subscribe(`tracing:${NAME}:asyncEnd`, onAsyncEnd);
  subscribe(`tracing:${NAME}:error`, onError);
}

/** The store transform: the context the handler runs in. Never throws (Node would report it as uncaught). */
function enterHandler(message: HandlerMessage): Context {
  const parent = activeContext();
  if (!guard.enabled) return parent;
  try {
    const route = message.route?.url;
    // Another fastify in the process (one outside our range) may publish on the same channel.
    const request = message.request;
    const server = request?.server;
    if (typeof route !== 'string' || !isSupportedVersion(server?.version)) return parent;
    // The framework above fastify (NestJS) spans this route's handler itself.
    if (isSpannedAbove(server, route, message.route?.method)) return parent;
    const step = startHandlerSpan(request?.method, route, parent);
    if (step === undefined) return parent;
    message[STEP] = step;
    return trace.setSpan(parent, step.span);
  } catch (error) {
    guard.fail(error);
    return parent;
  }
}

function onEnd(message: unknown): void {
  const m = message as HandlerMessage;
  if (m.async !== true) finish(m);
}

function onAsyncEnd(message: unknown): void {
  finish(message as HandlerMessage);
}

function finish(message: HandlerMessage): void {
  const step = message[STEP];
  if (step === undefined) return;
  try {
    handlerReturned(step, message.reply, false);
  } catch (error) {
    guard.fail(error);
  }
}

function onError(message: unknown): void {
  const m = message as HandlerMessage;
  const step = m[STEP];
  if (step === undefined) return;
  try {
    step.fail(m.error);
  } catch (error) {
    guard.fail(error);
  }
}
