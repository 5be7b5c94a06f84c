/** Opaque ARM `$skiptoken`: the index to resume scanning from. */
export function encodeSkipToken(index: number): string {
  return Buffer.from(JSON.stringify({ i: index })).toString('base64url');
}

export function decodeSkipToken(token: string | null): number | undefined {
  if (!token) return 0;
  try {
    const i = (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { i?: unknown }).i;
    return typeof i === 'number' && Number.isInteger(i) && i >= 0 ? i : undefined;
  } catch {
    return undefined;
  }
}
