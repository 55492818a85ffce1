import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { runListenersInContext } from '../src/http/core/request-listeners.ts';

const WHO = createContextKey('test.who');
const serverContext = ROOT_CONTEXT.setValue(WHO, 'server span');
const requestContext = serverContext.setValue(WHO, 'server span + tenant');

/** An emitter bound to the server context the way instrumentation-http binds `req`, then handed to the core. */
function requestStream(): EventEmitter {
  const stream = context.bind(serverContext, new EventEmitter());
  runListenersInContext(stream, requestContext);
  return stream;
}

function seen(): { readonly calls: unknown[]; readonly listener: (value: unknown) => void } {
  const calls: unknown[] = [];
  return { calls, listener: (value) => calls.push([value, context.active().getValue(WHO)]) };
}

describe('listeners added to a request stream after the middleware', () => {
  before(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  after(() => context.disable());

  for (const method of ['on', 'addListener', 'prependListener', 'once', 'prependOnceListener'] as const) {
    it(`${method}: runs the listener in the request context and removeListener/off still remove it`, () => {
      const stream = requestStream();
      const { calls, listener } = seen();
      assert.equal(stream[method]('data', listener), stream);
      assert.equal(stream.listenerCount('data'), 1);
      context.with(ROOT_CONTEXT, () => stream.emit('data', 1));
      assert.deepEqual(calls, [[1, 'server span + tenant']]);

      stream.removeListener('data', listener);
      assert.equal(stream.listenerCount('data'), 0);

      stream[method]('end', listener);
      stream.off('end', listener);
      assert.equal(stream.listenerCount('end'), 0);
      stream.emit('end', 2);
      assert.equal(calls.length, 1);
    });
  }

  it('runs a once listener once, with the emitter as `this` and every argument', () => {
    const stream = requestStream();
    const calls: unknown[] = [];
    stream.once('end', function (this: unknown, ...args: unknown[]) {
      calls.push([this === stream, args, context.active().getValue(WHO)]);
    });
    stream.emit('end', 'a', 'b');
    stream.emit('end', 'c');
    assert.deepEqual(calls, [[true, ['a', 'b'], 'server span + tenant']]);
  });

  it('keeps the same listener on two events apart when one is removed', () => {
    const stream = requestStream();
    const { calls, listener } = seen();
    stream.on('data', listener);
    stream.on('end', listener);
    stream.removeListener('data', listener);
    stream.emit('data', 1);
    stream.emit('end', 2);
    assert.deepEqual(calls, [[2, 'server span + tenant']]);
  });

  it('removeAllListeners, for one event or all, removes the bound listeners', () => {
    const stream = requestStream();
    const { calls, listener } = seen();
    stream.on('data', listener);
    stream.once('end', listener);
    stream.removeAllListeners('data');
    stream.emit('data', 1);
    assert.equal(stream.listenerCount('end'), 1);
    stream.removeAllListeners();
    stream.emit('end', 2);
    assert.deepEqual(calls, []);

    stream.on('data', listener);
    stream.emit('data', 3);
    stream.removeListener('data', listener);
    assert.equal(stream.listenerCount('data'), 0);
    assert.deepEqual(calls, [[3, 'server span + tenant']]);
  });

  it('leaves listeners added before the middleware in the context they were bound to', () => {
    const stream = context.bind(serverContext, new EventEmitter());
    const before = seen();
    stream.on('data', before.listener);
    runListenersInContext(stream, requestContext);
    const later = seen();
    stream.on('data', later.listener);
    stream.emit('data', 1);
    assert.deepEqual(before.calls, [[1, 'server span']]);
    assert.deepEqual(later.calls, [[1, 'server span + tenant']]);
  });

  it('binds listeners of a stream no instrumentation bound before', () => {
    const stream = new EventEmitter();
    runListenersInContext(stream, requestContext);
    const { calls, listener } = seen();
    stream.once('end', listener);
    context.with(ROOT_CONTEXT, () => stream.emit('end', 1));
    assert.deepEqual(calls, [[1, 'server span + tenant']]);
    stream.once('end', listener);
    stream.removeListener('end', listener);
    assert.equal(stream.listenerCount('end'), 0);
  });
});
