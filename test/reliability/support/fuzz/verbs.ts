/**
 * Every Action.Execute verb the bot handles (grep `actionExecute(` in src/features and `"verb"` in cards/), with the
 * card-data fields each one reads and what a *valid* value of that field would be. `validFor` says who may send
 * all-valid data without changing anything: the fuzz must only send hostile input, so a verb that changes state for an
 * admin never gets valid data from one (approving a real approval is not an attack, it is the feature).
 */
export type IdSource = 'tenants' | 'subscriptions' | 'approvals' | 'consentStates';
export type FieldKind = IdSource | 'page' | 'mode' | 'token' | 'form';

export interface VerbSpec {
  verb: string;
  fields: Record<string, FieldKind>;
  /** 'anyone': read-only; 'nonAdmins': admins-only action (others are refused); 'nobody': changes state for anyone allowed. */
  validFor: 'anyone' | 'nonAdmins' | 'nobody';
}

export const VERBS: VerbSpec[] = [
  { verb: 'help', fields: {}, validFor: 'anyone' },
  { verb: 'status', fields: {}, validFor: 'anyone' },
  { verb: 'security', fields: {}, validFor: 'anyone' },
  { verb: 'tokenCheck', fields: { token: 'token' }, validFor: 'anyone' },
  { verb: 'status.tenant', fields: { tenantId: 'tenants' }, validFor: 'anyone' },
  { verb: 'subscriptions.page', fields: { page: 'page' }, validFor: 'anyone' },
  { verb: 'subscriptions.modes', fields: { subscriptionId: 'subscriptions' }, validFor: 'anyone' },
  { verb: 'subscriptions.setMode', fields: { subscriptionId: 'subscriptions', mode: 'mode' }, validFor: 'nonAdmins' },
  { verb: 'approval.view', fields: { approvalId: 'approvals' }, validFor: 'anyone' },
  { verb: 'approval.approve', fields: { approvalId: 'approvals' }, validFor: 'nonAdmins' },
  { verb: 'approval.reject', fields: { approvalId: 'approvals' }, validFor: 'nonAdmins' },
  { verb: 'approval.signin', fields: { approvalId: 'approvals' }, validFor: 'nonAdmins' },
  { verb: 'licences.page', fields: { tenantId: 'tenants', page: 'page' }, validFor: 'anyone' },
  { verb: 'partner.relink', fields: { tenantId: 'tenants' }, validFor: 'nonAdmins' },
  { verb: 'connect', fields: { tenantId: 'tenants' }, validFor: 'nonAdmins' },
  { verb: 'consent.cancel', fields: { consentId: 'consentStates' }, validFor: 'nobody' },
  { verb: 'saas.connect', fields: { clientId: 'form', clientSecret: 'form', tenantId: 'form', domains: 'form', includeGuests: 'form', task_hrRoster: 'form' }, validFor: 'nobody' },
  // The doctor records what it found on the tenant, so even a viewer's valid check changes a record.
  { verb: 'saas.check', fields: { tenantId: 'tenants' }, validFor: 'nobody' },
  { verb: 'saas.sync', fields: { tenantId: 'tenants' }, validFor: 'nonAdmins' },
  { verb: 'saas.apps', fields: { tenantId: 'tenants' }, validFor: 'anyone' },
];

export const UNKNOWN_VERBS = ['approval.approveAll', 'admin.grant', 'tags.write', '__proto__', 'constructor', 'toString', '', ' help', 'HELP', 'status ', '$where', 'subscriptions.setMode.', 'hasOwnProperty'];

/**
 * Text commands. `readOnly`: anyone may send them with any argument. Otherwise only callers who are refused may send
 * them (viewers, the unidentified), or admins with an argument that names nothing of theirs (`gated`).
 */
export interface TextCommand {
  text: (arg: string) => string;
  readOnly: boolean;
  /** For admins: the argument is looked up, so a hostile one is refused. */
  gated?: boolean;
  /** Creates a workspace for a Teams tenant that has none (the first connect), so outsiders are not sent it. */
  bootstraps?: boolean;
  /** Viewers may run it and it writes (`customers` stores the rotated Partner Center token): only refused callers send it. */
  anyoneMay?: boolean;
  /** Any GUID is a valid argument (a partner's Microsoft ID): another workspace's ids are not hostile here. */
  takesAnyGuid?: boolean;
}

export const TEXT_COMMANDS: TextCommand[] = [
  { text: () => 'help', readOnly: true },
  { text: () => 'status', readOnly: true },
  { text: () => 'security', readOnly: true },
  { text: () => 'subscriptions', readOnly: true },
  { text: () => 'customers', readOnly: false, anyoneMay: true },
  { text: () => 'notify', readOnly: true },
  { text: () => 'admins', readOnly: true },
  { text: (a) => `licences ${a}`, readOnly: true },
  { text: (a) => `apps ${a}`, readOnly: true },
  { text: (a) => `token check ${a}`, readOnly: true },
  { text: (a) => `pal for ${a}`, readOnly: true },
  { text: (a) => a, readOnly: true },
  { text: () => 'connect saas', readOnly: true },
  { text: (a) => `tag ${a} owner=fuzz`, readOnly: false, gated: true },
  { text: (a) => `untag ${a} owner`, readOnly: false, gated: true },
  { text: (a) => `admins add ${a}`, readOnly: false, gated: true },
  { text: (a) => `sync tags ${a}`, readOnly: false, gated: true },
  { text: (a) => `sync m365 ${a}`, readOnly: false, gated: true },
  { text: (a) => `sync saas ${a}`, readOnly: false, gated: true },
  { text: (a) => `saas check ${a}`, readOnly: false, gated: true },
  { text: (a) => `connect partner ${a}`, readOnly: false, gated: true, bootstraps: true, takesAnyGuid: true },
  { text: (a) => `pal ${a}`, readOnly: false, gated: true },
  { text: () => 'connect', readOnly: false, bootstraps: true },
  { text: () => 'add subscriptions', readOnly: false },
  { text: () => 'notify here approvals', readOnly: false },
  { text: () => 'notify off', readOnly: false },
  { text: () => 'partner test', readOnly: false },
  { text: () => 'health check now', readOnly: false },
  { text: () => 'pal remove', readOnly: false },
];
