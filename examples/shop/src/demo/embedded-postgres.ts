/**
 * The demo's default database: PostgreSQL compiled to WebAssembly (PGlite),
 * in memory, served on a loopback port by its socket server, so the shop's
 * real `pg` client and the pg instrumentation run unchanged and nothing needs
 * installing. `DATABASE_URL` points the demo at a real PostgreSQL instead.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres extends AsyncDisposable {
  /** A `postgres://` URL for `pg`. */
  readonly url: string;
  /** Stops the server and the database; idempotent. */
  close(): Promise<void>;
}

/** Starts an in-memory PostgreSQL on 127.0.0.1 and a free port, accepting `maxConnections` clients. */
export async function startEmbeddedPostgres(maxConnections: number): Promise<EmbeddedPostgres> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await server.stop();
      await db.close();
    })());
  return { url: `postgres://postgres@${server.getServerConn()}/postgres`, close, [Symbol.asyncDispose]: close };
}
