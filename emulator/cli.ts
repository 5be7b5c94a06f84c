/**
 * `npm run emulator [-- --seed S --size demo|bench --latency-ms N --port-base P --max-requests N]`
 * Prints one JSON line (URLs, CA path, home tenant, demo app credentials, seeded admins), then serves until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startEmulator, type EmulatorOptions } from './index.js';

function options(argv: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      size: { type: 'string' },
      'latency-ms': { type: 'string' },
      'port-base': { type: 'string' },
      'max-requests': { type: 'string' },
    },
    strict: true,
  });
  const opts: EmulatorOptions = {};
  if (values.seed !== undefined) opts.seed = values.seed;
  if (values.size !== undefined) {
    if (values.size !== 'demo' && values.size !== 'bench') throw new Error(`--size must be demo or bench, not ${values.size}`);
    opts.size = values.size;
  }
  if (values['latency-ms'] !== undefined) opts.latencyMs = nonNegativeInt('--latency-ms', values['latency-ms']);
  if (values['max-requests'] !== undefined) opts.maxRequests = nonNegativeInt('--max-requests', values['max-requests']);
  if (values['port-base'] !== undefined) {
    const base = nonNegativeInt('--port-base', values['port-base']);
    if (base < 1024 || base > 65532) throw new Error('--port-base must be between 1024 and 65532');
    opts.ports = { authority: base, arm: base + 1, graph: base + 2, partnerCenter: base + 3 };
  }
  return opts;
}

function nonNegativeInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = options(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const emu = await startEmulator(opts);
  process.stdout.write(
    `${JSON.stringify({
      urls: emu.urls,
      caPath: emu.caPath,
      homeTenantId: emu.homeTenantId,
      clientId: emu.demoApp.clientId,
      clientSecret: emu.demoApp.clientSecret,
      admins: emu.adminUpns,
    })}\n`,
  );
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

await main();
