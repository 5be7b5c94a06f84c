import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_KEY = /secret|password|passwd|token|authorization|cookie|code_?verifier|assertion|sealingkey|^code$|^key$/i;
/** Compact JWS (three base64url parts starting with a JSON header) — access, id and refresh tokens that are JWTs. */
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
/** A JSON string field whose name says it holds a secret, in an already serialized log line. */
const SECRET_JSON_FIELD = /"([A-Za-z_]*(?:secret|password|token|authorization|cookie|verifier|assertion)[A-Za-z_]*)":"(?:[^"\\]|\\.)*"/gi;
/** Entra refresh tokens and client secrets are opaque; they are caught by key name, and secrets we know by value. */

/** Replaces secrets by key name and JWT-looking strings anywhere, so a careless log call cannot leak a token. */
export function redact(value: unknown, knownSecrets: ReadonlySet<string> = new Set(), depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value, knownSecrets);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) return redact({ ...value, type: value.constructor.name, message: value.message, stack: value.stack }, knownSecrets, depth + 1);
  if (Array.isArray(value)) return value.map((v) => redact(v, knownSecrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[REDACTED]' : redact(v, knownSecrets, depth + 1);
  return out;
}

function scrubString(s: string, knownSecrets: ReadonlySet<string>): string {
  let out = s.replace(JWT, '[REDACTED-JWT]');
  for (const secret of knownSecrets) if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  return out;
}

/**
 * The process logger. `knownSecrets` holds secret values from config (client secrets, bot password), so that even
 * a message that embeds one verbatim is scrubbed. Pass a destination to capture output in tests.
 */
export function createLogger(opts: { level: string; knownSecrets?: string[]; destination?: pino.DestinationStream }): Logger {
  const secrets = new Set((opts.knownSecrets ?? []).filter((s) => s.length >= 8));
  return pino(
    {
      level: opts.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        log: (obj) => redact(obj, secrets) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubString(a, secrets) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
        // Child-logger bindings bypass formatters.log, so the serialized line is scrubbed once more.
        streamWrite: (line) => scrubString(line, secrets).replace(SECRET_JSON_FIELD, '"$1":"[REDACTED]"'),
      },
    },
    opts.destination,
  );
}
