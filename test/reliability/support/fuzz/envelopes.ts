import type { Rng } from './rng.js';
import { hostileValue, LARGE, ONE_MB } from './values.js';

type Activity = Record<string, unknown>;

/** Ways to break the envelope of a well-formed activity: each sets (or removes) one top-level field. */
const MUTATIONS: [string, (rng: Rng, a: Activity) => void][] = [
  ['type: wrong type', (rng, a) => void (a.type = rng.pick([42, [], {}, null, true]))],
  ['type: missing', (_rng, a) => void delete a.type],
  ['type: unknown', (rng, a) => void (a.type = rng.pick(['unknownType', 'event', 'messageReaction', 'typing', 'endOfConversation', 'handoff', '__proto__', 'MESSAGE']))],
  ['type: conversationUpdate without the bot', (rng, a) => Object.assign(a, { type: 'conversationUpdate', membersAdded: rng.pick([[{ id: { $ne: null } }], 'all', [{ id: '29:someone' }], {}]), membersRemoved: rng.pick([undefined, 'x', [{}]]) })],
  ['type: installationUpdate with a hostile action', (rng, a) => Object.assign(a, { type: 'installationUpdate', action: rng.pick([{ $ne: null }, 42, ['add'], 'upgrade', 'x'.repeat(5000)]) })],
  ['from: missing', (_rng, a) => void delete a.from],
  ['from: wrong type', (rng, a) => void (a.from = rng.pick(['29:adele', 7, [], null]))],
  ['from.aadObjectId: hostile', (rng, a) => void (a.from = { ...(a.from as object), aadObjectId: rng.pick([{ $ne: null }, { $gt: '' }, 'x'.repeat(LARGE), '__proto__', 12, ['a'], '']) })],
  ['from.id: hostile', (rng, a) => void (a.from = { ...(a.from as object), id: hostileValue(rng, rng.pick(['operator', 'wrongType', 'prototype'] as const)) })],
  ['conversation: missing', (_rng, a) => void delete a.conversation],
  ['conversation: wrong type', (rng, a) => void (a.conversation = rng.pick(['a:1', 3, [], null]))],
  ['conversation.id: hostile', (rng, a) => void (a.conversation = { ...(a.conversation as object), id: rng.pick([{ $ne: null }, 5, ['a'], 'x'.repeat(LARGE), '__proto__', '../../x', '']) })],
  ['conversation.conversationType: hostile', (rng, a) => void (a.conversation = { ...(a.conversation as object), conversationType: hostileValue(rng, 'operator') })],
  ['channelData: wrong type', (rng, a) => void (a.channelData = rng.pick(['tenant', 1, [], null]))],
  ['channelData.tenant: hostile', (rng, a) => void (a.channelData = { tenant: rng.pick(['72f988bf', { id: { $ne: null } }, { id: 'x'.repeat(LARGE) }, { id: 5 }, { id: ['a'] }, null, JSON.parse('{"__proto__":{"id":"x"}}')]) })],
  ['channelData: prototype keys', (_rng, a) => void (a.channelData = JSON.parse('{"__proto__":{"tenant":{"id":"polluted-tenant"}},"constructor":{"prototype":{"polluted":"yes"}}}'))],
  ['text: wrong type', (rng, a) => void (a.text = rng.pick([5, [], {}, { $ne: null }, null, true]))],
  ['text: huge', (_rng, a) => void (a.text = `status ${'x'.repeat(LARGE)}`)],
  ['id: wrong type', (rng, a) => void (a.id = rng.pick([{}, 5, ['x'], null]))],
  ['recipient: hostile', (rng, a) => void (a.recipient = rng.pick([undefined, 5, { id: { $ne: null } }, 'bot']))],
  ['entities: hostile', (rng, a) => void (a.entities = rng.pick(['x', {}, [{ type: 'mention', mentioned: { $ne: null }, text: 5 }], [null], [{ type: { $gt: '' } }]]))],
  ['attachments: hostile', (rng, a) => void (a.attachments = rng.pick(['x', [{ contentType: {}, content: { $where: '1' } }], [null], {}]))],
  ['value: hostile', (rng, a) => void (a.value = hostileValue(rng, rng.pick(['operator', 'prototype', 'wrongType'] as const)))],
  ['locale/timestamp: hostile', (rng, a) => Object.assign(a, { locale: rng.pick([{}, 5, 'x'.repeat(3000)]), timestamp: rng.pick(['not a date', {}, -1]) })],
  ['serviceUrl: wrong type', (rng, a) => void (a.serviceUrl = rng.pick([5, {}, [], null, true]))],
  ['top level: prototype keys', (_rng, a) => Object.assign(a, JSON.parse('{"__proto__":{"polluted":"yes","type":"invoke"},"constructor":{"prototype":{"polluted":"yes"}}}'))],
];

/** A message or invoke with one to three envelope fields broken. */
export function malformedActivity(rng: Rng, messageBase: Activity, invokeBase: Activity): { activity: Activity; what: string } {
  const activity: Activity = structuredClone(rng.chance(0.5) ? messageBase : invokeBase);
  const names: string[] = [];
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const [name, mutate] = rng.pick(MUTATIONS);
    mutate(rng, activity);
    names.push(name);
  }
  return { activity, what: `${activity.type === 'invoke' ? 'invoke' : 'message'}: ${names.join(', ')}` };
}

/** Bodies that are not an activity at all. */
export function rawBody(rng: Rng): { body: string; contentType?: string; what: string } {
  const bodies: (() => { body: string; contentType?: string; what: string })[] = [
    () => ({ body: '{"type": "message", ', what: 'truncated JSON' }),
    () => ({ body: 'not json at all', what: 'not JSON' }),
    () => ({ body: '[]', what: 'a JSON array' }),
    () => ({ body: '[{"type":"message"}]', what: 'an array of activities' }),
    () => ({ body: 'null', what: 'JSON null' }),
    () => ({ body: '42', what: 'a JSON number' }),
    () => ({ body: '"message"', what: 'a JSON string' }),
    () => ({ body: '', what: 'an empty body' }),
    () => ({ body: '{}', what: 'an empty object' }),
    () => ({ body: '{"type":{"$ne":null}}', what: 'type an operator' }),
    () => ({ body: `${'['.repeat(20000)}${']'.repeat(20000)}`, what: 'arrays nested 20 000 deep' }),
    () => ({ body: `{"type":"message","a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, what: 'objects nested 5 000 deep' }),
    () => ({ body: JSON.stringify({ type: 'message', text: 'x'.repeat(ONE_MB) }), what: '1 MB body' }),
    () => ({ body: 'type=message&text=status', contentType: 'application/x-www-form-urlencoded', what: 'a form body' }),
    () => ({ body: '{"type":"message","text":"status"}', contentType: 'text/plain', what: 'JSON sent as text/plain' }),
    () => ({ body: '<activity type="message"/>', contentType: 'application/xml', what: 'XML' }),
    () => ({ body: '{"__proto__":{"type":"message","polluted":"yes"}}', what: 'type only in __proto__' }),
  ];
  return rng.pick(bodies)();
}
