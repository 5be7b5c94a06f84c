import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { credentialSealContext } from '../../src/features/health/credentials.js';
import { startWorld, type World } from '../support/world.js';
import { connectCard } from './support.js';

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push(full);
  }
  return out;
}

describe('secrets stay sealed', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(() => w.close());

  test('after connect and add subscriptions, no token, code, verifier or secret is in the data dir or the logs', async () => {
    const adele = w.people.adele;
    const { url } = await connectCard(w, adele);
    const redirect = await w.signInRedirect(url, adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    const code = redirect.searchParams.get('code')!;
    expect((await w.openCallback(redirect.toString())).status).toBe(200);
    await w.say(adele, 'add subscriptions');
    const pending = await connectCard(w, adele); // a state still pending holds a sealed verifier
    await w.bot.deps.store.close().catch(() => undefined); // flush lowdb writes; the bot is stopped by close()

    const sealer = w.bot.deps.sealer;
    const tenant = JSON.parse(await readFile(path.join(w.bot.dataDir, 'tenants.json'), 'utf8')).records[0];
    const refreshToken = sealer.unseal(tenant.credentials.delegatedRefreshToken.sealed, credentialSealContext(w.workspaceId, tenant.id, 'delegatedRefreshToken'));
    const states = JSON.parse(await readFile(path.join(w.bot.dataDir, 'consentStates.json'), 'utf8')).records as { id: string; sealedVerifier: string; window?: { sealedAccessToken: string } }[];
    const withWindow = states.find((s) => s.window)!;
    const accessToken = sealer.unseal(withWindow.window!.sealedAccessToken, `${withWindow.id}/window`);
    const verifier = sealer.unseal(states.find((s) => s.id === pending.consentId)!.sealedVerifier, pending.consentId);
    const secrets = { clientSecret: w.emulator.demoApp.clientSecret, refreshToken, accessToken, code, verifier };
    expect(accessToken).toMatch(JWT);

    const haystacks: [string, string][] = [['logs', w.bot.logs.join('')]];
    for (const file of await filesUnder(w.bot.dataDir)) {
      if (path.basename(file) === 'sealing.key') continue; // the embedded key file itself (mode 0600), by design
      haystacks.push([path.relative(w.bot.dataDir, file), await readFile(file, 'utf8')]);
    }
    expect(haystacks.length).toBeGreaterThan(3);
    for (const [where, text] of haystacks) {
      for (const [name, value] of Object.entries(secrets)) expect({ where, name, found: text.includes(value) }).toEqual({ where, name, found: false });
      expect({ where, jwt: JWT.exec(text)?.[0] }).toEqual({ where, jwt: undefined });
    }
  });
});
