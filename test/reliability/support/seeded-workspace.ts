/**
 * One workspace set up through Teams turns against a seeded emulator, the same way every time, so that two worlds
 * with the same seed start the reliability runs from the same state: Adele connected (Reader on her subscriptions),
 * the General channel subscribed to every topic, one subscription in each tag mode with pending tag edits on the
 * Read and Write one, SaaS discovery connected with all four tasks, and the CSP partner link (customers imported as
 * tenants reached through the double hop).
 */
import { connectAs } from '../../consent/support.js';
import { teamInstall } from '../../support/activities.js';
import { authorizeUrlOf, startWorld, type World, type WorldOptions } from '../../support/world.js';
import { forceMode, inChannel } from '../../subscriptions/support.js';
import { runTagSync } from '../../../src/features/tags/index.js';
import type { Subscription } from '../../../src/store/types.js';

/** A job run the reliability suites compare: its name and data, as the scheduler would get them. */
export interface JobRun {
  name: 'm365.import' | 'saas.discover' | 'tags.sync' | 'partner.refresh' | 'health.check';
  data: { workspaceId: string; tenantId: string; subscriptionId?: string };
}

/** Tag edits queued on the Read and Write subscription: Merges on fresh names, and Deletes of tags Azure holds. */
export const EDIT_COUNT = { merge: 6, delete: 3 };

export interface SeededWorkspace {
  world: World;
  workspaceId: string;
  /** Subscriptions by mode. */
  subs: { readWrite: Subscription; readOnly: Subscription; noTags: Subscription };
  /** Every run of every job that the stored tenants and subscriptions call for, in a fixed order. */
  jobs: JobRun[];
}

/**
 * Starts a world (emulator, connector, in-process bot on `dataDir` when given) and sets the workspace up. The caller
 * closes the world (or only its bot, to hand the data dir to a bot process).
 */
export async function seededWorkspace(opts: { emulator: WorldOptions['emulator']; dataDir?: string }): Promise<SeededWorkspace> {
  const world = await startWorld({
    emulator: opts.emulator,
    env: opts.dataDir ? { DATA_DIR: opts.dataDir } : {},
    // Short locks and quick polls: Agenda keeps a lockLifetime/2 timer after each run, which would hold jest open.
    scheduler: { processEvery: 100, defaultLockLifetime: 2000 },
  });
  try {
    return await setUp(world);
  } catch (err) {
    await world.close();
    throw err;
  }
}

async function setUp(w: World): Promise<SeededWorkspace> {
  const { adele, alex, megan } = w.people;
  const store = w.bot.deps.store;
  const sp = w.emulator.world.demoApp.servicePrincipalIdIn(w.workspaceId);
  await connectAs(w, adele);
  const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
  await store.workspaces.upsert({ ...ws, admins: [...ws.admins, ...[alex, megan].map((p) => ({ aadObjectId: p.aadObjectId, name: p.name, role: 'admin' as const }))] });
  await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId }));
  expectText(await inChannel(w, adele, 'notify here'), 'health');

  const sorted = await store.subscriptions.find(w.workspaceId, {}, { sort: { field: 'displayName', dir: 1 } });
  if (sorted.length < 3) throw new Error(`the seeded tenant has ${sorted.length} subscriptions; the suites need 3`);
  const readWrite = await forceMode({ ...w, sp }, sorted[0], 'readWriteTags');
  const readOnly = await forceMode({ ...w, sp }, sorted[1], 'readTags');
  const noTags = await forceMode({ ...w, sp }, sorted[2], 'noTags');

  // Edits are asked for against resources read from Azure, so the Read and Write subscription is listed once first.
  await runTagSync(w.bot.deps, { workspaceId: w.workspaceId, tenantId: readWrite.tenantId, subscriptionId: readWrite.subscriptionId });
  const resources = await store.resources.find(w.workspaceId, { subscriptionId: readWrite.subscriptionId }, { sort: { field: 'armId', dir: 1 } });
  for (const r of resources.slice(0, EDIT_COUNT.merge)) expectText(await w.say(adele, `tag ${r.armId} steward=reliability "edit of"=${r.name}`), 'Queued');
  const tagged = resources.filter((r) => Object.keys(r.tags ?? {}).length > 0).slice(-EDIT_COUNT.delete);
  if (tagged.length < EDIT_COUNT.delete) throw new Error('too few tagged resources for the Delete edits');
  for (const r of tagged) expectText(await w.say(adele, `untag ${r.armId} ${JSON.stringify(Object.keys(r.tags!)[0])}`), 'Queued');

  expectText(await w.say(adele, 'connect saas'), 'New registration');
  const saas = await w.click('saas.connect', {
    clientId: w.emulator.demoApp.clientId, clientSecret: w.emulator.demoApp.clientSecret, tenantId: w.emulator.homeTenantId, domains: '', includeGuests: '',
    task_hrRoster: 'true', task_appDiscovery: 'true', task_ssoRoster: 'true', task_ssoAccess: 'true',
  }, adele);
  if (!JSON.stringify(saas.body).includes('Connected: the secret is stored encrypted')) throw new Error(`connect saas failed: ${JSON.stringify(saas.body).slice(0, 500)}`);

  const partnerId = w.emulator.world.partner.tenantId;
  const asked = await w.say(adele, `connect partner ${partnerId}`);
  const from = w.connector.activities.length;
  const page = await w.completeSignIn(authorizeUrlOf(asked.card), adele.upn, { forOrganization: true });
  if (!page.html.includes('Partner Center linked')) throw new Error(`connect partner failed: ${page.html.slice(0, 500)}`);
  await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && JSON.stringify(a.body).includes('Partner Center is linked'));

  return { world: w, workspaceId: w.workspaceId, subs: { readWrite, readOnly, noTags }, jobs: await jobRuns(w) };
}

/** The runs the daily jobs would make for what is stored: ordered, so two worlds list them alike. */
async function jobRuns(w: World): Promise<JobRun[]> {
  const store = w.bot.deps.store;
  const tenants = (await store.tenants.find(w.workspaceId)).sort((a, b) => a.id.localeCompare(b.id));
  const subs = (await store.subscriptions.find(w.workspaceId)).sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  const key = (t: { workspaceId: string; id: string }) => ({ workspaceId: t.workspaceId, tenantId: t.id });
  return [
    ...tenants.filter((t) => t.credentials.graphConsent || t.credentials.azureConsent || t.partnerCenter?.role === 'customer').map((t): JobRun => ({ name: 'm365.import', data: key(t) })),
    ...tenants.filter((t) => t.saas).map((t): JobRun => ({ name: 'saas.discover', data: key(t) })),
    ...subs.map((s): JobRun => ({ name: 'tags.sync', data: { workspaceId: s.workspaceId, tenantId: s.tenantId, subscriptionId: s.subscriptionId } })),
    ...tenants.filter((t) => t.credentials.partnerCenterRefreshToken).map((t): JobRun => ({ name: 'partner.refresh', data: key(t) })),
    ...tenants.map((t): JobRun => ({ name: 'health.check', data: key(t) })),
  ];
}

function expectText(turn: { text: string }, needle: string): void {
  if (!turn.text.includes(needle)) throw new Error(`expected the reply to contain "${needle}": ${turn.text.slice(0, 500)}`);
}
