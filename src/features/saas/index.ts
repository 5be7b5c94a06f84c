import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { rememberConversation } from '../../teams/conversations.js';
import { ensureWorkspace, refuse, requireCaller, requireOwned, requireRole, type Caller } from '../../teams/guards.js';
import { scheduleHealthCheck } from '../health/index.js';
import { appCard, appsCard, findApp } from './cards-apps.js';
import { connectFormCard, doctorCard } from './cards-setup.js';
import { connectSaas } from './connect.js';
import { hasSaas, saasCredentials, saasSecretOf, saasTenants, updateTenant, type SaasTenant } from './connection.js';
import { runDoctor } from './doctor.js';
import { runSaasJob, SAAS_JOB, saasRunDeps, scheduleSaasDiscovery, type SaasJobData } from './job.js';
import { secretStatus } from './status.js';
import { pickSaasTenant } from './pick-tenant.js';
import { parseConnectInput } from './validate.js';

export { runSaasJob, SAAS_JOB, type SaasJobData } from './job.js';
export { saasSecretSealContext } from './connection.js';

const REFUSED = 'Refused: see my message in this conversation.';
const CHECK = /^\s*saas\s+check(?:\s+(.+?))?\s*$/i;
const SYNC = /^\s*sync\s+saas(?:\s+(.+?))?\s*$/i;
const APPS = /^\s*apps(?:\s+(.+?))?\s*$/i;

/**
 * SaaS discovery (seed 003): `connect saas` (admins), `saas check` (the permissions doctor), `sync saas` (admins),
 * `apps` and `apps <name>`, the daily `saas.discover` job per tenant, and the card actions.
 */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'connect saas', description: 'Connect SaaS discovery with your own app registration (client ID, secret, tenant ID): HR roster, app discovery, SSO roster, SSO access.', audience: 'admins' },
    { usage: 'sync saas [tenant]', description: 'Run SaaS discovery now (it also runs daily); the summary is posted here.', audience: 'admins' },
    { usage: 'saas check [tenant]', description: 'Permissions doctor: each SaaS task OK, missing a permission (with the admin-consent link), or needing Entra ID P1.', audience: 'everyone' },
    { usage: 'apps [name]', description: 'Discovered SaaS apps, newest first; with a name, its roster and each user\'s last login.', audience: 'everyone' },
  );

  deps.scheduler.define<SaasJobData>(SAAS_JOB, async (data, ctx) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.tenantId !== 'string') throw new Error('saas.discover needs { workspaceId, tenantId }');
    const result = await runSaasJob(deps, data, () => ctx.touch(), undefined, ctx.jobId);
    if (result.status !== 'done') deps.logger.info({ job: SAAS_JOB, workspaceId: data.workspaceId, tenantId: data.tenantId, reason: result.reason }, 'saas discovery not run');
    // The default lock lifetime (10 min in production) is renewed after every stored page.
  }, { concurrency: 2, retry: { attempts: 2, backoffMs: 10 * 60_000 } });

  app.message(/^\s*connect\s+saas\s*$/i, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'saas.connect', { doing: 'connect SaaS discovery', allowBootstrap: true });
    if (!caller) return;
    await context.sendActivity({ attachments: [connectFormCard(deps.cards)] });
  });

  app.adaptiveCards.actionExecute<Record<string, unknown>>('saas.connect', async (context, _state, data) => {
    const caller = await requireRole(deps, context, 'admin', 'saas.connect', { doing: 'connect SaaS discovery', allowBootstrap: true });
    if (!caller) return REFUSED;
    return (await submitConnect(deps, context, caller, data ?? {})).content as AdaptiveCard;
  });

  app.message(CHECK, async (context) => {
    const caller = await requireCaller(deps, context, 'saas.check');
    if (!caller) return;
    const tenant = await pickTenant(deps, context, caller, CHECK, 'saas check <tenant>');
    if (tenant) await context.sendActivity({ attachments: [await checkTenant(deps, tenant)] });
  });

  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('saas.check', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'saas.check');
    const tenant = caller && (await ownedSaasTenant(deps, context, caller, data?.tenantId, 'saas.check'));
    if (!tenant) return REFUSED;
    return (await checkTenant(deps, tenant)).content as AdaptiveCard;
  });

  app.message(SYNC, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'saas.sync', { doing: 'start SaaS discovery' });
    if (!caller) return;
    const tenant = await pickTenant(deps, context, caller, SYNC, 'sync saas <tenant>');
    if (tenant) await context.sendActivity(await startSync(deps, context, tenant));
  });

  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('saas.sync', async (context, _state, data) => {
    const caller = await requireRole(deps, context, 'admin', 'saas.sync', { doing: 'start SaaS discovery' });
    const tenant = caller && (await ownedSaasTenant(deps, context, caller, data?.tenantId, 'saas.sync'));
    if (!tenant) return REFUSED;
    return startSync(deps, context, tenant);
  });

  app.message(APPS, async (context) => {
    const caller = await requireCaller(deps, context, 'saas.apps');
    if (!caller) return;
    const name = APPS.exec(context.activity.text ?? '')?.[1];
    const tenants = await saasTenants(deps.store, caller.workspaceId);
    if (!name) return void (await context.sendActivity({ attachments: [await appsCard(deps.cards, deps.store, caller.workspaceId, tenants)] }));
    const match = await findApp(deps.store, caller.workspaceId, tenants, name);
    if ('message' in match) return void (await context.sendActivity(match.message));
    await context.sendActivity({ attachments: [await appCard(deps.cards, deps.store, match.app, match.tenant)] });
  });

  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('saas.apps', async (context) => {
    const caller = await requireCaller(deps, context, 'saas.apps');
    if (!caller) return REFUSED;
    await context.sendActivity({ attachments: [await appsCard(deps.cards, deps.store, caller.workspaceId, await saasTenants(deps.store, caller.workspaceId))] });
    return 'The list of apps is below.';
  });
}

