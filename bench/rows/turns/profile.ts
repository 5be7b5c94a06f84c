/**
 * Profiles the bot during row 5: `NODE_EXTRA_CA_CERTS=$PWD/emulator/.certs/ca.pem npx tsx bench/rows/turns/profile.ts DIR`
 * runs the same section with the bot under `node --cpu-prof`, and leaves the .cpuprofile in DIR (open it in Chrome
 * DevTools, or summarise it with bench/rows/turns/top-functions.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { measureBotTurnsWith } from '../turns.js';

const dir = path.resolve(process.argv[2] ?? 'bench-profiles');
mkdirSync(dir, { recursive: true });
const rows = await measureBotTurnsWith({ latencyMs: 20, progress: (m) => process.stderr.write(`${m}\n`) }, { botNodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
for (const r of rows) process.stdout.write(`${r.measure}: ${r.figure} ${r.unit} (${Object.entries(r.detail ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')})\n`);
process.stdout.write(`profile written to ${dir}\n`);
