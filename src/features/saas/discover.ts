import type { GraphPage } from '../../microsoft/graph-pages.js';
import type { Logger } from '../../logging.js';
import { classifyMicrosoftError, type MicrosoftProblem } from '../../microsoft/errors.js';
import type { Sealer } from '../../security/sealer.js';
import type { Store } from '../../store/port.js';
import type { SaasApp, SaasDoctorResult, SaasRunSummary, SaasTask, SaasTaskRun, SsoAssignment } from '../../store/types.js';
import { CONCEALED_NAMES_REASON } from './anonymization.js';
import { hasSaas, saasCredentials, saasSecretOf, updateTenant, type SaasTenant } from './connection.js';
import { runDoctor } from './doctor.js';
import type { SaasAppCredentials, SaasGraph } from './graph.js';
import { discoverApps, ENTERPRISE_APPS_URL, type GraphServicePrincipal } from './import/app-discovery.js';
import type { ImportContext } from './import/context.js';
import { importHrRoster } from './import/hr-roster.js';
import { importSsoAccess } from './import/sso-access.js';
import { importSsoRoster, type RosterApp } from './import/sso-roster.js';
import { secretStatus, taskBlocker } from './status.js';
import { SAAS_TASKS } from './tasks.js';

export interface SaasRunDeps {
  store: Store;
  sealer: Sealer;
  logger: Logger;
  now: () => Date;
  /** Graph in the customer's tenant with its own app registration (the facade in production, the emulator in tests). */
  openGraph(app: SaasAppCredentials): SaasGraph;
}

export interface DiscoveryOutcome {
  tenant: SaasTenant;
  summary: SaasRunSummary;
  doctor: SaasDoctorResult;
  newApps: SaasApp[];
  lostAccess: SsoAssignment[];
  tokenProblem?: MicrosoftProblem;
}

/**
 * One `saas.discover` run for a tenant: the permissions doctor, then each selected task the doctor clears (a task
 * that lacks a permission or the P1 licence is skipped and said so; the others still run), then the tenant's record
 * is updated with the doctor's findings, the secret's state and the run summary. Resolves undefined when the tenant
 * has no SaaS connection (any more).
 */
