/** Bot Framework activities as Teams sends them, for full-turn tests over HTTP. */
export const WORKSPACE = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const BOT = { id: '28:tenant-steward-bot', name: 'Tenant Steward' };
export const ADELE = { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a1a1a1a1-0000-4000-8000-000000000001' };

let counter = 0;

export function personalMessage(serviceUrl: string, text: string, opts: { from?: typeof ADELE; tenantId?: string; conversationId?: string } = {}) {
  const from = opts.from ?? ADELE;
  const tenantId = opts.tenantId ?? WORKSPACE;
  return {
    type: 'message',
    id: `act-${++counter}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation: { id: opts.conversationId ?? `a:personal-${from.id}`, conversationType: 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    text,
    textFormat: 'plain',
    locale: 'en-US',
  };
}

export function teamInstall(serviceUrl: string, opts: { teamId?: string; tenantId?: string } = {}) {
  const teamId = opts.teamId ?? '19:general-channel@thread.tacv2';
  const tenantId = opts.tenantId ?? WORKSPACE;
  return {
    type: 'conversationUpdate',
    id: `act-${++counter}`,
    channelId: 'msteams',
    serviceUrl,
    from: ADELE,
    recipient: BOT,
    conversation: { id: teamId, conversationType: 'channel', isGroup: true, tenantId, name: 'General' },
    membersAdded: [{ id: BOT.id }],
    channelData: { tenant: { id: tenantId }, team: { id: teamId, name: 'IT Ops' }, eventType: 'teamMemberAdded' },
  };
}

export function teamUninstall(serviceUrl: string, opts: { teamId?: string; tenantId?: string } = {}) {
  const add = teamInstall(serviceUrl, opts);
  const { membersAdded: _omit, ...rest } = add;
  return { ...rest, id: `act-${++counter}`, membersRemoved: [{ id: BOT.id }], channelData: { ...add.channelData, eventType: 'teamMemberRemoved' } };
}

/** An Action.Execute click as Teams sends it: an `adaptiveCard/action` invoke; the HTTP response carries the answer. */
export function actionExecute(
  serviceUrl: string,
  verb: string,
  data: Record<string, unknown>,
  opts: { from?: typeof ADELE; tenantId?: string; conversationId?: string; conversationType?: 'personal' | 'channel'; replyToId?: string } = {},
) {
  const from = opts.from ?? ADELE;
  const tenantId = opts.tenantId ?? WORKSPACE;
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `act-${++counter}`,
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    replyToId: opts.replyToId,
    conversation: { id: opts.conversationId ?? `a:personal-${from.id}`, conversationType: opts.conversationType ?? 'personal', tenantId },
    channelData: { tenant: { id: tenantId } },
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    locale: 'en-US',
  };
}
