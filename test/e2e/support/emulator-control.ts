/**
 * The emulator's control API over HTTPS (emulator/README.md): the record of writes made to "Microsoft" and scripted
 * events. Node trusts the emulator's CA through NODE_EXTRA_CA_CERTS (`npm run test:e2e` sets it).
 */
export interface EmulatorWrite {
  seq: number;
  kind: string;
  method: string;
  path: string;
  principal: { tenantId?: string; oid?: string; appId?: string };
  detail: Record<string, unknown>;
  status: number;
}

export class EmulatorControl {
  constructor(private readonly origin: string) {}

  async writes(kind?: string): Promise<EmulatorWrite[]> {
    const res = await fetch(`${this.origin}/_emulator/writes${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`);
    if (!res.ok) throw new Error(`GET /_emulator/writes answered ${res.status}`);
    return ((await res.json()) as { value: EmulatorWrite[] }).value;
  }

  /** Runs a scripted event, e.g. `revokeUserRefreshTokens(tenantId, upn)`. */
  async event(name: string, ...args: unknown[]): Promise<unknown> {
    const res = await fetch(`${this.origin}/_emulator/events/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const body = (await res.json()) as { ok: boolean; result?: unknown; error?: unknown };
    if (!res.ok || !body.ok) throw new Error(`POST /_emulator/events/${name} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return body.result;
  }
}
