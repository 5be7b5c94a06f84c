import { formatLogLine } from '../../src/launcher/log-lines.js';

test('a pino line becomes time, level, component, message and fields', () => {
  const line = JSON.stringify({ level: 30, time: '2025-01-02T10:03:12.370Z', component: 'jobs', backend: 'lowdb', jobs: [], note: 'two words', msg: 'scheduler started' });
  expect(formatLogLine(line)).toBe('10:03:12 INFO  [jobs] scheduler started backend=lowdb jobs=[] note="two words"');
});

test('an error carries its stack, indented', () => {
  const line = JSON.stringify({ level: 50, time: '2025-01-02T10:03:12.370Z', err: { message: 'boom', stack: 'Error: boom\n    at x' }, msg: 'turn failed' });
  expect(formatLogLine(line)).toBe('10:03:12 ERROR turn failed\n    Error: boom\n        at x');
});

test('anything that is not a pino line passes through', () => {
  for (const line of ['plain text', '{not json', '{"a":1}', '']) expect(formatLogLine(line)).toBe(line);
});
