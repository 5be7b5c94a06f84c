import { createHash } from 'node:crypto';
import { encodeSkipToken } from './odata.js';
import { startGraphTestService, type GraphTestService } from './testkit.js';

/**
 * Pins the exact bytes auditLogs/signIns answers for a fixed seed and anchor in the bench-sized world (100k users,
 * 1M sign-ins), so that making the generator cheaper can never change a sign-in, its order, its fields or a paging
 * token. The hashes were taken from the code before the sign-in path was optimised; the server's random port is
 * replaced by a fixed origin before hashing.
 */

const ANCHOR = Date.UTC(2026, 0, 15, 12);
const ORIGIN = 'https://graph.test';

let g: GraphTestService;
let home: string;
let token: string;

beforeAll(async () => {
  g = await startGraphTestService({ seed: 'signins-pin', size: 'bench', anchorTime: ANCHOR });
  home = g.world.home.id;
  token = await g.appToken(home);
});
afterAll(() => g.close());

async function raw(pathOrUrl: string): Promise<{ text: string; body: any }> {
  const res = await fetch(pathOrUrl.startsWith('https://') ? pathOrUrl : `${g.url}${pathOrUrl}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, body: JSON.parse(text) };
}

const sha = (text: string) => createHash('sha256').update(text.split(g.url).join(ORIGIN)).digest('hex');

/** A nextLink-style URL starting `position` sign-ins from the newest end. */
const at = (position: number) => `/v1.0/auditLogs/signIns?$skiptoken=${encodeSkipToken({ k: 'signIns', t: home, o: g.world.signInCount(home) - position })}`;

describe('auditLogs/signIns answers the same bytes for the same seed', () => {
  it('pins the first two pages, a page deep in the log, the last page and a filtered page', async () => {
    const first = await raw('/v1.0/auditLogs/signIns');
    const second = await raw(first.body['@odata.nextLink']);
    const deep = await raw(at(654_321));
    const last = await raw(at(999_500));
    const user = first.body.value[17].userId;
    const filtered = await raw(`/v1.0/auditLogs/signIns?$filter=userId eq '${user}' and createdDateTime ge 2026-01-10T00:00:00Z&$top=5`);
    expect(filtered.body.value.length).toBeGreaterThan(0);
    expect([first, second, deep, last].map((p) => p.body.value.length)).toEqual([1000, 1000, 1000, 500]);
    expect(last.body['@odata.nextLink']).toBeUndefined();
    expect({ first: sha(first.text), second: sha(second.text), deep: sha(deep.text), last: sha(last.text), filtered: sha(filtered.text) }).toEqual({
      first: 'f8113e81a6619b0b86a230a9706372e0e4d0722ac866073ec668a2bd7f18d097',
      second: 'd757f7bf7491cfe9a9865625955682b898b1c5fe4d15a1971832a7657996d743',
      deep: '84eef863806aa7221bfb5baf7688fcdce821dc105d18a7590890581f1223495d',
      last: 'b87d3237756653123f9cf2a7564bc7cd87831d3c68e8e109a419c857c34035d8',
      filtered: 'c3e66587c57099f1bd306f26b99450d1e7144e9d947fc8ca5fc6d842ac1f77c5',
    });
  });

  it('pins a page after users are edited and removed and sign-ins are added (no stale identity)', async () => {
    const before = (await raw('/v1.0/auditLogs/signIns?$top=200')).body.value;
    const edited = g.world.user(home, before[3].userId)!;
    g.world.updateUser(home, edited.id, { displayName: 'Renamed Person', userPrincipalName: 'renamed.person@pin.test', city: 'Paris' });
    g.world.removeUser(home, before[9].userId);
    g.world.addSignIns(home, [{ createdDateTime: before[50].createdDateTime }, { createdDateTime: new Date(ANCHOR - 1000).toISOString(), userId: edited.id }]);
    const after = await raw('/v1.0/auditLogs/signIns?$top=200');
    expect(after.body.value.filter((s: any) => s.userId === edited.id).every((s: any) => s.userDisplayName === 'Renamed Person')).toBe(true);
    expect(sha(after.text)).toBe('80446571407190798fd26b20864084966a1df3d60d26d0f13bef38bdc095a2f8');
  });
});
