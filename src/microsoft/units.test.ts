import { allows, classifyAuthorizeError, classifyMicrosoftError, isMicrosoftCloudAuthority, uuidV5 } from './index.js';
import { retryReason } from './retry.js';

test('uuidV5 matches the RFC 4122 test vector (DNS namespace, www.example.com)', () => {
  expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
});

test('RBAC evaluation: Owner and User Access Administrator may write role assignments, Reader and Tag Contributor may not', () => {
  const write = 'Microsoft.Authorization/roleAssignments/write';
  expect(allows([{ actions: ['*'], notActions: [] }], write)).toBe(true);
  expect(allows([{ actions: ['*/read', 'Microsoft.Authorization/*'] }], write)).toBe(true);
  expect(allows([{ actions: ['*/read'] }], write)).toBe(false);
  expect(allows([{ actions: ['Microsoft.Authorization/*/read', 'Microsoft.Resources/tags/*'] }], write)).toBe(false);
  // Contributor: everything except Microsoft.Authorization writes.
  expect(allows([{ actions: ['*'], notActions: ['Microsoft.Authorization/*/Write', 'Microsoft.Authorization/*/Delete'] }], write)).toBe(false);
  expect(allows([], write)).toBe(false);
});

test('authorize redirect errors: cancel, consent, Conditional Access, unknown AADSTS', () => {
  expect(classifyAuthorizeError('access_denied', 'AADSTS65004: User declined to consent to access the app. Trace ID: 1 Correlation ID: 2')).toMatchObject({ kind: 'cancelled', aadsts: 65004, message: 'AADSTS65004: User declined to consent to access the app.' });
  expect(classifyAuthorizeError('access_denied', undefined).kind).toBe('cancelled');
  expect(classifyAuthorizeError('access_denied', 'AADSTS53003: Access has been blocked by Conditional Access policies.').kind).toBe('conditionalAccess');
  expect(classifyAuthorizeError('access_denied', 'AADSTS90094: Admin consent is required').kind).toBe('consentMissing');
  expect(classifyAuthorizeError('server_error', 'AADSTS12345: something new')).toMatchObject({ kind: 'other', aadsts: 12345 });
});

test('SDK-shaped errors: RestError 429/403/401, network codes; JWTs never reach the message', () => {
  expect(classifyMicrosoftError({ name: 'RestError', statusCode: 429, code: 'TooManyRequests', message: 'slow down' }).kind).toBe('throttled');
  expect(classifyMicrosoftError({ name: 'RestError', statusCode: 401, code: 'ExpiredAuthenticationToken', message: 'The access token expiry UTC time is earlier' }).kind).toBe('expired');
  expect(classifyMicrosoftError({ name: 'RestError', code: 'REQUEST_SEND_ERROR', message: 'connect ECONNREFUSED' }).kind).toBe('network');
  expect(classifyMicrosoftError(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } })).kind).toBe('network');
  const leaky = classifyMicrosoftError(new Error('bad token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here'));
  expect(leaky.message).not.toContain('eyJ');
  expect(classifyMicrosoftError('weird')).toMatchObject({ kind: 'other', message: 'weird' });
});

test('only Microsoft login hosts count as Microsoft clouds', () => {
  expect(isMicrosoftCloudAuthority('https://login.microsoftonline.com')).toBe(true);
  expect(isMicrosoftCloudAuthority('https://login.microsoftonline.us')).toBe(true);
  expect(isMicrosoftCloudAuthority('https://127.0.0.1:47100')).toBe(false);
});

test('a body cut off mid-read is retried: the Azure SDK\'s "Error reading response as text: aborted" as much as a JSON parse failure', () => {
  // What @azure/core-rest-pipeline throws when the connection drops while it reads a 200's body (ARM listings).
  const cut = Object.assign(new Error('Error reading response as text: aborted'), { name: 'RestError', code: 'PARSE_ERROR' });
  expect(retryReason(cut)).toBe('truncated response');
  expect(retryReason(new SyntaxError('Unexpected end of JSON input'))).toBe('truncated response');
  expect(retryReason(Object.assign(new Error('The client does not have authorization'), { name: 'RestError', statusCode: 403 }))).toBeUndefined();
});
