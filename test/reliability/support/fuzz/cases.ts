import type { TeamsPerson } from '../../../support/world.js';
import { BOT } from '../../../support/activities.js';
import type { Rng } from './rng.js';
import type { WorkspaceTargets } from './two-workspaces.js';
import { hostileValue, junkKeys, pickKind, type HostileKind } from './values.js';
import { TEXT_COMMANDS, UNKNOWN_VERBS, VERBS, type FieldKind, type VerbSpec } from './verbs.js';
import { malformedActivity, rawBody } from './envelopes.js';

export type FuzzClass =
  | 'card data: hostile values'
  | "card data: another workspace's ids"
  | 'card action: caller not allowed'
  | 'card action: unknown verb'
  | 'card action: malformed invoke'
  | 'Action.Submit message'
  | 'text command: hostile'
  | 'activity: malformed envelope'
  | 'body: not an activity';

export interface FuzzCase {
  n: number;
  cls: FuzzClass;
  /** The activity id (replies carry it as replyToId), when the envelope has a usable one. */
  activityId?: string;
  body: string;
  contentType?: string;
  /** The workspace whose user sent it ('outsider': a Teams tenant with no workspace; 'none': unidentifiable). */
  from: 'A' | 'B' | 'outsider' | 'none';
  /** Short description for failure messages. */
  what: string;
  /**
   * What the bot must do with it: `error` (a message or HTTP error that says what is wrong), `error or answer` (a
   * read-only action that may answer normally, ignoring the hostile part), `ignored` (HTTP 200, nothing said), `http`
   * (refused with an HTTP error before any handler), `no crash` (a broken envelope: refused with 400, or, where the
   * change keeps it a valid activity, handled like any other).
   */
  expect: Expectation;
}

export type Expectation = 'error' | 'error or answer' | 'ignored' | 'http' | 'no crash';

export interface FuzzTargets {
  a: WorkspaceTargets;
  b: WorkspaceTargets;
  outsider: TeamsPerson;
  serviceUrl: string;
}

type Caller = { person?: Partial<TeamsPerson> & { id: string }; tenantId?: string; from: FuzzCase['from']; admin: boolean; own?: WorkspaceTargets; other?: WorkspaceTargets };

/** The class mix of the run: weights, in the order of FuzzClass. */
const MIX: [FuzzClass, number][] = [
  ['card data: hostile values', 30], ["card data: another workspace's ids", 12], ['card action: caller not allowed', 12],
  ['card action: unknown verb', 5], ['card action: malformed invoke', 6], ['Action.Submit message', 8],
  ['text command: hostile', 14], ['activity: malformed envelope', 10], ['body: not an activity', 3],
];

/** `count` seeded cases. The same seed and targets give the same cases. */
export function generateCases(rng: Rng, t: FuzzTargets, count: number): FuzzCase[] {
  const total = MIX.reduce((s, [, w]) => s + w, 0);
  const cases: FuzzCase[] = [];
  for (let n = 0; n < count; n++) {
    let roll = rng.int(total);
    const cls = MIX.find(([, w]) => (roll -= w) < 0)![0];
    const c = oneCase(rng, t, cls, `fuzz-${n}`);
    // Over the body limit: restify answers 413 whatever the activity was.
    cases.push({ n, ...c, expect: Buffer.byteLength(c.body) > 256 * 1024 ? 'http' : c.expect });
  }
  return cases;
}

