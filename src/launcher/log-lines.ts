/**
 * Makes the bot's pino JSON lines readable in a terminal: `10:03:12 INFO  [jobs] scheduler started backend=lowdb`.
 * Lines that are not pino JSON (a stack trace, a Node warning) pass through unchanged.
 */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'component', 'err']);

export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry.level !== 'number' || !('msg' in entry || 'err' in entry)) return line;
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : '';
  const level = (LEVELS[entry.level] ?? String(entry.level)).padEnd(5);
  const component = typeof entry.component === 'string' ? `[${entry.component}] ` : '';
  const fields = Object.entries(entry)
    .filter(([k, v]) => !SKIP.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  const parts = [time, level, `${component}${typeof entry.msg === 'string' ? entry.msg : ''}`.trim(), ...fields].filter(Boolean);
  const err = entry.err as { message?: string; stack?: string } | undefined;
  const errText = err ? `\n    ${(err.stack ?? err.message ?? JSON.stringify(err)).split('\n').join('\n    ')}` : '';
  return parts.join(' ') + errText;
}
