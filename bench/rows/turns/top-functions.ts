/**
 * `npx tsx bench/rows/turns/top-functions.ts FILE.cpuprofile [N] [LAST_SECONDS]`: self and inclusive time by function
 * and by package, optionally only over the profile's last seconds (the measured turns, without start-up and seeding).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, n = '30', lastSeconds] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const self = new Map<number, number>();
const times: number[] = [];
profile.timeDeltas.reduce((t, d, i) => (times[i] = t + d), 0);
const from = lastSeconds ? times[times.length - 1] - Number(lastSeconds) * 1e6 : -Infinity;
profile.samples.forEach((id, i) => {
  if (times[i] >= from) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const label = (node: ProfileNode) => `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
const pkg = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.includes('/src/') ? `src/${url.split('/src/')[1].split('/').slice(0, 2).join('/')}` : url ? 'node internals' : '(vm)');
const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^.*\/work\/main\//, '');

const selfBy = new Map<string, number>();
const inclusiveBy = new Map<string, number>();
const pkgSelf = new Map<string, number>();
for (const [id, ms] of self) {
  const node = byId.get(id)!;
  selfBy.set(label(node), (selfBy.get(label(node)) ?? 0) + ms);
  pkgSelf.set(pkg(node.callFrame.url), (pkgSelf.get(pkg(node.callFrame.url)) ?? 0) + ms);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(byId.get(cur)!);
    if (!seen.has(l)) inclusiveBy.set(l, (inclusiveBy.get(l) ?? 0) + ms);
    seen.add(l);
  }
}
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n)).map(([k, v]) => `${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
process.stdout.write(`total ${total.toFixed(0)} ms\n\n== self by package ==\n${top(pkgSelf)}\n\n== self by function ==\n${top(selfBy)}\n\n== inclusive by function ==\n${top(inclusiveBy)}\n`);
