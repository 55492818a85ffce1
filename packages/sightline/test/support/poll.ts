/** Bounded polling for tests: wait on a real condition, never a fixed sleep. */

/** Polls `probe` until it returns a value other than `undefined`, for at most `timeoutMs` (default 10 s). */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves when `condition()` holds, polling for at most `timeoutMs` (default 10 s). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(what, async () => ((await condition()) ? true : undefined), timeoutMs);
}
