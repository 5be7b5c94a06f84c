import { CLOUDS, type Config } from '../config.js';

/** Where Microsoft is (config.microsoft): the public, US Gov or China cloud, or the emulator. */
export type MicrosoftEndpoints = Config['microsoft'];

const CLOUD_AUTHORITY_HOSTS = new Set(Object.values(CLOUDS).map((c) => new URL(c.authorityHost).host.toLowerCase()));

/** True for Microsoft's own login hosts; false for the emulator or any other stand-in. */
export function isMicrosoftCloudAuthority(authorityHost: string): boolean {
  return CLOUD_AUTHORITY_HOSTS.has(new URL(authorityHost).host.toLowerCase());
}

/** Azure built-in role definition ids (the same in every cloud). */
export const ROLE_IDS = {
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  'Tag Contributor': '4a9ae827-6dc8-4573-8ac7-8239d42aa03f',
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
} as const;

/** The delegated scopes of the Azure sign-in: ARM on the user's behalf, plus a refresh token and the id token. */
export function armDelegatedScopes(endpoints: MicrosoftEndpoints): string[] {
  return [endpoints.scopes.arm, 'offline_access', 'openid', 'profile'];
}
