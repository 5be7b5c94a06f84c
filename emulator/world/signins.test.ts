import { createWorld } from './index.js';
import { buildTenants } from './tenants.js';
import { resolveSizes } from './sizes.js';
import { hashString } from './prng.js';
import { TenantDirectory } from './directory.js';
import { generateUser, nameKey, userIdentity } from './users.js';
import { SignInDraw, signInFromDraw } from './signins.js';

const ANCHOR = Date.UTC(2026, 0, 15, 12);
const identity = (u: { id: string; userPrincipalName: string; displayName: string; city: string | null }) => ({ id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName, city: u.city });

describe('userIdentity', () => {
  it("equals generateUser's identity fields for admins, members and guests (bare ones too) in every tenant", () => {
    let guests = 0;
    let bare = 0;
    for (const seed of ['alpha', 'beta', 'bench']) {
      for (const t of buildTenants(hashString(seed), resolveSizes('bench'))) {
        const nk = nameKey(t);
        for (let i = 0; i < Math.min(t.sizes.usersPerTenant, 6000); i++) {
          const u = generateUser(t, nk, i);
          if (u.userType === 'Guest') guests++;
          if (u.userType === 'Guest' && u.city === null) bare++;
          expect(userIdentity(t, nk, i)).toEqual(identity(u));
        }
      }
    }
    expect(guests).toBeGreaterThan(100);
    expect(bare).toBeGreaterThan(50);
  });

  it('identityAt shows the edited user, and the generated one for an untouched or removed slot', () => {
    const t = buildTenants(hashString('ident'), resolveSizes('demo'))[0];
    const dir = new TenantDirectory(t);
    const edited = dir.update(1, 20, { displayName: 'Edited Name', city: 'Paris' });
    dir.remove(2, 21);
    expect(dir.identityAt(20)).toBe(edited);
    expect(identity(dir.identityAt(21) as never)).toEqual(identity(dir.baseAt(21)));
    expect(identity(dir.identityAt(22) as never)).toEqual(identity(dir.baseAt(22)));
  });
});

describe('sign-in draws', () => {
  it('build the same SignIn through signInAt and through signInEntryAt, and fill the reader-owned draw', () => {
    const w = createWorld({ seed: 'draws', anchorTime: ANCHOR, clock: () => ANCHOR });
    const h = w.home.id;
    const [added] = w.addSignIns(h, [{ createdDateTime: w.signInAt(h, 10)!.createdDateTime }]);
    const draw = new SignInDraw();
    let sawAdded = false;
    for (let p = 0; p < w.signInCount(h); p++) {
      const e = w.signInEntryAt(h, p, draw)!;
      if (e instanceof SignInDraw) {
        expect(e).toBe(draw);
        expect(signInFromDraw(e)).toEqual(w.signInAt(h, p));
      } else {
        expect(e).toBe(added);
        sawAdded = true;
      }
    }
    expect(sawAdded).toBe(true);
    expect(w.signInEntryAt(h, w.signInCount(h), draw)).toBeUndefined();
  });
});
