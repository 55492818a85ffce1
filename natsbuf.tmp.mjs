import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
const nc = await connect({ servers: 'nats://127.0.0.1:4222' });
const jsm = await jetstreamManager(nc); const js = jetstream(nc);
const stream = `BUFTEST_${process.pid}`;
await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
await jsm.consumers.add(stream, { durable_name: 'c', ack_policy: AckPolicy.Explicit, max_ack_pending: 1000 });
for (let i = 0; i < 200; i++) await js.publish(`${stream}.x`, 'hi');
const c = await js.consumers.get(stream, 'c');
const msgs = await c.consume({ max_messages: Number(process.argv[2]) });
const it = msgs[Symbol.asyncIterator]();
const first = await it.next(); // take one, then stall
await new Promise(r => setTimeout(r, 1500));
const info = await jsm.consumers.info(stream, 'c');
console.log('max_messages', process.argv[2], 'ack_pending while stalled:', info.num_ack_pending, 'pending:', info.num_pending);
await msgs.close(); await jsm.streams.delete(stream); await nc.close();
