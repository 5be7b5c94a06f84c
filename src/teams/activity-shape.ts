/**
 * The envelope fields that botbuilder, teams-ai and our guards read without checking, so an activity that lacks them
 * or carries another type there must be refused before a turn starts: otherwise the turn throws (the user gets an
 * apology and the log an error), or worse, `recipient.id === undefined` matches a member without an id.
 * Teams always sends these; only a forged or broken request does not.
 */
const MAX_ID = 1024;

type Check = (activity: Record<string, unknown>) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID;
const optional = (v: unknown, ok: (x: unknown) => boolean) => v === undefined || v === null || ok(v);
const isString = (v: unknown) => typeof v === 'string';

function account(name: string, required: boolean): Check {
  return (a) => {
    const v = a[name];
    if (v === undefined && !required) return undefined;
    if (!isObject(v) || !isId(v.id)) return `"${name}" must be an object with a string "id"`;
    if (!optional(v.aadObjectId, isString) || !optional(v.name, isString)) return `"${name}.aadObjectId" and "${name}.name" must be strings`;
    return undefined;
  };
}

function serviceUrl(a: Record<string, unknown>): string | undefined {
  const v = a.serviceUrl;
  if (typeof v !== 'string' || !URL.canParse(v) || !/^https?:$/.test(new URL(v).protocol)) return '"serviceUrl" must be an http(s) URL';
  return undefined;
}

function conversation(a: Record<string, unknown>): string | undefined {
  const c = a.conversation;
  if (!isObject(c) || !isId(c.id)) return '"conversation" must be an object with a string "id"';
  if (!optional(c.tenantId, isString) || !optional(c.conversationType, isString) || !optional(c.name, isString)) return '"conversation.tenantId", "conversationType" and "name" must be strings';
  return undefined;
}

function channelData(a: Record<string, unknown>): string | undefined {
  const d = a.channelData;
  if (d === undefined || d === null) return undefined;
  if (!isObject(d)) return '"channelData" must be an object';
  if (d.tenant !== undefined && d.tenant !== null && !(isObject(d.tenant) && optional(d.tenant.id, isString))) return '"channelData.tenant" must be an object with a string "id"';
  return undefined;
}

function entities(a: Record<string, unknown>): string | undefined {
  const e = a.entities;
  if (e === undefined || e === null) return undefined;
  const ok = Array.isArray(e) && e.every((x) => isObject(x) && isString(x.type) && (x.type !== 'mention' || (isString(x.text) && isObject(x.mentioned) && isId(x.mentioned.id))));
  return ok ? undefined : '"entities" must be a list of objects with a string "type" (mentions with "text" and "mentioned.id")';
}

function lists(a: Record<string, unknown>): string | undefined {
  for (const name of ['membersAdded', 'membersRemoved']) {
    const v = a[name];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.every((m) => isObject(m) && isId(m.id)))) return `"${name}" must be a list of accounts with a string "id"`;
  }
  if (!optional(a.attachments, (v) => Array.isArray(v) && v.every(isObject))) return '"attachments" must be a list of objects';
  return undefined;
}

function scalars(a: Record<string, unknown>): string | undefined {
  for (const name of ['id', 'text', 'name', 'action', 'locale', 'replyToId', 'channelId', 'textFormat']) {
    if (!optional(a[name], isString)) return `"${name}" must be a string`;
  }
  return undefined;
}

const CHECKS: Check[] = [serviceUrl, conversation, account('from', true), account('recipient', true), channelData, entities, lists, scalars];

/** Why `activity` (already known to be an object with a string `type`) is not a usable Bot Framework activity, if it is not. */
export function activityProblem(activity: Record<string, unknown>): string | undefined {
  if (activity.type === '') return '"type" must not be empty';
  for (const check of CHECKS) {
    const problem = check(activity);
    if (problem) return problem;
  }
  return undefined;
}
