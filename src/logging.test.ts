import { Writable } from 'node:stream';
import { createLogger, redact } from './logging.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlLXBhcnQ';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, destination };
}

describe('log redaction', () => {
  test('secret-named fields and JWTs anywhere are redacted', () => {
    const out = redact({ clientSecret: 'abc', nested: { refresh_token: 'r', note: `Bearer ${JWT}` }, list: [{ password: 'p' }], ok: 'visible' });
    expect(out).toEqual({ clientSecret: '[REDACTED]', nested: { refresh_token: '[REDACTED]', note: 'Bearer [REDACTED-JWT]' }, list: [{ password: '[REDACTED]' }], ok: 'visible' });
  });

  test('the logger scrubs known secret values and tokens from messages and errors', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', knownSecrets: ['my-client-secret-123'], destination });
    logger.info({ err: new Error(`token ${JWT} rejected`) }, 'secret my-client-secret-123 in a message');
    logger.child({ authorization: `Bearer ${JWT}` }).warn('child');
    const text = lines.join('');
    expect(text).not.toContain('my-client-secret-123');
    expect(text).not.toContain(JWT);
    expect(text).toContain('[REDACTED]');
    expect(lines).toHaveLength(2);
  });
});
