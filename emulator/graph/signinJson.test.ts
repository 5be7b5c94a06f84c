import { createWorld } from '../world/index.js';
import { SignInDraw } from '../world/signins.js';
import type { World } from '../world/types.js';
import { SIGN_IN_FIELDS } from './signins.js';
import { SignInPageWriter, view } from './signinJson.js';

const ANCHOR = Date.UTC(2026, 0, 15, 12);

/** What the endpoint answered before the writer: JSON.stringify over view() objects. */
const expected = (w: World, tenant: string, positions: number[]) => JSON.stringify({ value: positions.map((p) => view(w.signInAt(tenant, p)!)) });

function written(w: World, tenant: string, positions: number[], expectedItems = positions.length): string {
  const page = new SignInPageWriter(expectedItems);
  const draw = new SignInDraw();
  for (const p of positions) page.add(w.signInEntryAt(tenant, p, draw)!);
  return page.body(JSON.stringify({ value: [] })).toString('utf8');
}

const range = (from: number, n: number, step = 1) => Array.from({ length: n }, (_, i) => from + i * step);

describe('SignInPageWriter', () => {
  it('writes exactly what JSON.stringify wrote for generated sign-ins, across the whole bench log', () => {
    const w = createWorld({ seed: 'writer', size: 'bench', anchorTime: ANCHOR });
    const h = w.home.id;
    const spread = range(0, 20_000, 49);
    expect(written(w, h, spread)).toBe(expected(w, h, spread));
    expect(written(w, h, range(999_000, 1000))).toBe(expected(w, h, range(999_000, 1000)));
    for (const t of w.tenants().slice(1)) expect(written(w, t.id, range(0, w.signInCount(t.id)))).toBe(expected(w, t.id, range(0, w.signInCount(t.id))));
  });

  it('escapes edited users exactly as JSON.stringify does, and falls back for non-string fields', () => {
    const w = createWorld({ seed: 'writer-edits', anchorTime: ANCHOR, clock: () => ANCHOR });
    const h = w.home.id;
    const names = ['Quote " and \\ backslash', 'Line\nbreak\ttab\u0001', 'Zoë Ångström 中文 😀', 'lone \ud800 surrogate', 'x'.repeat(5000), ''];
    const ids = [...new Set(range(0, 60).map((p) => w.signInAt(h, p)!.userId))];
    ids.forEach((id, i) => {
      const odd: Record<string, unknown> = i < names.length ? { displayName: names[i], userPrincipalName: `${names[i]}@x.test` } : i === names.length ? { displayName: null } : i === names.length + 1 ? { displayName: 42 } : { displayName: undefined };
      w.updateUser(h, id, odd);
    });
    w.addSignIns(h, [{ createdDateTime: w.signInAt(h, 5)!.createdDateTime, ipAddress: 'odd "ip"' }, { createdDateTime: w.signInAt(h, 30)!.createdDateTime }]);
    const all = range(0, 62);
    expect(written(w, h, all, 1)).toBe(expected(w, h, all));
    expect(JSON.parse(written(w, h, all)).value.some((s: { userDisplayName?: string }) => s.userDisplayName === names[2])).toBe(true);
  });

  it('writes dates outside four-digit years and before 1970 as toISOString does', () => {
    for (const anchorTime of [Date.UTC(10000, 0, 3), Date.UTC(1970, 0, 2)]) {
      const w = createWorld({ seed: 'writer-dates', anchorTime });
      const h = w.home.id;
      const all = range(0, w.signInCount(h));
      expect(written(w, h, all)).toBe(expected(w, h, all));
    }
  });

  it('puts the sign-ins inside the envelope, also when its opening exceeds the reserved room', () => {
    const w = createWorld({ seed: 'writer-env', anchorTime: ANCHOR });
    const h = w.home.id;
    const envelope = { '@odata.context': 'https://x/$metadata#auditLogs/signIns', '@odata.nextLink': `https://x/?$skiptoken=${'a'.repeat(20_000)}`, value: [] as unknown[] };
    for (const env of [envelope, { ...envelope, '@odata.nextLink': 'https://x/next' }]) {
      const page = new SignInPageWriter(3);
      const draw = new SignInDraw();
      for (const p of [0, 1, 2]) page.add(w.signInEntryAt(h, p, draw)!);
      expect(page.body(JSON.stringify(env)).toString('utf8')).toBe(JSON.stringify({ ...env, value: [0, 1, 2].map((p) => view(w.signInAt(h, p)!)) }));
    }
    expect(new SignInPageWriter(0).body('{"value":[]}').toString('utf8')).toBe('{"value":[]}');
    expect(() => new SignInPageWriter(0).body('{"value":[1]}')).toThrow();
  });
});

describe('SIGN_IN_FIELDS', () => {
  it('reads the same value from a draw as from the sign-in built from it', () => {
    const w = createWorld({ seed: 'fields', anchorTime: ANCHOR });
    const h = w.home.id;
    const draw = new SignInDraw();
    for (const p of range(0, 400)) {
      const d = w.signInEntryAt(h, p, draw) as SignInDraw;
      expect(d).toBeInstanceOf(SignInDraw);
      const s = w.signInAt(h, p)!;
      for (const [name, f] of Object.entries(SIGN_IN_FIELDS)) expect([name, f.draw(d)]).toEqual([name, f.signIn(s)]);
    }
  });
});
