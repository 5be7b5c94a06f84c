import { parseTag, parseUntag } from '../../src/features/tags/parse.js';
import { mergeTags, tagEditProblems, tagsHash } from '../../src/features/tags/tag-rules.js';
import { planEdit } from '../../src/features/tags/outbox.js';

describe('tag and untag parsing', () => {
  test('reads bare and quoted names and values, keeping spaces and = inside quotes', () => {
    expect(parseTag('tag vm-web-01 env=prod "cost center"="R&D 1" note=\'a=b\' empty=')).toEqual({
      ok: true, resource: 'vm-web-01', operation: 'Merge', tags: { env: 'prod', 'cost center': 'R&D 1', note: 'a=b', empty: '' },
    });
    expect(parseUntag('untag /subscriptions/x/resourceGroups/rg/providers/A/b/c env "cost center"')).toEqual({
      ok: true, resource: '/subscriptions/x/resourceGroups/rg/providers/A/b/c', operation: 'Delete', names: ['env', 'cost center'],
    });
  });

  test('refuses text it cannot read instead of guessing', () => {
    expect(parseTag('tag vm-web-01')).toMatchObject({ ok: false });
    expect(parseTag('tag vm-web-01 env')).toMatchObject({ ok: false, problem: expect.stringContaining('key=value') });
    expect(parseTag('tag vm-web-01 "unterminated=1')).toMatchObject({ ok: false });
    expect(parseUntag('untag vm-web-01')).toMatchObject({ ok: false });
  });
});

describe("Azure's tag limits, checked before queueing", () => {
  test('names ≤ 512, values ≤ 256, no < > % & \\ ? / in names', () => {
    expect(tagEditProblems({}, 'Merge', { ['n'.repeat(512)]: 'v'.repeat(256) })).toEqual([]);
    expect(tagEditProblems({}, 'Merge', { ['n'.repeat(513)]: 'v' })).toEqual([expect.stringContaining('Azure allows 512')]);
    expect(tagEditProblems({}, 'Merge', { n: 'v'.repeat(257) })).toEqual([expect.stringContaining('Azure allows 256')]);
    for (const c of ['<', '>', '%', '&', '\\', '?', '/']) expect(tagEditProblems({}, 'Merge', { [`a${c}b`]: 'v' })).toHaveLength(1);
    // Values may hold them.
    expect(tagEditProblems({}, 'Merge', { url: 'https://x/?a=1&b=2' })).toEqual([]);
  });

  test('at most 50 tags once merged, names compared without case', () => {
    const fortyNine = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`t${i}`, 'v']));
    expect(tagEditProblems(fortyNine, 'Merge', { extra: 'v' })).toEqual([]);
    expect(tagEditProblems(fortyNine, 'Merge', { extra: 'v', more: 'v' })).toEqual([expect.stringContaining('51 tags')]);
    expect(tagEditProblems(fortyNine, 'Merge', { T0: 'x', extra: 'v' })).toEqual([]);
    expect(mergeTags({ Env: 'dev', app: 'crm' }, { env: 'prod' })).toEqual({ app: 'crm', env: 'prod' });
  });

  test('the tags hash ignores order and name case, and changes with any value', () => {
    expect(tagsHash({ a: '1', B: '2' })).toBe(tagsHash({ b: '2', A: '1' }));
    expect(tagsHash({ a: '1' })).not.toBe(tagsHash({ a: '2' }));
  });
});

describe('what an edit writes, given the tags Azure holds now', () => {
  test('writes only what differs; a tag changed since the edit was asked is a conflict, not a write', () => {
    const edit = { operation: 'Merge' as const, tags: { env: 'prod', owner: 'ops' }, baseTags: { env: 'dev', owner: null } };
    expect(planEdit(edit, { env: 'dev' })).toEqual({ write: { env: 'prod', owner: 'ops' }, conflicts: [] });
    expect(planEdit(edit, { env: 'prod', owner: 'ops' })).toEqual({ write: {}, conflicts: [] });
    expect(planEdit(edit, { env: 'staging' })).toEqual({ write: { owner: 'ops' }, conflicts: ['env'] });
    expect(planEdit(edit, { ENV: 'dev', owner: 'someone' })).toEqual({ write: { env: 'prod' }, conflicts: ['owner'] });
  });

  test('a Delete names the value it removes, so ARM removes nothing that changed meanwhile', () => {
    const edit = { operation: 'Delete' as const, tags: { env: '' }, baseTags: { env: 'dev' } };
    expect(planEdit(edit, { env: 'dev', app: 'x' })).toEqual({ write: { env: 'dev' }, conflicts: [] });
    expect(planEdit(edit, { app: 'x' })).toEqual({ write: {}, conflicts: [] });
    expect(planEdit(edit, { env: 'prod' })).toEqual({ write: {}, conflicts: ['env'] });
  });
});
