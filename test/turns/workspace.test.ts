import { startConnector } from '../support/connector.js';
import { startTestBot } from '../support/bot.js';
import { ADELE, personalMessage, WORKSPACE } from '../support/activities.js';
import { ALEX, channelMessage, MEGAN, messageWithMentions, ROSTER } from '../support/people.js';
import { ensureWorkspace } from '../../src/teams/guards.js';
import { converse, type Bot, type Connector } from './helpers.js';

describe('workspaces and roles: admins, admins add, admins remove', () => {
  let bot: Bot;
  let connector: Connector;
  const say = (activity: object) => converse(bot, connector, activity);
  const workspace = () => bot.deps.store.workspaces.get(WORKSPACE, WORKSPACE);
  const audit = () => bot.deps.store.audit.list(WORKSPACE);

  beforeEach(async () => {
    connector = await startConnector();
    connector.roster.push(...ROSTER);
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('ensureWorkspace makes the first connecter the owner, once; a later connect changes nothing', async () => {
    const first = await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
    expect(first.created).toBe(true);
    expect(first.workspace).toMatchObject({ id: WORKSPACE, workspaceId: WORKSPACE, admins: [{ aadObjectId: ADELE.aadObjectId, name: ADELE.name, role: 'owner' }] });
    const second = await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: MEGAN.aadObjectId, name: MEGAN.name });
    expect(second.created).toBe(false);
    expect((await workspace())!.admins.map((a) => a.aadObjectId)).toEqual([ADELE.aadObjectId]);
    expect((await audit()).filter((e) => e.action === 'workspace.create')).toEqual([expect.objectContaining({ actor: ADELE.aadObjectId, outcome: 'success' })]);
  });

  test('before any connect, admins commands are refused with a pointer to connect', async () => {
    const { text } = await say(personalMessage(connector.url, 'admins'));
    expect(text).toMatch(/not connected yet.*`connect`/);
    expect(await audit()).toEqual([expect.objectContaining({ outcome: 'refused', action: 'admins.list', actor: ADELE.aadObjectId })]);
    expect(await workspace()).toBeUndefined();
  });

  describe('with Adele as owner', () => {
    beforeEach(async () => {
      await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
    });

    test('a viewer trying admins add is refused, told whom to ask, audited, and nothing changes', async () => {
      const before = await workspace();
      const { text } = await say(messageWithMentions(connector.url, 'admins add', [ALEX], { from: MEGAN }));
      expect(text).toContain('Only workspace owners can manage admins');
      expect(text).toContain('Adele Vance');
      expect(await workspace()).toEqual(before);
      const refused = (await audit()).filter((e) => e.outcome === 'refused');
      expect(refused).toEqual([expect.objectContaining({ action: 'admins.add', actor: MEGAN.aadObjectId, target: WORKSPACE, detail: expect.objectContaining({ role: 'viewer', required: 'owner' }) })]);
    });

    test('the owner adds an admin by @mention: the object id comes from the connector member lookup (mentions carry none)', async () => {
      const { text } = await say({ ...messageWithMentions(connector.url, 'admins add', [MEGAN]), ...channelPlace() });
      expect(text).toContain('Megan Bowen is now an admin');
      expect((await workspace())!.admins).toEqual(expect.arrayContaining([expect.objectContaining({ aadObjectId: MEGAN.aadObjectId, name: 'Megan Bowen', role: 'admin' })]));
      expect(await audit()).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'admins.add', actor: ADELE.aadObjectId, target: MEGAN.aadObjectId, outcome: 'success' })]));

      // An admin is not an owner: the admins list stays closed to Megan.
      const list = await say(personalMessage(connector.url, 'admins', { from: MEGAN }));
      expect(list.text).toContain('Only workspace owners');
      const ownerList = await say(personalMessage(connector.url, 'admins'));
      expect(ownerList.text).toMatch(/Owners[\s\S]*Adele Vance[\s\S]*Admins[\s\S]*Megan Bowen/);
    });

    test('the owner adds by UPN typed as text, and as owner; adding again changes nothing', async () => {
      expect((await say(personalMessage(connector.url, 'admins add ALEX@contoso.example as owner'))).text).toContain('Alex Wilber is now an owner');
      expect((await workspace())!.admins).toEqual(expect.arrayContaining([expect.objectContaining({ aadObjectId: ALEX.aadObjectId, role: 'owner' })]));
      const entries = (await audit()).length;
      expect((await say(personalMessage(connector.url, 'admins add alex@contoso.example'))).text).toContain('already an owner');
      expect(await audit()).toHaveLength(entries);
    });

    test('where member lookups take Teams ids only (the Agents Playground), a typed UPN is found in the roster', async () => {
      connector.options.memberLookupByIdOnly = true;
      expect((await say(channelMessage(connector.url, 'admins add megan@contoso.example'))).text).toContain('Megan Bowen is now an admin');
      expect((await workspace())!.admins).toEqual(expect.arrayContaining([expect.objectContaining({ aadObjectId: MEGAN.aadObjectId, role: 'admin' })]));
    });

    test('an object id typed as text is accepted; an unknown name is answered and changes nothing', async () => {
      const guid = 'c3c3c3c3-0000-4000-8000-00000000000c';
      expect((await say(personalMessage(connector.url, `admins add ${guid}`))).text).toContain('is now an admin');
      expect((await workspace())!.admins.map((a) => a.aadObjectId)).toContain(guid);
      const before = await workspace();
      expect((await say(personalMessage(connector.url, 'admins add nobody@contoso.example'))).text).toContain(`couldn't find "nobody@contoso.example"`);
      expect(await workspace()).toEqual(before);
    });

    test('the last owner cannot be removed (refused and audited); after a second owner is added, it can', async () => {
      const refusedText = (await say(personalMessage(connector.url, 'admins remove adele@contoso.example'))).text;
      expect(refusedText).toContain('last owner');
      expect((await workspace())!.admins).toEqual([expect.objectContaining({ aadObjectId: ADELE.aadObjectId, role: 'owner' })]);
      expect(await audit()).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'admins.remove', outcome: 'refused', target: ADELE.aadObjectId })]));

      await say(personalMessage(connector.url, 'admins add alex@contoso.example as owner'));
      expect((await say(personalMessage(connector.url, 'admins remove adele@contoso.example'))).text).toContain('Adele Vance is no longer an owner');
      expect((await workspace())!.admins.map((a) => a.aadObjectId)).toEqual([ALEX.aadObjectId]);
      // Adele is a viewer now: she can no longer manage admins.
      expect((await say(personalMessage(connector.url, 'admins remove alex@contoso.example'))).text).toContain('Only workspace owners');
      expect((await workspace())!.admins.map((a) => a.aadObjectId)).toEqual([ALEX.aadObjectId]);
    });

    test('a mentioned person the connector does not know is answered, not guessed', async () => {
      const stranger = { id: '29:stranger', name: 'Sam Stranger', aadObjectId: 'ignored' };
      const before = await workspace();
      expect((await say(messageWithMentions(connector.url, 'admins add', [stranger]))).text).toContain("couldn't look up Sam Stranger");
      expect(await workspace()).toEqual(before);
    });

    test('removing someone who is not an admin says so and changes nothing', async () => {
      const before = await workspace();
      expect((await say(messageWithMentions(connector.url, 'admins remove', [MEGAN]))).text).toContain('Megan Bowen is not an admin');
      expect(await workspace()).toEqual(before);
    });

    test('a turn without an aadObjectId is refused and audited', async () => {
      const anonymous = { id: '29:anon', name: 'Anon' } as typeof ADELE;
      const { text } = await say(personalMessage(connector.url, 'admins add alex@contoso.example', { from: anonymous }));
      expect(text).toContain('does not say who sent it');
      expect(await audit()).toEqual(expect.arrayContaining([expect.objectContaining({ outcome: 'refused', actor: 'teams:29:anon', detail: expect.objectContaining({ reason: 'no-user' }) })]));
      expect((await workspace())!.admins).toHaveLength(1);
    });
  });
});

/** A team channel: TeamsInfo.getMember then asks the team's roster, as in Teams. */
function channelPlace() {
  const c = channelMessage('', '');
  return { conversation: c.conversation, channelData: c.channelData };
}
