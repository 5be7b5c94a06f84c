import { spawnChild, type ManagedChild } from '../../src/launcher/child.js';
import { Supervisor } from '../../src/launcher/supervisor.js';

/** Real child processes: the supervisor's judgement of "unexpected" and its stop order are what matter here. */
const node = (name: string, script: string, lines: string[] = []): ManagedChild =>
  spawnChild({ name, command: process.execPath, args: ['-e', script], cwd: process.cwd(), env: { PATH: '' }, onLine: (l) => lines.push(l) });
const readyThenWait = (name: string) => `console.log('${name} ready'); setInterval(() => {}, 1000);`;
const untilLine = (lines: string[], text: string) =>
  new Promise<void>((resolve) => {
    const t = setInterval(() => lines.includes(text) && (clearInterval(t), resolve()), 10);
  });

test('a child that exits on its own is a failure named after it', async () => {
  const supervisor = new Supervisor(() => undefined, 50);
  supervisor.watch(node('worker', 'process.exit(3)'), 'the worker');
  await expect(supervisor.failed).resolves.toBe('the worker exited unexpectedly (exit code 3)');
  await supervisor.stop();
});

test('an exit that a stop follows within the grace window is not a failure (Ctrl-C reaches children first)', async () => {
  const supervisor = new Supervisor(() => undefined, 300);
  const child = supervisor.watch(node('worker', 'process.exit(0)'));
  await child.exited;
  await supervisor.stop();
  const outcome = await Promise.race([supervisor.failed, new Promise((r) => setTimeout(() => r('no failure'), 500))]);
  expect(outcome).toBe('no failure');
});

test('stop() ends children newest first, kills one that ignores SIGTERM, then closes services', async () => {
  const events: string[] = [];
  const logged: string[] = [];
  const supervisor = new Supervisor((l) => logged.push(l), 50);
  const lines: string[] = [];
  const first = supervisor.watch(node('first', readyThenWait('first'), lines));
  const stubborn = supervisor.watch(node('stubborn', `process.on('SIGTERM', () => console.log('ignored')); ${readyThenWait('stubborn')}`, lines));
  supervisor.addService('emulator', async () => void events.push('emulator closed'));
  void first.exited.then(() => events.push('first exited'));
  void stubborn.exited.then((e) => events.push(`stubborn exited by ${e.signal}`));
  await Promise.all([untilLine(lines, 'first ready'), untilLine(lines, 'stubborn ready')]); // handlers are installed
  await supervisor.stop(300);
  expect(events).toEqual(['stubborn exited by SIGKILL', 'first exited', 'emulator closed']);
  expect(logged).toEqual(['stubborn did not stop within 0.3 s and was killed']);
  expect(await Promise.race([supervisor.failed, Promise.resolve('none')])).toBe('none');
});
