import { authorizeUrlOf, type TurnResult, type World } from '../../support/world.js';
import { clickInChannel, connectedWorld, inChannel, invokeCard, openUrlOf, CHANNEL } from '../../subscriptions/support.js';
import { runPartnerRefresh } from '../../../src/features/partner/index.js';
import { runHealthCheck } from '../../../src/features/health/index.js';
import { createMicrosoftProbes } from '../../../src/features/health/probes.js';
import type { Subscription } from '../../../src/store/types.js';

export type DemoWorld = World & { sp: string; subs: Subscription[] };

/** What the demo run showed users besides the messages the connector captured: invoke answers and callback pages. */
export interface DemoRun {
  w: DemoWorld;
  /** Every invoke answer (cards returned to Action.Execute) and every page /auth/callback served, as text. */
  shown: string[];
  /** What each step achieved, so a broken step fails here rather than passing a scan of nothing. */
  steps: Record<string, boolean>;
  /** The SaaS connection's client secret (a second secret of the app registration, made for this run). */
  saasSecret: string;
}

const text = (a: { body: Record<string, any> }) => `${a.body.text ?? ''}${JSON.stringify(a.body.attachments ?? '')}`;

/**
 * The demo, end to end over HTTP against the emulator: connect (consent), subscriptions, Read and Write Tags
 * approved by a second admin who signs in, tags sync with a tag written, sync m365, connect saas with its own client
 * secret and sync saas, connect partner, the nightly partner refresh, a health check; then the failures that
 * carry secrets in their requests: a revoked refresh token, an expired client secret under SaaS discovery.
 */
export async function runDemo(): Promise<DemoRun> {
  const w = await connectedWorld();
  const shown: string[] = [];
  const steps: Record<string, boolean> = { connect: (await w.bot.deps.store.tenants.count(w.workspaceId)) === 1 };
  const keep = (r: TurnResult) => (shown.push(JSON.stringify(r.body ?? '')), r);
  const page = (p: { html: string; status: number }) => (shown.push(p.html), p);
  const since = (from: number, needle: string) => (a: { body: Record<string, any> }) => w.connector.activities.indexOf(a as never) >= from && text(a).includes(needle);
  const { adele, alex } = w.people;
  try {
    steps.subscriptions = (await w.say(adele, 'subscriptions')).replies.length > 0;

    // Read and Write Tags on a subscription Alex owns: Adele asks, Alex approves and signs in as its Owner.
    const alexOwns = w.emulator.world.azureSubscriptions(w.workspaceId).filter((s) => s.ownerIds.includes(alex.aadObjectId)).map((s) => s.subscriptionId);
    const sub = w.subs.find((s) => alexOwns.includes(s.subscriptionId))!;
    keep(await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'readWriteTags' }, adele));
    const approval = (await w.bot.deps.store.approvals.find(w.workspaceId, { subscriptionId: sub.subscriptionId }))[0];
    const channelCopy = approval.cards!.find((c) => c.conversationId === CHANNEL)!;
    const approved = invokeCard(keep(await clickInChannel(w, 'approval.approve', { approvalId: approval.id }, alex, channelCopy.activityId)));
    const roleChange = page(await w.completeSignIn(openUrlOf(approved), alex.upn));
    steps.approval = roleChange.status === 200 && (await w.bot.deps.store.subscriptions.get(w.workspaceId, sub.id))?.role === 'Tag Contributor';

    // Tags: a sync, a tag queued, a second sync that writes it.
    const syncTags = async () => {
      const from = w.connector.activities.length;
      keep(await inChannel(w, adele, `sync tags ${sub.subscriptionId}`));
      await w.waitForMessage(since(from, 'Tag sync:'), 20_000);
    };
    await syncTags();
    const [target] = await w.bot.deps.store.resources.find(w.workspaceId, { subscriptionId: sub.subscriptionId });
    keep(await w.say(adele, `tag ${target.armId} owner=finance`));
    await syncTags();
    steps.tags = w.emulator.control.writes('tags.patch').length === 1;

    let from = w.connector.activities.length;
    keep(await w.say(adele, 'sync m365'));
    await w.waitForMessage(since(from, 'Microsoft 365 import:'), 20_000);
    steps.m365 = (await w.bot.deps.store.directoryUsers.count(w.workspaceId)) > 0;

    // SaaS with a second secret of the app registration, as a customer would paste it.
    const saasSecret = w.emulator.control.addClientSecret().secret;
    const form = { clientId: w.emulator.demoApp.clientId, clientSecret: saasSecret, tenantId: w.emulator.homeTenantId, domains: '', includeGuests: '', task_hrRoster: 'true', task_appDiscovery: 'true', task_ssoRoster: 'true', task_ssoAccess: 'true' };
    const connected = keep(await w.click('saas.connect', form, adele));
    steps.saasConnect = JSON.stringify(connected.body).includes('Connected: the secret is stored encrypted');
    from = w.connector.activities.length;
    keep(await w.say(adele, 'sync saas'));
    await w.waitForMessage(since(from, 'SaaS discovery:'), 20_000);
    steps.saasSync = (await w.bot.deps.store.saasApps.count(w.workspaceId)) > 0;

    // Partner Center: link, customers, one nightly refresh (a new refresh token, stored sealed).
    const partnerId = w.emulator.world.partner.tenantId;
    const link = keep(await w.say(adele, `connect partner ${partnerId}`));
    from = w.connector.activities.length;
    page(await w.completeSignIn(authorizeUrlOf(link.card), adele.upn, { forOrganization: true }));
    await w.waitForMessage(since(from, 'Partner Center is linked'));
    keep(await w.say(adele, 'customers'));
    const refreshed = await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    steps.partner = refreshed.status === 'refreshed';

    const health = await runHealthCheck(w.bot.deps, createMicrosoftProbes(w.bot.deps.config, w.bot.deps.logger), { workspaceId: w.workspaceId, tenantId: w.workspaceId });
    steps.health = health !== undefined;
    keep(await w.say(adele, 'status'));

    // Failures are where secrets leak in practice (an error that carries the request it failed on): provoke some.
    w.emulator.control.advanceClock(1000);
    w.emulator.control.revokeUserRefreshTokens(w.workspaceId, adele.upn);
    const revoked = await runHealthCheck(w.bot.deps, createMicrosoftProbes(w.bot.deps.config, w.bot.deps.logger), { workspaceId: w.workspaceId, tenantId: w.workspaceId });
    w.emulator.control.expireClientSecret();
    from = w.connector.activities.length;
    keep(await w.say(adele, 'sync saas'));
    await w.waitForMessage(since(from, 'AADSTS7000222'), 20_000);
    steps.failures = JSON.stringify(revoked).includes('revoked');
    return { w, shown, steps, saasSecret };
  } catch (err) {
    await w.close();
    throw err;
  }
}