function oneCase(rng: Rng, t: FuzzTargets, cls: FuzzClass, id: string): Omit<FuzzCase, 'n'> {
  const side = rng.chance(0.5) ? 'a' : 'b';
  const own = t[side];
  const other = t[side === 'a' ? 'b' : 'a'];
  const admin: Caller = { person: rng.chance(0.5) ? own.owner : own.admin, from: side === 'a' ? 'A' : 'B', admin: true, own, other };
  switch (cls) {
    case 'card data: hostile values': {
      const spec = rng.pick(VERBS);
      const { data, hostile } = cardData(rng, spec, own, 'hostile');
      // A hostile id, mode or form field is refused; a bad page or token, or junk beside no fields, may be ignored.
      const refused = spec.verb !== 'saas.apps' && hostile.some((f) => ['mode', 'form'].includes(spec.fields[f]) || isIdField(spec.fields[f]));
      return invoke(t, id, cls, admin, spec.verb, data, refused ? 'error' : 'error or answer');
    }
    case "card data: another workspace's ids": {
      const spec = rng.pick(VERBS.filter((v) => Object.values(v.fields).some(isIdField)));
      const caller = rng.chance(0.15) ? outsiderCaller(t) : admin;
      return invoke(t, id, cls, caller, spec.verb, cardData(rng, spec, other, 'valid', own).data, spec.verb === 'saas.apps' ? 'error or answer' : 'error');
    }
    case 'card action: caller not allowed': {
      const spec = rng.pick(VERBS.filter((v) => v.validFor === 'nonAdmins'));
      const caller = rng.pick([
        { person: own.viewer, from: admin.from, admin: false, own },
        { person: { id: '29:anonymous', name: 'No Object Id' }, tenantId: own.workspaceId, from: 'none', admin: false },
        { person: { ...own.owner, aadObjectId: undefined }, tenantId: own.workspaceId, from: 'none', admin: false },
        { person: own.admin, tenantId: '', from: 'none', admin: false },
      ] as Caller[]);
      return invoke(t, id, cls, caller, spec.verb, cardData(rng, spec, own, 'valid').data, 'error');
    }
    case 'card action: unknown verb':
      return invoke(t, id, cls, admin, rng.pick(UNKNOWN_VERBS), rng.chance(0.5) ? {} : cardData(rng, rng.pick(VERBS), own, 'valid').data, 'error');
    case 'card action: malformed invoke':
      return malformedInvoke(rng, t, id, admin);
    case 'Action.Submit message': {
      const spec = rng.pick(VERBS);
      const value = { ...cardData(rng, spec, rng.chance(0.5) ? own : other, rng.chance(0.5) ? 'valid' : 'hostile').data, verb: spec.verb, action: spec.verb, msteams: rng.chance(0.5) ? { type: 'messageBack' } : hostileValue(rng, 'operator') };
      const activity = { ...message(t, id, admin, undefined), value };
      return { cls, activityId: id, body: JSON.stringify(activity), from: admin.from, what: `submit ${spec.verb}`, expect: 'ignored' };
    }
    case 'text command: hostile':
      return textCommand(rng, t, id, own, admin);
    case 'activity: malformed envelope': {
      const { activity, what } = malformedActivity(rng, message(t, id, admin, 'status'), invokeActivity(t, id, admin, 'status', {}));
      return { cls, activityId: id, body: JSON.stringify(activity), from: admin.from, what, expect: 'no crash' };
    }
    case 'body: not an activity':
      return { cls, ...rawBody(rng), from: 'none', expect: 'http' };
  }
}

const isIdField = (k: FieldKind) => k === 'tenants' || k === 'subscriptions' || k === 'approvals' || k === 'consentStates';

/**
 * Card data for a verb. 'hostile': at least one field the verb reads gets a hostile value (so no admin action can
 * succeed); 'valid': ids are taken from `ids` (another workspace's, for that class), other fields valid or hostile.
 * `exclude`: ids the caller's own workspace also holds (a CSP customer can be a tenant of both), never sent as foreign.
 */
function cardData(rng: Rng, spec: VerbSpec, ids: WorkspaceTargets, mode: 'hostile' | 'valid', exclude?: WorkspaceTargets): { data: Record<string, unknown>; hostile: string[] } {
  const fields = Object.entries(spec.fields);
  const spoiled = mode === 'hostile' && fields.length ? rng.int(fields.length) : -1;
  const data: Record<string, unknown> = rng.chance(0.3) ? junkKeys(rng) : {};
  const hostileFields: string[] = [];
  fields.forEach(([name, kind], i) => {
    const hostile = i === spoiled || (mode === 'hostile' && rng.chance(0.3));
    const value = hostile ? hostileValue(rng, pickKind(rng)) : validValue(rng, kind, ids, exclude);
    if (hostile) hostileFields.push(name);
    if (value !== undefined) data[name] = value;
  });
  if (mode === 'hostile' && fields.length === 0) Object.assign(data, junkKeys(rng), { extra: hostileValue(rng, pickKind(rng)) });
  return { data, hostile: hostileFields };
}

function validValue(rng: Rng, kind: FieldKind, t: WorkspaceTargets, exclude?: WorkspaceTargets): unknown {
  switch (kind) {
    case 'page': return rng.int(3);
    case 'mode': return rng.pick(['none', 'noTags', 'readTags', 'readWriteTags']);
    case 'token': return rng.pick(['eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.', 'not-a-token']);
    // Never the real client secret: Microsoft refuses these credentials, so even a complete form saves nothing.
    case 'form': return rng.pick(['00000000-0000-4000-8000-000000000000', 'contoso.example', 'Zzz8Q~not-the-secret-of-any-app-xxxxxxxx', 'true']);
    default: {
      const ids = t.ids[kind].filter((x) => !exclude?.ids[kind].includes(x));
      return ids.length ? rng.pick(ids) : `missing-${kind}`;
    }
  }
}

function outsiderCaller(t: FuzzTargets): Caller {
  return { person: t.outsider, from: 'outsider', admin: false };
}