/** Validates the form, checks the credentials with Microsoft, saves, schedules, and answers with the doctor's card. */
async function submitConnect(deps: Deps, context: TurnContext, caller: Caller, data: Record<string, unknown>) {
  const parsed = parseConnectInput(data);
  const prefill = {
    clientId: typeof data.clientId === 'string' ? data.clientId.trim().slice(0, 64) : '',
    tenantId: typeof data.tenantId === 'string' ? data.tenantId.trim().slice(0, 64) : '',
    domains: typeof data.domains === 'string' ? data.domains.slice(0, 500) : '',
    includeGuests: parsed.ok ? parsed.value.includeGuests : data.includeGuests === 'yes',
    tasks: parsed.ok ? parsed.value.tasks : undefined,
  };
  if (!parsed.ok) return connectFormCard(deps.cards, prefill, parsed.errors);
  const input = parsed.value;
  if (!caller.workspace && input.tenantId !== caller.workspaceId) {
    // A first connect makes its author the owner, so it must be for this Teams organisation's own directory.
    await refuse(deps, context, caller, { action: 'saas.connect', reason: 'bootstrap with another tenant', message: 'This workspace has no admins yet. Its first connection must be to your own organisation\'s tenant (Directory ID of this Teams tenant), or an admin types `connect` first.' });
    return connectFormCard(deps.cards, prefill, ['Nothing was saved: see my message in this conversation.']);
  }
  const result = await connectSaas(saasRunDeps(deps), caller.workspaceId, { aadObjectId: caller.aadObjectId, name: caller.name }, input);
  if (!result.ok) return connectFormCard(deps.cards, prefill, [result.reason, 'Nothing was saved.'], 'Microsoft refused these credentials:');
  if (!caller.workspace) await ensureWorkspace(deps, caller.workspaceId, { aadObjectId: caller.aadObjectId, name: caller.name });
  await rememberConversation(deps.store, context, deps.now());
  await scheduleSaasDiscovery(deps, result.tenant);
  // The hourly health check watches the secret's expiry and state like any other credential.
  await scheduleHealthCheck(deps, result.tenant);
  return doctorCard(deps.cards, result.tenant, result.doctor.result, {
    authorityHost: deps.microsoft.endpoints.authorityHost,
    now: deps.now(),
    headline: `Connected: the secret is stored encrypted and will not be shown again. Discovery runs daily; type \`sync saas\` to run it now, and \`notify here saas\` in a channel to get its results there.`,
  });
}

/** Runs the doctor now and records what it found (doctor result, secret state). */
async function checkTenant(deps: Deps, tenant: SaasTenant) {
  const credentials = saasCredentials(deps.sealer, tenant);
  const doctor = await runDoctor(saasRunDeps(deps).openGraph(credentials), credentials, deps.now());
  const saved = await updateTenant(deps.store, tenant.workspaceId, tenant.id, (t) => {
    if (!t.saas || t.saas.clientId !== tenant.saas.clientId) return undefined;
    t.saas = { ...t.saas, doctor: doctor.result };
    t.credentials = { ...t.credentials, saasClientSecret: secretStatus(saasSecretOf(t), doctor, deps.now()) };
    return t;
  }, deps.now);
  return doctorCard(deps.cards, hasSaas(saved) ? saved : tenant, doctor.result, { authorityHost: deps.microsoft.endpoints.authorityHost, now: deps.now() });
}

async function startSync(deps: Deps, context: TurnContext, tenant: SaasTenant): Promise<string> {
  const conversation = await rememberConversation(deps.store, context, deps.now());
  await scheduleSaasDiscovery(deps, tenant);
  await deps.scheduler.now<SaasJobData>(SAAS_JOB, { workspaceId: tenant.workspaceId, tenantId: tenant.id, ...(conversation ? { requestedIn: conversation.id } : {}) });
  return `Discovering SaaS apps of **${tenant.displayName || tenant.id}** now (${tenant.saas.tasks.length} task(s)). The summary will be posted here when it is done.`;
}

async function pickTenant(deps: Deps, context: TurnContext, caller: Caller, command: RegExp, usage: string): Promise<SaasTenant | undefined> {
  const choice = await pickSaasTenant(deps.store, caller.workspaceId, command.exec(context.activity.text ?? '')?.[1], usage);
  if ('tenant' in choice) return choice.tenant;
  await context.sendActivity(choice.message);
  return undefined;
}

async function ownedSaasTenant(deps: Deps, context: TurnContext, caller: Caller, tenantId: unknown, action: string): Promise<SaasTenant | undefined> {
  const tenant = await requireOwned(deps, context, caller, 'tenants', tenantId, action);
  if (!tenant) return undefined;
  if (hasSaas(tenant)) return tenant;
  await context.sendActivity('That tenant is not connected for SaaS discovery: an admin types `connect saas`.');
  return undefined;
}
