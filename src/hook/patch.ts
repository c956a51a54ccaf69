// A thin layer over shimmer: our logger instead of console.error, and the wrapped
// function keeps its name and length (express tells error handlers apart by arity).

import shimmer from 'shimmer';
import { diag } from '../diag/log.js';

shimmer({ logger: (message: string) => diag.debug(`shimmer: ${message}`) });

type AnyFunction = (...args: any[]) => any;

export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as { __wrapped?: boolean }).__wrapped === true;
}

/** Replaces owner[name] with wrapper(original), once. Returns false when there was nothing to wrap. */
export function wrap<T extends object, K extends keyof T>(
  owner: T,
  name: K,
  wrapper: (original: T[K] & AnyFunction) => AnyFunction,
): boolean {
  const original = owner[name];
  if (typeof original !== 'function' || isWrapped(original)) return false;
  if (typeof (owner as { propertyIsEnumerable?: unknown }).propertyIsEnumerable === 'function') {
    shimmer.wrap(owner as any, name as string, wrapper as any);
  } else {
    // import-in-the-middle namespaces have no prototype (shimmer would throw): assign, and mark as shimmer does.
    const replacement = wrapper(original as T[K] & AnyFunction);
    for (const [key, value] of [['__original', original], ['__wrapped', true]] as const) {
      Object.defineProperty(replacement, key, { value, configurable: true, writable: true, enumerable: false });
    }
    owner[name] = replacement as T[K];
  }
  keepShape(owner[name] as unknown as AnyFunction, original as AnyFunction);
  return true;
}

/**
 * `wrapper` shows the `name` and `length` of `original`, the function it stands in for: libraries read
 * them (express tells error handlers by arity, routers print names). Returns `wrapper`.
 */
export function keepShape<W extends Function>(wrapper: W, original: Function): W {
  try {
    Object.defineProperty(wrapper, 'name', { value: original.name, configurable: true });
    Object.defineProperty(wrapper, 'length', { value: original.length, configurable: true });
  } catch {
    // Cosmetic only.
  }
  return wrapper;
}
