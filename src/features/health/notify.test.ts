import { createCardRenderer } from '../../teams/cards.js';
import { healthMessages, RECONNECT_VERB } from './notify.js';

const cards = createCardRenderer();
const NOW = new Date('2025-06-01T08:00:00Z');
const TENANT = { id: '11111111-1111-4111-8111-111111111111', displayName: 'Fabrikam' };
const content = (m: { attachment: { content?: unknown } }) => m.attachment.content as { version: string; body: { text?: string }[]; actions?: unknown[] };

describe('healthMessages', () => {
  test('problems sharing a state make one card with a Reconnect button for the tenant; recoveries make one message', () => {
    const messages = healthMessages(cards, TENANT, [
      { kind: 'problem', credential: 'azureConsent', state: 'missing', detail: 'consent is missing (AADSTS65001)' },
      { kind: 'problem', credential: 'graphConsent', state: 'missing', detail: 'consent is missing (AADSTS65001)' },
      { kind: 'problem', credential: 'delegatedRefreshToken', state: 'blocked', detail: 'a Conditional Access policy blocks the sign-in (AADSTS53003)' },
      { kind: 'recovered', credential: 'clientSecret', previous: 'expired' },
      { kind: 'recovered', credential: 'partnerCenterRefreshToken', previous: 'expiring' },
    ], NOW);
    expect(messages.map((m) => [m.kind, m.credentials])).toEqual([
      ['problem', ['azureConsent', 'graphConsent']],
      ['problem', ['delegatedRefreshToken']],
      ['recovered', ['clientSecret', 'partnerCenterRefreshToken']],
    ]);
    for (const m of messages) expect(content(m).version).toBe('1.5');
    expect(content(messages[0]).body[0].text).toBe('Consent missing: Azure access (app-only token) and Microsoft Graph access (app-only token)');
    expect(content(messages[1]).body[0].text).toMatch(/blocked by Conditional Access/);
    expect(JSON.stringify(content(messages[1]))).toMatch(/Conditional Access policy, then press Reconnect/);
    for (const m of messages.slice(0, 2)) {
      expect(content(m).actions).toEqual([{ type: 'Action.Execute', title: 'Reconnect', verb: RECONNECT_VERB, data: { tenantId: TENANT.id } }]);
    }
    expect(content(messages[2]).actions).toBeUndefined();
    expect(JSON.stringify(content(messages[2]))).toContain('working again (was expiring)');
  });

  test('an expiry reminder says how long is left; the fix for our secret is the operator\'s, not a reconnect', () => {
    const [reminder] = healthMessages(cards, TENANT, [
      { kind: 'problem', credential: 'clientSecret', state: 'expiring', thresholdDays: 7, expiresAt: '2025-06-07T20:00:00Z', detail: 'expires on 2025-06-07 20:00 UTC' },
    ], NOW);
    expect(content(reminder).body[0].text).toBe("Tenant Steward's client secret expires in 6 days 12 hours");
    expect(JSON.stringify(content(reminder))).toContain('must add a new client secret');
  });
});
