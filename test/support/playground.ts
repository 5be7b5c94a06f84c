import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from '../../src/config.js';
import { PlaygroundClient, type BotStream, type PlaygroundConfigView } from '../../src/launcher/playground-api.js';
import { playgroundConfig, toYaml } from '../../src/launcher/playground-config.js';
import { playgroundEnvOverrides, startPlayground, type RunningPlayground } from '../../src/launcher/playground-process.js';
import type { playgroundWorldFrom } from '../../src/launcher/seeded-people.js';

export interface TestPlayground {
  playground: RunningPlayground;
  client: PlaygroundClient;
  view: PlaygroundConfigView['config'];
  stream: BotStream;
  stop(): Promise<void>;
}

/**
 * The real Agents Playground (a child process on a random port) in front of a running bot, with `people` as its
 * mock Teams users; its config and log go in `dir`. The stream is open before any message is sent.
 */
export async function startTestPlayground(botUrl: string, people: ReturnType<typeof playgroundWorldFrom>, dir: string): Promise<TestPlayground> {
  const configPath = path.join(dir, '.m365agentsplayground.yml');
  await writeFile(configPath, toYaml(playgroundConfig(people), 'test'));
  const playground = await startPlayground({
    botEndpoint: `${botUrl}/api/messages`,
    port: 0,
    cwd: dir,
    env: childEnv(playgroundEnvOverrides({ configPath, logFile: path.join(dir, 'playground.log') })),
  });
  const client = new PlaygroundClient(playground.url);
  const view = (await client.config()).config;
  const stream = await client.stream();
  return {
    playground,
    client,
    view,
    stream,
    async stop() {
      await stream.close();
      await playground.child.stop(5000);
    },
  };
}
