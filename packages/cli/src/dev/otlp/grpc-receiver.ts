/**
 * OTLP/gRPC: the `TraceService`, `LogsService` and `MetricsService` Export
 * calls (gzip or not; grpc-js handles the message encoding). The request
 * bytes go through the same protobuf decoder as OTLP/HTTP; a malformed
 * request gets INVALID_ARGUMENT with the reason and is counted.
 */
import * as grpc from '@grpc/grpc-js';
import { asRequestError } from '../ingest.ts';
import type { Ingest } from '../ingest.ts';
import { decodeProtobuf, emptyResponse, SIGNAL_SERVICES } from './wire.ts';
import type { Signal } from './wire.ts';

/** A running gRPC receiver. */
export interface GrpcReceiver {
  readonly port: number;
  close(): Promise<void>;
}

const passThrough = (bytes: Buffer): Buffer => bytes;

/** Starts the receiver on `host:port` (0 for any free port). */
export async function startGrpcReceiver(host: string, port: number, ingest: Ingest): Promise<GrpcReceiver> {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': ingest.maxBodyBytes });
  for (const signal of Object.keys(SIGNAL_SERVICES) as Signal[]) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path: `/${SIGNAL_SERVICES[signal].service}/Export`,
        requestStream: false,
        responseStream: false,
        requestSerialize: passThrough,
        requestDeserialize: passThrough,
        responseSerialize: passThrough,
        responseDeserialize: passThrough,
      },
    };
    server.addService(definition, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        try {
          ingest.accept(signal, decodeProtobuf(signal, call.request));
          callback(null, Buffer.from(emptyResponse(signal)));
        } catch (caught) {
          const error = asRequestError(caught);
          ingest.reject(error, signal, 'grpc');
          callback({ code: grpc.status.INVALID_ARGUMENT, details: error.message });
        }
      },
    });
  }
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, grpc.ServerCredentials.createInsecure(), (error, actual) => {
      if (error === null) resolve(actual);
      else reject(error);
    });
  });
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1000).unref();
      })),
  };
}
