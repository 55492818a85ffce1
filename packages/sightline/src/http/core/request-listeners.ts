/**
 * Makes the listeners added to a Node.js request stream run in the request's
 * context (server span plus tenant), so code that reads the body through
 * stream events keeps its tenant.
 *
 * Why it is needed: OpenTelemetry's node:http instrumentation calls
 * `context.bind(serverSpanContext, request)` before any middleware runs, which
 * patches the request's add-listener methods so that every listener runs in
 * the server span's context, whatever context it was added from. The tenant
 * is added to the context later, by the middleware, and the context manager
 * binds an emitter only once (a second `context.bind(ctx, request)` returns
 * it unchanged). So a handler called from a `'data'`/`'end'` listener (a body
 * read by hand, `request.pipe(busboy)`, a parser that does not rebind its
 * callback) would run without `tenant.id` / `user.id`.
 *
 * How: the add-listener methods of this one request are replaced by methods
 * that bind each new listener to the request context with `context.bind` and
 * hand the bound function to the method they replaced (the instrumentation's,
 * which binds it once more to the server span). The binding closest to the
 * listener wins when it runs, so it sees the request context. A per-event
 * WeakMap from each listener to its bound function (one per listener and
 * event) lets `removeListener` / `off` find it; `removeAllListeners` forgets
 * the mapping with the listeners.
 */
import type { EventEmitter } from 'node:events';
import { context as otelContext } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

type Listener = (...args: unknown[]) => unknown;
type EventName = string | symbol;
type EmitterMethod = (this: EventEmitter, ...args: unknown[]) => unknown;

const ADD_METHODS = ['addListener', 'on', 'once', 'prependListener', 'prependOnceListener'] as const;
const REMOVE_METHODS = ['removeListener', 'off'] as const;
type PatchedMethod = (typeof ADD_METHODS)[number] | (typeof REMOVE_METHODS)[number] | 'removeAllListeners';

/**
 * From now on, runs every listener added to `stream` in `requestContext`.
 * Listeners added before are left as they are. Applied to the request object
 * only (own properties), so it ends with the request.
 */
export function runListenersInContext(stream: EventEmitter, requestContext: Context): void {
  const methods = stream as unknown as Record<PatchedMethod, EmitterMethod>;
  const boundListeners = new Map<EventName, WeakMap<Listener, Listener>>();
  // `once` and `prependOnceListener` add their one-time wrapper through `on` and
  // `prependListener`; that inner call must pass through unbound, or
  // `removeListener` could no longer recognise the wrapper.
  let delegating = false;

  for (const name of ADD_METHODS) {
    const add = methods[name];
    methods[name] = function (this: EventEmitter, event: unknown, listener: unknown) {
      if (delegating || typeof listener !== 'function') return add.call(this, event, listener);
      const byListener = boundListeners.get(event as EventName) ?? new WeakMap<Listener, Listener>();
      const bound = byListener.get(listener as Listener) ?? otelContext.bind(requestContext, listener as Listener);
      boundListeners.set(event as EventName, byListener.set(listener as Listener, bound));
      delegating = true;
      try {
        return add.call(this, event, bound);
      } finally {
        delegating = false;
      }
    };
  }
  for (const name of REMOVE_METHODS) {
    const remove = methods[name];
    methods[name] = function (this: EventEmitter, event: unknown, listener: unknown) {
      const bound = boundListeners.get(event as EventName)?.get(listener as Listener);
      return remove.call(this, event, bound ?? listener);
    };
  }
  const removeAll = methods.removeAllListeners;
  methods.removeAllListeners = function (this: EventEmitter, ...args: unknown[]) {
    if (args.length === 0) boundListeners.clear();
    else boundListeners.delete(args[0] as EventName);
    return removeAll.apply(this, args);
  };
}
