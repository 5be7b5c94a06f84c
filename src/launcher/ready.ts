import { createServer } from 'node:net';
import { describeExit, type ManagedChild } from './child.js';

/**
 * Polls the bot's `/readyz` until it answers `{"status":"ready"}`. Fails early, with the reason, if the process
 * exits first, and after `timeoutMs` otherwise.
 */
export async function waitForReady(baseUrl: string, child: ManagedChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`The bot exited during start-up (${describeExit(await child.exited)}); see its output above.`);
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json().catch(() => ({}))) as { status?: string };
      if (res.ok && body.status === 'ready') return;
      last = `HTTP ${res.status} ${JSON.stringify(body)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await Promise.race([new Promise((r) => setTimeout(r, 200)), child.exited]);
  }
  throw new Error(`The bot was not ready at ${baseUrl}/readyz within ${timeoutMs / 1000} s (last: ${last}).`);
}

/** True when nothing listens on host:port, so that a busy port gets a clear message instead of a crashed child. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}
