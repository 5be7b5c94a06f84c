import type { EmulatorState, FaultSettings, RequestRecord, WriteRecord } from '../state.js';
import type { GraphUser, SignIn, World } from '../world/types.js';

/** The core's scripted events and inspection: faults, logs, clock, tenant switches, directory changes. */
export interface CoreControl {
  faults(): FaultSettings;
  /** Changes some fault settings at run time; returns the full settings now in force. */
  setFaults(patch: Partial<FaultSettings>): FaultSettings;
  /** Every write made to "Microsoft", oldest first; optionally only one kind (e.g. 'roleAssignment.create'). */
  writes(kind?: string): WriteRecord[];
  /** The request log (bounded ring), oldest first; optionally only one service. */
  requests(service?: string): RequestRecord[];
  clearLogs(): void;
  /** The emulator's clock (ms). */
  now(): number;
  /** Moves the emulator clock forward (or back, with a negative value); returns the new time as ISO 8601. */
  advanceClock(ms: number): string;
  /** Tenant report setting "display concealed user, group, and site names in all reports". */
  setConcealedNames(tenantId: string, on: boolean): void;
  /** A Conditional Access policy that blocks user sign-ins and refreshes in the tenant (AADSTS53003). */
  setConditionalAccessBlock(tenantId: string, on: boolean): void;
  addUsers(tenantId: string, count: number, opts?: { licensed?: boolean }): GraphUser[];
  updateUser(tenantId: string, id: string, patch: Partial<GraphUser>): GraphUser;
  removeUser(tenantId: string, id: string): void;
  addSignIns(tenantId: string, signIns: Partial<SignIn>[]): SignIn[];
}

export function makeCoreControl(state: EmulatorState, world: World): CoreControl {
  const tenant = (tenantId: string) => {
    if (!world.tenant(tenantId)) throw new Error(`unknown tenant ${tenantId}`);
    return tenantId;
  };
  return {
    faults: () => ({ ...state.faults }),
    setFaults(patch) {
      for (const [k, v] of Object.entries(patch)) {
        if (!(k in state.faults)) throw new Error(`unknown fault setting ${k}`);
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`fault setting ${k} must be a non-negative number`);
        if (k.endsWith('Rate') && v > 1) throw new Error(`fault setting ${k} is a probability (0..1)`);
      }
      state.faults = { ...state.faults, ...patch };
      return { ...state.faults };
    },
    writes: (kind) => (kind ? state.writes.filter((w) => w.kind === kind) : [...state.writes]),
    requests: (service) => (service ? state.requests.filter((r) => r.service === service) : [...state.requests]),
    clearLogs() {
      state.writes.length = 0;
      state.requests.length = 0;
    },
    now: () => state.now(),
    advanceClock(ms) {
      if (!Number.isFinite(ms)) throw new Error('advanceClock needs a number of milliseconds');
      state.clockOffsetMs += ms;
      return new Date(state.now()).toISOString();
    },
    setConcealedNames(tenantId, on) {
      if (on) state.concealedNames.add(tenant(tenantId));
      else state.concealedNames.delete(tenant(tenantId));
    },
    setConditionalAccessBlock(tenantId, on) {
      if (on) state.conditionalAccessBlocked.add(tenant(tenantId));
      else state.conditionalAccessBlocked.delete(tenant(tenantId));
    },
    addUsers: (tenantId, count, opts) => world.addUsers(tenant(tenantId), count, opts),
    updateUser: (tenantId, id, patch) => world.updateUser(tenant(tenantId), id, patch),
    removeUser: (tenantId, id) => world.removeUser(tenant(tenantId), id),
    addSignIns: (tenantId, signIns) => world.addSignIns(tenant(tenantId), signIns),
  };
}
