import { deleteTags, mergeTags, tagProblem } from './tagRules.js';
import { parseResourceFilter } from './filter.js';
import { ThrottleBuckets } from './throttle.js';
import { permissionAllows, roleById, ROLE_IDS } from './roles.js';
import type { CatalogResource } from './catalog.js';

const res = (over: Partial<CatalogResource>): CatalogResource => ({
  id: '/subscriptions/s/resourceGroups/rg-a/providers/Microsoft.Web/sites/app1',
  name: 'app1',
  type: 'Microsoft.Web/sites',
  location: 'westeurope',
  resourceGroup: 'rg-a',
  tags: {},
  createdTime: '',
  changedTime: '',
  ...over,
});

test('tag names are case-insensitive: Merge replaces a differently-cased name, Delete matches any case', () => {
  expect(mergeTags({ Env: 'prod', a: '1' }, { env: 'dev' })).toEqual({ a: '1', env: 'dev' });
  expect(deleteTags({ Env: 'prod', a: '1' }, { ENV: '' })).toEqual({ a: '1' });
  expect(deleteTags({ Env: 'prod' }, { env: 'dev' })).toEqual({ Env: 'prod' });
});

test('tag validation: count, name length, value length, reserved characters', () => {
  expect(tagProblem(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])))).toBeUndefined();
  expect(tagProblem(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])))?.[0]).toBe('TooManyTags');
  expect(tagProblem({ ['n'.repeat(513)]: 'v' })?.[0]).toBe('InvalidTagNameLength');
  expect(tagProblem({ ['n'.repeat(512)]: 'v'.repeat(256) })).toBeUndefined();
  expect(tagProblem({ n: 'v'.repeat(257) })?.[0]).toBe('InvalidTagValueLength');
  for (const c of ['<', '>', '%', '&', '\\', '?', '/']) expect(tagProblem({ [`a${c}b`]: 'v' })?.[0]).toBe('InvalidTagNameCharacters');
});

test('resource $filter: eq/ne, substringof, tag name and value, and ARM\'s combination rule', () => {
  const f = (s: string) => parseResourceFilter(s);
  const ok = (s: string) => {
    const p = f(s);
    if ('error' in p) throw new Error(p.error);
    return p;
  };
  expect(ok("resourceType eq 'microsoft.web/SITES'").matches(res({}))).toBe(true);
  expect(ok("resourceGroup ne 'rg-a'").matches(res({}))).toBe(false);
  expect(ok("substringof('pp', name) and location eq 'westeurope'").matches(res({}))).toBe(true);
  expect(ok("tagName eq 'Env'").matches(res({ tags: { env: 'x' } }))).toBe(true);
  expect(ok("tagName eq 'env' and tagValue eq 'x'").matches(res({ tags: { env: 'y' } }))).toBe(false);
  expect(ok("tagName eq 'env' and tagValue eq 'x'").hidesTags).toBe(true);
  expect('error' in f("tagName eq 'env' and location eq 'westeurope'")).toBe(true);
  expect('error' in f("tagValue eq 'x'")).toBe(true);
  expect('error' in f("kind eq 'x'")).toBe(true);
});

test('throttling buckets: writes hold 200 and refill at 10/s, independent of reads', () => {
  let now = 0;
  const b = new ThrottleBuckets(() => now);
  for (let i = 0; i < 200; i++) expect(b.take('k', 'write').ok).toBe(true);
  expect(b.take('k', 'write')).toEqual({ ok: false, retryAfterSeconds: 1 });
  expect(b.take('k', 'read')).toEqual({ ok: true, remaining: 249 });
  now += 100;
  expect(b.take('k', 'write')).toEqual({ ok: true, remaining: 0 });
  expect(b.take('other', 'write').ok).toBe(true);
});

test('role permissions: Contributor cannot write role assignments, Tag Contributor can write tags but not read the resources themselves', () => {
  const allows = (role: string, action: string) => roleById(role)!.permissions.some((p) => permissionAllows(p, action));
  expect(allows(ROLE_IDS.contributor, 'Microsoft.Resources/tags/write')).toBe(true);
  expect(allows(ROLE_IDS.contributor, 'Microsoft.Authorization/roleAssignments/write')).toBe(false);
  expect(allows(ROLE_IDS.userAccessAdministrator, 'Microsoft.Authorization/roleAssignments/write')).toBe(true);
  expect(allows(ROLE_IDS.reader, 'Microsoft.Resources/tags/write')).toBe(false);
  expect(allows(ROLE_IDS.tagContributor, 'Microsoft.Resources/tags/write')).toBe(true);
  expect(allows(ROLE_IDS.tagContributor, 'Microsoft.Compute/virtualMachines/read')).toBe(false);
  expect(allows(ROLE_IDS.owner, 'Microsoft.Authorization/roleAssignments/delete')).toBe(true);
});
