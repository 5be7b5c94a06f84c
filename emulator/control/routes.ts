import { json, type Ctx, type Reply, type Router } from '../http/router.js';
import type { FaultSettings } from '../state.js';
import type { CoreControl } from './core.js';

/** Functions that are inspection, not events: not callable through POST /_emulator/events/{name}. */
const NOT_EVENTS = new Set(['writes', 'requests', 'faults']);

function badRequest(message: string): Reply {
  return json(400, { error: { code: 'BadRequest', message } });
}

function body(ctx: Ctx): unknown {
  return ctx.rawBody.length ? ctx.json() : undefined;
}

/**
 * The inspection and control API, the same on every service's origin (no auth: a loopback test hook):
 *   GET  /_emulator/writes[?kind=]      writes made to "Microsoft"
 *   GET  /_emulator/requests[?service=] request log
 *   GET  /_emulator/faults              fault settings in force
 *   POST /_emulator/faults              change fault settings (JSON, partial FaultSettings)
 *   GET  /_emulator/events              names of scripted events
 *   POST /_emulator/events/{name}       run one: body {"args": [...]} (positional arguments of control[name])
 */
export function registerControlRoutes(router: Router, control: CoreControl & Record<string, unknown>): void {
  router.add('control', 'GET', /^\/_emulator\/writes\/?$/, (ctx) => json(200, { value: control.writes(ctx.query.get('kind') ?? undefined) }));
  router.add('control', 'GET', /^\/_emulator\/requests\/?$/, (ctx) => json(200, { value: control.requests(ctx.query.get('service') ?? undefined) }));
  router.add('control', 'GET', /^\/_emulator\/faults\/?$/, () => json(200, control.faults()));
  router.add('control', 'POST', /^\/_emulator\/faults\/?$/, (ctx) => {
    try {
      const patch = body(ctx);
      if (!patch || typeof patch !== 'object' || Array.isArray(patch)) return badRequest('Send a JSON object of fault settings.');
      return json(200, control.setFaults(patch as Partial<FaultSettings>));
    } catch (e) {
      return badRequest((e as Error).message);
    }
  });
  router.add('control', 'GET', /^\/_emulator\/events\/?$/, () => json(200, { value: eventNames(control) }));
  router.add('control', 'POST', /^\/_emulator\/events\/(?<name>[A-Za-z][A-Za-z0-9]*)$/, async (ctx) => {
    const name = ctx.params.name;
    const fn = control[name];
    if (typeof fn !== 'function' || NOT_EVENTS.has(name)) return json(404, { error: { code: 'UnknownEvent', message: `No event '${name}'. Known: ${eventNames(control).join(', ')}.` } });
    try {
      const b = body(ctx);
      const args = Array.isArray(b) ? b : b && typeof b === 'object' && Array.isArray((b as { args?: unknown }).args) ? (b as { args: unknown[] }).args : [];
      const result: unknown = await (fn as (...a: unknown[]) => unknown).apply(control, args);
      return json(200, { ok: true, result: result === undefined ? null : result });
    } catch (e) {
      return badRequest((e as Error).message);
    }
  });
}

export function eventNames(control: Record<string, unknown>): string[] {
  return Object.keys(control)
    .filter((k) => typeof control[k] === 'function' && !NOT_EVENTS.has(k))
    .sort();
}
