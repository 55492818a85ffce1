/**
 * The ES module loader hook that lets instrumentations patch modules an app
 * loads with `import` (CommonJS `require` is patched without it). It must be
 * registered before the app's own imports run, which is what
 * `node --import sightline/register` does.
 *
 * The hook (import-in-the-middle) wraps only the modules the curated
 * instrumentations patch ({@link HOOKED_MODULES}); every other module an app
 * imports loads as it would without telemetry, so startup does not pay for
 * rewriting modules nothing instruments.
 */
import { register } from 'node:module';

/**
 * The modules the curated instrumentations patch when they are imported
 * (`instrumentations.ts`): node:http and node:https, express, pg and
 * pg-pool, ioredis. undici is instrumented through diagnostics channels and
 * needs no hook. A test checks this list against the instrumentations' own
 * module definitions.
 */
export const HOOKED_MODULES: readonly string[] = Object.freeze(['http', 'https', 'express', 'pg', 'pg-pool', 'ioredis']);

const registeredKey = Symbol.for('sightline.telemetry.loaderHookRegistered');

/** Registers `@opentelemetry/instrumentation/hook.mjs` (import-in-the-middle) once per process, for {@link HOOKED_MODULES}. */
export function registerLoaderHook(): void {
  if (isLoaderHookRegistered()) return;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: [...HOOKED_MODULES] } });
  (globalThis as { [registeredKey]?: boolean })[registeredKey] = true;
}

/** Whether {@link registerLoaderHook} ran in this process. */
export function isLoaderHookRegistered(): boolean {
  return (globalThis as { [registeredKey]?: boolean })[registeredKey] === true;
}
