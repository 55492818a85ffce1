/**
 * The ES module loader hook that lets instrumentations patch modules an app
 * loads with `import` (CommonJS `require` is patched without it). It must be
 * registered before the app's own imports run, which is what
 * `node --import sightline/register` does.
 */
import { register } from 'node:module';

const registeredKey = Symbol.for('sightline.telemetry.loaderHookRegistered');

/** Registers `@opentelemetry/instrumentation/hook.mjs` (import-in-the-middle) once per process. */
export function registerLoaderHook(): void {
  if (isLoaderHookRegistered()) return;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  (globalThis as { [registeredKey]?: boolean })[registeredKey] = true;
}

/** Whether {@link registerLoaderHook} ran in this process. */
export function isLoaderHookRegistered(): boolean {
  return (globalThis as { [registeredKey]?: boolean })[registeredKey] === true;
}
