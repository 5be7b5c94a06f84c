/**
 * The naive SDK approach the issue compares against: the Graph client's PageIterator over users/delta at its default
 * page size (no $top, no Prefer), every user collected into an array, then all of them stored at once into the same
 * lowdb store. Same credential, client and record mapping as the product. argv: <emulator info JSON> <data dir>;
 * prints one JSON line.
 */
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { FIRST_DELTA_URL } from '../../../src/features/m365/user-import.js';
import { toDirectoryUser, type GraphDeltaUser } from '../../../src/features/m365/user-record.js';
import { jobDeps } from './job-deps.js';
import { rssMb, type EmulatorInfo } from './processes.js';

const [infoJson, dataDir] = process.argv.slice(2);
const info = JSON.parse(infoJson) as EmulatorInfo;
const deps = await jobDeps(info, dataDir);
const workspaceId = 'bench-workspace';
const tenantId = info.homeTenantId;

const t0 = performance.now();
const client = deps.microsoft.graph(deps.microsoft.appCredential(tenantId));
const users: GraphDeltaUser[] = [];
const first = (await client.api(FIRST_DELTA_URL).get()) as PageCollection;
const iterator = new PageIterator(client, first, (u) => {
  users.push(u as GraphDeltaUser);
  return true;
});
await iterator.iterate();
const fetchedMs = performance.now() - t0;
const seenAt = new Date().toISOString();
const stored = await deps.store.directoryUsers.bulkUpsert(users.map((u) => toDirectoryUser(workspaceId, tenantId, u, seenAt)));
const ms = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ ms, fetchedMs, users: users.length, inserted: stored.inserted, rssMb: rssMb('self') })}\n`);
await deps.store.close();
process.exit(0);