function textCommand(rng: Rng, t: FuzzTargets, id: string, own: WorkspaceTargets, admin: Caller): Omit<FuzzCase, 'n'> {
  const cmd = rng.pick(TEXT_COMMANDS);
  const value = hostileValue(rng, pickKind(rng));
  // A foreign resource or subscription id is a fine hostile argument too.
  const foreign = rng.chance(0.3) && !cmd.takesAnyGuid ? rng.pick([...admin.other!.ids.resourceArmIds, ...admin.other!.ids.subscriptions, ...admin.other!.ids.tenants.filter((x) => !own.ids.tenants.includes(x))]) : undefined;
  const arg = foreign ?? (typeof value === 'string' && value.trim() ? value : JSON.stringify(value ?? { $exists: false }));
  let caller: Caller = admin;
  if (!cmd.readOnly && !(cmd.gated && rng.chance(0.6))) {
    // Not gated by its argument: only callers who are refused may send it.
    caller = rng.pick([
      ...(cmd.anyoneMay ? [] : [{ person: own.viewer, from: admin.from, admin: false }]),
      { person: { ...own.owner, aadObjectId: undefined }, tenantId: own.workspaceId, from: 'none', admin: false },
      ...(cmd.bootstraps ? [] : [outsiderCaller(t)]),
    ] as Caller[]);
  } else if (cmd.readOnly && rng.chance(0.3)) caller = rng.pick([{ person: own.viewer, from: admin.from, admin: false }, outsiderCaller(t)] as Caller[]);
  const channel = rng.chance(0.3);
  const activity = message(t, id, caller, cmd.text(arg), channel ? own.channel : undefined);
  return { cls: 'text command: hostile', activityId: id, body: JSON.stringify(activity), from: caller.from, what: `text ${cmd.text('<arg>').slice(0, 40)} as ${caller.from}${caller.admin ? ' admin' : ''}`, expect: cmd.readOnly ? 'error or answer' : 'error' };
}

function malformedInvoke(rng: Rng, t: FuzzTargets, id: string, caller: Caller): Omit<FuzzCase, 'n'> {
  const base = invokeActivity(t, id, caller, 'status', {});
  const spec = rng.pick(VERBS);
  // The last two are well-formed (polluted keys in an object; null data, which teams-ai reads as {}).
  const variants: [string, unknown, boolean?][] = [
    ['value missing', undefined], ['value a string', 'Action.Execute'], ['value.action missing', { trigger: 'manual' }],
    ['action a string', { action: spec.verb }], ['verb a number', { action: { type: 'Action.Execute', verb: 42, data: {} } }],
    ['verb an object', { action: { type: 'Action.Execute', verb: { $ne: null }, data: {} } }],
    ['verb an array', { action: { type: 'Action.Execute', verb: [spec.verb], data: {} } }],
    ['data a string', { action: { type: 'Action.Execute', verb: spec.verb, data: hostileValue(rng, 'markup') } }],
    ['data an array', { action: { type: 'Action.Execute', verb: spec.verb, data: [hostileValue(rng, 'operator')] } }],
    ['data null', { action: { type: 'Action.Execute', verb: spec.verb, data: null } }, true],
    ['data a number', { action: { type: 'Action.Execute', verb: spec.verb, data: 7 } }],
    ['data polluted', { action: { type: 'Action.Execute', verb: spec.verb, data: junkKeys(rng) } }, true],
    ['type not Execute', { action: { type: 'Action.Submit', verb: spec.verb, data: {} } }],
  ];
  const [what, value, wellFormed] = rng.pick(variants);
  const name = rng.chance(0.2) ? rng.pick(['adaptiveCard/unknown', 'composeExtension/query', 'task/fetch', 'signin/verifyState', '', '__proto__']) : base.name;
  const expect = name !== base.name ? 'http' : wellFormed ? 'error or answer' : 'error';
  return { cls: 'card action: malformed invoke', activityId: id, body: JSON.stringify({ ...base, name, value }), from: caller.from, what: `${name}: ${what} (${spec.verb})`, expect };
}

function invoke(t: FuzzTargets, id: string, cls: FuzzClass, caller: Caller, verb: string, data: Record<string, unknown>, expect: Expectation): Omit<FuzzCase, 'n'> {
  return { cls, activityId: id, body: JSON.stringify(invokeActivity(t, id, caller, verb, data)), from: caller.from, what: `${verb} as ${caller.from}${caller.admin ? ' admin' : ''} ${JSON.stringify(data).slice(0, 120)}`, expect };
}

function envelope(t: FuzzTargets, id: string, caller: Caller, channel?: string) {
  const tenantId = caller.tenantId ?? caller.person?.tenantId ?? '';
  const from = { id: caller.person?.id ?? '29:nobody', name: caller.person?.name ?? 'Nobody', ...(caller.person?.aadObjectId ? { aadObjectId: caller.person.aadObjectId } : {}) };
  const conversation = channel
    ? { id: channel, conversationType: 'channel', isGroup: true, tenantId, name: 'General' }
    : { id: `a:personal-${from.id}`, conversationType: 'personal', tenantId };
  return { id, channelId: 'msteams', serviceUrl: t.serviceUrl, from, recipient: BOT, conversation, channelData: tenantId ? { tenant: { id: tenantId } } : {}, locale: 'en-US' };
}

function message(t: FuzzTargets, id: string, caller: Caller, text: string | undefined, channel?: string) {
  return { type: 'message', ...envelope(t, id, caller, channel), ...(text === undefined ? {} : { text, textFormat: 'plain' }) };
}

function invokeActivity(t: FuzzTargets, id: string, caller: Caller, verb: string, data: unknown) {
  return { type: 'invoke', name: 'adaptiveCard/action', ...envelope(t, id, caller), value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } };
}

export type { HostileKind };
