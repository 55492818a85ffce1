/**
 * Runs the listeners added to a server request or response in the request's
 * context, so code that reads the body through stream events (a body parser,
 * `request.pipe(busboy)`) or watches the response (`on-finished`) keeps the
 * server span and the tenant. The stream events themselves are emitted from
 * the connection's socket, outside any request.
 *
 * How: the add-listener methods of `IncomingMessage.prototype` and
 * `ServerResponse.prototype` are wrapped once, while telemetry runs. A
 * request the instrumentation measures carries its {@link ListenerBinding};
 * a listener added to it is wrapped in a function that runs it in the
 * binding's context *as it is when the event fires*, so the tenant the
 * middleware adds after the request started is seen too. Everything else
 * (client responses, requests that are not measured, listeners added before)
 * passes through unchanged. Per request this costs one property on each
 * stream, instead of patching the methods of every request and response.
 *
 * A wrapper keeps the listener it wraps as `.listener` (as Node's `once`
 * wrappers do), so `listeners()` shows the caller's own function and
 * `removeListener(listener)` finds the wrapper; only for Node's own `once`
 * wrappers, which remove themselves by their own identity, a per-stream map
 * finds our wrapper.
 */
import type { EventEmitter } from 'node:events';
import { context as otelContext } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

/** The context a measured request's listeners run in. */
export interface ListenerBinding {
  readonly context: Context;
}

type Listener = ((...args: unknown[]) => unknown) & { listener?: Listener };
type AddOrRemove = (this: EventEmitter, event: string | symbol, listener: Listener) => EventEmitter;

const BINDING = Symbol('sightline.listenerBinding');
const WRAPPERS = Symbol('sightline.listenerWrappers');
const ADD_METHODS = ['on', 'addListener', 'prependListener'] as const;
const REMOVE_METHODS = ['removeListener', 'off'] as const;

interface BoundStream {
  [BINDING]?: ListenerBinding;
  [WRAPPERS]?: WeakMap<Listener, Listener>;
}

/** Makes the listeners added to `stream` from now on run in `binding.context`. */
export function bindListeners(stream: object, binding: ListenerBinding): void {
  (stream as BoundStream)[BINDING] = binding;
}

function wrapperOf(stream: BoundStream, binding: ListenerBinding, listener: Listener): Listener {
  const wrapper: Listener = function (this: unknown, ...args: unknown[]) {
    return otelContext.with(binding.context, listener, this, ...args);
  };
  wrapper.listener = listener.listener ?? listener;
  // Node's `once` wrapper removes itself by its own identity, which the wrapper's `.listener` (the caller's function) does not match.
  if (listener.listener !== undefined) (stream[WRAPPERS] ??= new WeakMap()).set(listener, wrapper);
  return wrapper;
}

/**
 * Wraps the add- and remove-listener methods of `prototypes`; returns the
 * function that puts the originals back.
 */
export function patchListenerMethods(prototypes: readonly object[]): () => void {
  const restores = prototypes.flatMap((prototype) => {
    const methods = prototype as Record<string, AddOrRemove>;
    const patches: [string, AddOrRemove][] = [];
    for (const name of ADD_METHODS) {
      const add = methods[name]!;
      patches.push([
        name,
        function (this: EventEmitter & BoundStream, event, listener) {
          const binding = this[BINDING];
          if (binding === undefined || typeof listener !== 'function') return add.call(this, event, listener);
          return add.call(this, event, wrapperOf(this, binding, listener));
        },
      ]);
    }
    for (const name of REMOVE_METHODS) {
      const remove = methods[name]!;
      patches.push([
        name,
        function (this: EventEmitter & BoundStream, event, listener) {
          return remove.call(this, event, this[WRAPPERS]?.get(listener) ?? listener);
        },
      ]);
    }
    return patches.map(([name, patched]) => {
      const own = Object.getOwnPropertyDescriptor(prototype, name);
      methods[name] = patched;
      return () => {
        if (methods[name] !== patched) return;
        if (own === undefined) delete methods[name];
        else Object.defineProperty(prototype, name, own);
      };
    });
  });
  return () => {
    for (const restore of restores) restore();
  };
}
