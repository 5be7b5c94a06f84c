import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobRunSummary, Scheduler } from '../../../src/jobs/scheduler-types.js';
import { statusData } from '../../../src/features/status/index.js';
import { openLowdbStore, type Store, type Subscription, type Tenant } from '../../../src/store/index.js';
import type { Caller } from '../../../src/teams/guards.js';
import { MAX_CARD_BYTES, createCardRenderer } from '../../../src/teams/cards.js';
import { expandStrict } from '../expand-strict.js';
import { cardBytes, readTemplate } from '../templates.js';

/** The status card with many tenants, 200 subscriptions each and long job errors stays under Teams' limit. */
const WS = 'ws-large';
const now = new Date('2025-03-04T06:00:00Z');
/** Realistic worst cases: Azure subscription names take 64 characters; AADSTS messages and job errors run to ~200. */
const long = (s: string, length = 200) => `${s} ${'x'.repeat(length)}`.slice(0, length);
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'status-large-'));
  store = await openLowdbStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function tenant(i: number): Tenant {
  const status = { state: 'revoked' as const, updatedAt: now.toISOString(), detail: long('AADSTS50173') };
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, workspaceId: WS, displayName: long(`Tenant ${i}`, 80), defaultDomain: `t${i}.example`,
    consentedBy: { aadObjectId: 'a', name: 'Megan Bowen' }, consentedAt: now.toISOString(),
    credentials: { azureConsent: status, graphConsent: status, clientSecret: status, delegatedRefreshToken: status, partnerCenterRefreshToken: status },
  };
}

function subscription(t: Tenant, i: number): Subscription {
  return {
    id: `${t.id}/sub-${i}`, workspaceId: WS, tenantId: t.id, subscriptionId: `sub-${i}`, displayName: long(`Subscription ${i}`, 64), state: 'Enabled',
    role: 'Reader', syncMode: i % 2 ? 'readTags' : 'noTags', roleAssignmentIds: [], lastSyncAt: now.toISOString(), lastSyncOutcome: 'partial',
  };
}

const scheduler = {
  lastRuns: async (): Promise<JobRunSummary[]> => ['m365.import', 'saas.discover', 'tags.sync', 'partner.refresh', 'health.check'].map((name) => ({
    name, jobs: 1, result: 'failed', failReason: long('boom'), failing: 1, lastRunAt: now, nextRunAt: now,
  })),
} as unknown as Scheduler;
const caller: Caller = { workspaceId: WS, aadObjectId: 'a', name: 'Megan Bowen', role: 'owner' };

async function statusCard(tenantCount: number) {
  const tenants = Array.from({ length: tenantCount }, (_, i) => tenant(i));
  for (const t of tenants) {
    await store.tenants.upsert(t);
    await store.subscriptions.bulkUpsert(Array.from({ length: 200 }, (_, i) => subscription(t, i)));
  }
  const data = await statusData({ store, scheduler, now: () => now }, caller, tenants);
  return { data, ...expandStrict(readTemplate('status'), data) };
}

test('one tenant with 200 subscriptions: the status card lists 10, counts the rest, and stays under 28 KB', async () => {
  const { data, card, problems } = await statusCard(1);
  expect(problems).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(JSON.stringify(card)).toContain('and 190 more');
  expect(createCardRenderer().expand('status', data)).toEqual(card);
});

test('many tenants with 200 subscriptions each: the status card shows as many as fit, counts the rest, and stays under 28 KB', async () => {
  const { card, problems } = await statusCard(20);
  expect(JSON.stringify(card)).toMatch(/20 connected tenants \(first \d shown\)/);
  expect(problems).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
});
