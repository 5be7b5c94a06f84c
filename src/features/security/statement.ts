import type { AzureRole } from '../../store/types.js';

export interface SecuritySection {
  title: string;
  paragraphs: string[];
}

/** What each Azure role lets our service principal do, in one sentence (Microsoft's built-in role definitions). */
export const ROLE_MEANING: Record<AzureRole, string> = {
  Reader: 'Reader is read-only: it can see your resources, their settings and their tags, and change nothing.',
  'Tag Contributor':
    'Tag Contributor manages tags only: it can list your resources and edit their tags, but it has no access to the resources themselves. It cannot read their contents, change their settings or delete them.',
};

/**
 * The security statement, kept accurate to the code: the role requested at connect is `connectRole`
 * (config.defaultAzureRole), write-back is tags only in Read and Write Tags mode behind a second admin's approval,
 * secrets are sealed with AES-256-GCM, and PAL adds nothing but our partner id.
 */
export function securityStatement(connectRole: AzureRole): SecuritySection[] {
  const azure =
    connectRole === 'Reader'
      ? [
          `When an admin connects, the service principal gets **Reader** on the Azure subscriptions that admin owns. ${ROLE_MEANING.Reader}`,
          `Only when a subscription is switched to Read and Write Tags, and a second workspace admin approves, does it get **Tag Contributor** there instead. ${ROLE_MEANING['Tag Contributor']} Switching back returns it to Reader.`,
        ]
      : [
          `This service is set up to grant **Tag Contributor** when an admin connects, on the Azure subscriptions that admin owns. ${ROLE_MEANING['Tag Contributor']}`,
          'Even so, tags are written only on subscriptions in Read and Write Tags mode, after a second workspace admin approves.',
        ];
  return [
    {
      title: 'Who acts in your tenant',
      paragraphs: [
        'Connecting creates a service principal for Tenant Steward in your Microsoft Entra tenant: an app identity, much like a user dedicated to this service. You can see and remove it, and its role assignments, in the Azure portal at any time.',
        'To assign its role, the bot acts as the admin who connects for at most one hour. That sign-in is used for nothing else, and it is never stored in the clear.',
      ],
    },
    {
      title: 'Azure subscriptions',
      paragraphs: [...azure, 'It never gets Owner, Contributor or User Access Administrator, so it can never give anyone access to anything.'],
    },
    {
      title: 'Microsoft 365',
      paragraphs: [
        'Microsoft Graph access is read-only (permissions ending in .Read.All): users and their licences, your organisation and its subscribed licences, applications, group members, sign-in logs and usage reports. The `connect` card lists them exactly.',
      ],
    },
    {
      title: 'What is written back',
      paragraphs: [
        'Tags only, and only on subscriptions in **Read and Write Tags** mode, which needs a second admin\'s approval. In No Resources, No Tags and Read Tags Only modes nothing is ever written.',
        'Tag edits use Merge or Delete, so only the tags you edited change; a resource\'s other tags are never replaced. A tag changed in Azure since it was last read is reported as a conflict, not overwritten. Every write is audited.',
      ],
    },
    {
      title: 'Encryption',
      paragraphs: [
        'In transit: every call to Microsoft (sign-in, Azure Resource Manager, Microsoft Graph, Partner Center) uses HTTPS (TLS); the Microsoft SDKs we use refuse plain HTTP. Teams reaches the bot over HTTPS through the Azure Bot Service.',
        'At rest: client secrets and refresh tokens are sealed with AES-256-GCM before they are stored, and logs redact them.',
      ],
    },
    {
      title: 'Partner Admin Link (PAL)',
      paragraphs: [
        'PAL associates our Microsoft partner id with the access you already granted, so Microsoft can recognise our work with you. It shares nothing new with Microsoft or with us, and it grants no new access.',
      ],
    },
    {
      title: 'In Teams',
      paragraphs: ['Owners manage admins, admins change settings, and everyone else in your organisation can only read. Every change, and every refused attempt, is audited.'],
    },
  ];
}
