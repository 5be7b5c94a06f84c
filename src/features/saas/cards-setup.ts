import type { Attachment } from 'botbuilder';
import type { SaasDoctorResult, SaasTask } from '../../store/types.js';
import type { CardRenderer } from '../../teams/cards.js';
import { defuseTemplateText } from '../status/view.js';
import { TURN_OFF_CONCEALED_NAMES_STEPS } from './anonymization.js';
import { saasSecretOf, type SaasTenant } from './connection.js';
import { adminConsentLink } from './permissions.js';
import { describeCheck, SIGN_IN_PAIR_NOTE } from './status.js';
import { SAAS_TASKS, TASK_INFO } from './tasks.js';

/** Seed 003, "Obtaining Client Credentials and Tenant ID", as steps an admin follows. */
export const APP_REGISTRATION_STEPS = [
  '1. Sign in to the Microsoft Azure portal as a Global Administrator (granting application permissions needs that role).',
  '2. In the search box at the top, enter App registrations and open it.',
  '3. Click New registration.',
  '4. Enter a name and choose "Accounts in this organizational directory only". Click Register.',
  '5. On the Overview tab, copy the Application (client) ID and the Directory (tenant) ID.',
  '6. Certificates & secrets > Client secrets > New client secret: enter a description, choose an expiry, click Add, then copy the secret\'s Value (not its Secret ID).',
  '7. API permissions > Add a permission > Microsoft Graph > Application permissions (not Delegated: delegated permissions will not work). Select the permissions below for the tasks you want, then click Add permissions.',
  '8. Click "Grant admin consent for …" (it names your organization) and confirm.',
  '9. Paste the three values below, choose the tasks, and click Check and connect.',
];

const ANONYMIZATION_NOTE =
  'Before connecting, turn off concealed names: Microsoft 365 admin center > Settings > Org settings > Services > Reports, clear "Display concealed user, group, and site names in all reports". While it is on, no activity is imported (it would all end up as suspicious SaaS activity). Adding Reports.Read.All (or ReportSettings.Read.All) lets Tenant Steward check this setting for you.';

export interface ConnectFormPrefill {
  clientId?: string;
  tenantId?: string;
  domains?: string;
  includeGuests?: boolean;
  tasks?: SaasTask[];
}

/** The `connect saas` form. The secret field is never filled in: a returned form never carries the secret. */
export function connectFormCard(cards: CardRenderer, prefill: ConnectFormPrefill = {}, errors: string[] = [], errorsTitle = 'Please fix:'): Attachment {
  const tasks = prefill.tasks ?? [...SAAS_TASKS];
  return cards.attachment('saas-connect', defuseTemplateText({
    intro: 'Tenant Steward discovers SaaS apps with YOUR OWN app registration (OAuth2 client credentials), read-only: it reads users, enterprise apps, their assignments and sign-ins, and writes nothing to Microsoft.',
    errors,
    errorsTitle,
    steps: APP_REGISTRATION_STEPS,
    permissions: SAAS_TASKS.map((t) => ({ task: TASK_INFO[t].label, needs: `${TASK_INFO[t].permissions.join(' and ')}${TASK_INFO[t].needsP1 ? ' (both), and a Microsoft Entra ID P1 or P2 licence' : ''}` })),
    pairNote: `${SIGN_IN_PAIR_NOTE} In the permission search box, enter Directory and AuditLog to find them.`,
    anonymizationNote: ANONYMIZATION_NOTE,
    clientId: prefill.clientId ?? '',
    tenantId: prefill.tenantId ?? '',
    domains: prefill.domains ?? '',
    includeGuests: prefill.includeGuests ? 'yes' : '',
    ...Object.fromEntries(SAAS_TASKS.map((t) => [`task_${t}`, tasks.includes(t) ? 'true' : 'false'])),
    secretNote: 'The secret is checked with Microsoft before anything is saved, stored encrypted (AES-256-GCM), never shown again and never written to logs.',
  }));
}

const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The permissions doctor's findings for one tenant, each missing permission with its admin-consent link. */
export function doctorCard(cards: CardRenderer, tenant: SaasTenant, doctor: SaasDoctorResult, opts: { authorityHost: string; headline?: string; now: Date }): Attachment {
  const saas = tenant.saas;
  const consentUrl = adminConsentLink(opts.authorityHost, tenant.id, saas.clientId);
  const tasks = doctor.tokenError ? [] : SAAS_TASKS.map((task) => {
    const check = doctor.tasks.find((c) => c.task === task);
    const status = check ? describeCheck(check).replace(` (${SIGN_IN_PAIR_NOTE})`, '') : 'not checked';
    const missing = check?.state === 'missingPermission';
    return {
      label: TASK_INFO[task].label,
      selected: saas.tasks.includes(task) ? 'selected' : 'not selected',
      status,
      color: check?.state === 'ok' ? 'Good' : saas.tasks.includes(task) ? 'Attention' : 'Default',
      consent: missing ? `Add ${check!.missing!.join(' and ')} under API permissions (Microsoft Graph, Application permissions), then [grant admin consent](${consentUrl}).` : '',
    };
  });
  const pairMissing = doctor.tasks.some((c) => c.task === 'ssoAccess' && c.state === 'missingPermission');
  const concealedOn = doctor.concealedNames === 'on';
  const secret = saasSecretOf(tenant);
  const secretText = secret.state === 'ok' || secret.state === 'expiring'
    ? secret.expiresAt ? `Ends ${utc(secret.expiresAt)} (in ${Math.max(0, Math.ceil((Date.parse(secret.expiresAt) - opts.now.getTime()) / 86_400_000))} days).` : 'Works. Its end date is not readable (it needs Application.Read.All and the registration in this tenant).'
    : `${secret.state}: ${secret.detail ?? ''} Paste a new secret with \`connect saas\`.`;
  return cards.attachment('saas-doctor', defuseTemplateText({
    title: `SaaS discovery: ${tenant.displayName || tenant.id}`,
    subtitle: `App registration ${saas.clientId} · tenant ${tenant.id} · checked ${utc(doctor.checkedAt)}`,
    headline: opts.headline ?? '',
    tokenError: doctor.tokenError ? `No token: ${doctor.tokenError}` : '',
    tasks,
    pairNote: pairMissing ? SIGN_IN_PAIR_NOTE : '',
    concealed: concealedOn
      ? 'ON: user names are concealed in reports, so no activity is imported (it would all end up as suspicious SaaS activity). To turn it off:'
      : doctor.concealedNames === 'off' ? `Off (${doctor.concealedDetail ?? 'checked'}).` : `Unknown: ${doctor.concealedDetail ?? 'not checked'}.`,
    concealedColor: concealedOn ? 'Attention' : doctor.concealedNames === 'off' ? 'Good' : 'Warning',
    concealedSteps: concealedOn ? TURN_OFF_CONCEALED_NAMES_STEPS.map((s, i) => `${i + 1}. ${s}`) : [],
    secret: secretText,
    secretColor: secret.state === 'ok' ? 'Good' : secret.state === 'expiring' ? 'Warning' : 'Attention',
    tenantId: tenant.id,
  }));
}
