import type { CredentialStatus } from '../../store/types.js';
import { applyObservation, stateByExpiry, thresholdFor, type Observation } from './credential-state.js';

const DAY = 24 * 3600 * 1000;
const T0 = new Date('2025-05-01T00:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

/** Runs observations through applyObservation in order, returning the notices (null where none). */
function run(kind: Parameters<typeof applyObservation>[0], steps: [Date, Observation][], start?: CredentialStatus) {
  let status = start;
  return steps.map(([now, obs]) => {
    const t = applyObservation(kind, status, obs, now);
    status = t.next;
    return t.notice ? (t.notice.kind === 'problem' ? `${t.notice.state}${t.notice.thresholdDays ? `:${t.notice.thresholdDays}` : ''}` : `recovered:${t.notice.previous}`) : null;
  });
}

describe('applyObservation', () => {
  test('a problem is announced once, repeats are silent, and the fix is announced once', () => {
    expect(run('delegatedRefreshToken', [
      [at(0), { state: 'ok' }],
      [at(0.1), { state: 'revoked', detail: 'AADSTS50173' }],
      [at(0.2), { state: 'revoked', detail: 'AADSTS50173' }],
      [at(0.3), { state: 'ok' }],
      [at(0.4), { state: 'ok' }],
    ])).toEqual([null, 'revoked', null, 'recovered:revoked', null]);
  });

  test('a change from one problem to another is a new card; a transient error neither announces nor forgets', () => {
    expect(run('delegatedRefreshToken', [
      [at(0), { state: 'blocked' }],
      [at(0.1), { state: 'error', detail: 'ECONNRESET' }],
      [at(0.2), { state: 'blocked' }],
      [at(0.3), { state: 'expired' }],
      [at(0.4), { state: 'error' }],
      [at(0.5), { state: 'ok' }],
    ])).toEqual(['blocked', null, null, 'expired', null, 'recovered:expired']);
  });

  test('a secret expiring is announced at 30, 7 and 1 days, each once, then expired, then renewed', () => {
    const end = at(40).toISOString();
    const expiring = (now: Date): [Date, Observation] => [now, { state: stateByExpiry(new Date(end), now), expiresAt: end }];
    expect(run('clientSecret', [
      expiring(at(5)), // 35 days left
      expiring(at(10)), // 30 days left
      expiring(at(11)),
      expiring(at(20)),
      expiring(at(33.5)), // 6.5 days
      expiring(at(34)),
      expiring(at(39.2)), // 0.8 day
      expiring(at(39.9)),
      expiring(at(40.1)),
      expiring(at(41)),
      [at(41.5), { state: 'ok', expiresAt: at(800).toISOString() }],
    ])).toEqual([null, 'expiring:30', null, null, 'expiring:7', null, 'expiring:1', null, 'expired', null, 'recovered:expired']);
  });

  test('a first look that is already inside 7 days reminds once at 7, not at 30 as well', () => {
    const end = at(5).toISOString();
    expect(run('partnerCenterRefreshToken', [
      [at(0), { state: 'expiring', expiresAt: end }],
      [at(1), { state: 'expiring', expiresAt: end }],
    ])).toEqual(['expiring:7', null]);
  });

  test('the stored status keeps the sealed secret unless a new one is given, and never gains a clear one', () => {
    const prev: CredentialStatus = { state: 'ok', sealed: 'v1.old', updatedAt: T0.toISOString() };
    expect(applyObservation('delegatedRefreshToken', prev, { state: 'revoked' }, at(1)).next.sealed).toBe('v1.old');
    const rotated = applyObservation('delegatedRefreshToken', prev, { state: 'ok', sealed: 'v1.new', expiresAt: at(91).toISOString() }, at(1));
    expect(rotated).toMatchObject({ stateChanged: false, next: { sealed: 'v1.new', updatedAt: at(1).toISOString() } });
    expect(applyObservation('azureConsent', prev, { state: 'ok' }, at(1)).next.updatedAt).toBe(T0.toISOString());
  });

  test('thresholdFor picks the nearest threshold', () => {
    expect([thresholdFor(31 * DAY), thresholdFor(30 * DAY), thresholdFor(7.5 * DAY), thresholdFor(7 * DAY), thresholdFor(DAY / 2)]).toEqual([undefined, 30, 30, 7, 1]);
  });
});