export async function runSaasDiscovery(deps: SaasRunDeps, target: { workspaceId: string; tenantId: string }, touch?: () => Promise<void>): Promise<DiscoveryOutcome | undefined> {
  const tenant = await deps.store.tenants.get(target.workspaceId, target.tenantId);
  if (!hasSaas(tenant)) return undefined;
  const saas = tenant.saas;
  const startedAt = deps.now().toISOString();
  const credentials = saasCredentials(deps.sealer, tenant);
  const graph = deps.openGraph(credentials);
  const doctor = await runDoctor(graph, credentials, deps.now());
  const ctx: ImportContext = { graph, store: deps.store, workspaceId: tenant.workspaceId, tenantId: tenant.id, runAt: startedAt, touch };
  const runs: SaasTaskRun[] = [];
  let newApps: SaasApp[] = [];
  let lostAccess: SsoAssignment[] = [];
  let filter: string | undefined;
  let organization = saas.organization;
  let discovered: RosterApp[] | undefined;

  for (const task of SAAS_TASKS.filter((t) => saas.tasks.includes(t))) {
    const blocker = doctor.tokenProblem ? `no token: ${doctor.tokenProblem.message}` : taskBlocker(doctor.result, task);
    if (blocker) {
      runs.push({ task, state: 'skipped', detail: blocker });
      continue;
    }
    if (task === 'ssoAccess' && doctor.result.concealedNames === 'on') {
      runs.push({ task, state: 'skipped', detail: CONCEALED_NAMES_REASON });
      continue;
    }
    try {
      runs.push(await runTask(task));
    } catch (err) {
      const problem = classifyMicrosoftError(err);
      deps.logger.warn({ workspaceId: tenant.workspaceId, tenantId: tenant.id, task, problem: problem.message, status: problem.status }, 'saas task failed');
      runs.push({ task, state: 'failed', detail: problem.message });
    }
  }

  const done = runs.filter((r) => r.state === 'done').length;
  const summary: SaasRunSummary = {
    startedAt,
    finishedAt: deps.now().toISOString(),
    outcome: done === runs.length ? 'success' : done > 0 ? 'partial' : 'failure',
    tasks: runs,
    ...(filter ? { filter } : {}),
    newApps: newApps.length,
    lostAccess: lostAccess.length,
  };
  const saved = await updateTenant(deps.store, tenant.workspaceId, tenant.id, (t) => {
    if (!t.saas || t.saas.clientId !== saas.clientId) return undefined;
    t.saas = { ...t.saas, doctor: doctor.result, lastRun: summary, ...(organization ? { organization } : {}) };
    t.credentials = { ...t.credentials, saasClientSecret: secretStatus(saasSecretOf(t), doctor, deps.now()) };
    return t;
  }, deps.now);
  const latest = hasSaas(saved) ? saved : tenant;
  return { tenant: latest, summary, doctor: doctor.result, newApps, lostAccess, tokenProblem: doctor.tokenProblem };

  async function runTask(task: SaasTask): Promise<SaasTaskRun> {
    switch (task) {
      case 'hrRoster': {
        const r = await importHrRoster(ctx, { domains: saas.domains, includeGuests: saas.includeGuests });
        filter = r.filter;
        return { task, state: 'done', stored: r.stored, detail: `${r.filter}${r.removed ? ` ${r.removed} user(s) no longer listed were removed.` : ''}` };
      }
      case 'appDiscovery': {
        const r = await discoverApps(ctx);
        newApps = r.newApps;
        organization = r.organization ?? organization;
        discovered = r.apps.map((a) => ({ appId: a.appId, servicePrincipalId: a.servicePrincipalId, displayName: a.displayName }));
        return { task, state: 'done', stored: r.apps.length, detail: `${r.apps.length} enterprise app(s), ${r.newApps.length} new.` };
      }
      case 'ssoRoster': {
        const apps = discovered ?? (await listEnterpriseApps(graph));
        const r = await importSsoRoster(ctx, apps);
        lostAccess = r.lostAccess;
        await recordAssignmentCounts(deps.store, ctx, r.perApp);
        const failed = r.failed.map((f) => `${f.app.displayName}: ${classifyMicrosoftError(f.error).message}`);
        if (failed.length && failed.length === apps.length && apps.length > 0) throw r.failed[0].error;
        const deeper = r.notExpanded ? ` ${r.notExpanded} group(s) nested more than one level down were not expanded.` : '';
        return { task, state: 'done', stored: r.stored, detail: `${r.stored} user assignment(s) over ${r.perApp.size} app(s); ${r.lostAccess.length} lost access.${deeper}${failed.length ? ` Not read: ${failed.join('; ')}` : ''}` };
      }
      case 'ssoAccess': {
        const r = await importSsoAccess(ctx);
        return { task, state: 'done', stored: r.stored, detail: `${r.read} sign-in(s) read${r.since ? ` since ${r.since}` : ''}${r.resumed ? ' (an interrupted pass resumed)' : ''}; ${r.stored} last login(s) updated.` };
      }
    }
  }
}

/** The roster's apps when Application Discovery is not selected: read, not stored. */
async function listEnterpriseApps(graph: SaasGraph): Promise<RosterApp[]> {
  const apps: RosterApp[] = [];
  for (let url: string | undefined = ENTERPRISE_APPS_URL; url; ) {
    const page: GraphPage<GraphServicePrincipal> = await graph.page<GraphServicePrincipal>(url);
    apps.push(...page.value.map((sp) => ({ appId: sp.appId, servicePrincipalId: sp.id, displayName: sp.displayName || sp.appDisplayName || sp.appId })));
    url = page.nextLink;
  }
  return apps;
}

async function recordAssignmentCounts(store: Store, ctx: ImportContext, perApp: Map<string, number>): Promise<void> {
  for (const app of await store.saasApps.find(ctx.workspaceId, { tenantId: ctx.tenantId })) {
    const count = perApp.get(app.appId);
    if (count !== undefined && count !== app.assignmentCount) await store.saasApps.upsert({ ...app, assignmentCount: count });
  }
}
