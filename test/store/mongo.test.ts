/** The Store contract against MongoDB. Runs only when MONGODB_URI names a server it may create databases on. */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { openMongoStore } from '../../src/store/index.js';
import { runStoreContract } from './contract.js';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.warn('MongoDB contract suite SKIPPED: set MONGODB_URI=mongodb://127.0.0.1:27017 to run it');
}

runStoreContract('mongo', async () => {
  const dbName = `tenant_steward_contract_${randomUUID().slice(0, 8)}`;
  return {
    open: async () => (await openMongoStore({ uri: uri!, dbName })).store,
    destroy: async () => {
      const client = await MongoClient.connect(uri!);
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}, { skip: !uri });

(uri ? describe : describe.skip)('MongoDB adapter specifics', () => {
  it('creates the unique (workspaceId, id) index and shares its Db', async () => {
    const dbName = `tenant_steward_idx_${randomUUID().slice(0, 8)}`;
    const { store, db } = await openMongoStore({ uri: uri!, dbName });
    try {
      const indexes = await db.collection('directoryUsers').indexes();
      expect(indexes.find((i) => i.name === 'workspace_id')).toMatchObject({ unique: true, key: { workspaceId: 1, id: 1 } });
      await store.tenants.upsert({
        id: 't1', workspaceId: 'ws', displayName: 'x', consentedBy: { aadObjectId: 'u' }, consentedAt: 'now', credentials: {},
      });
      expect(await db.collection('tenants').countDocuments({ workspaceId: 'ws' })).toBe(1);
      expect(await store.tenants.get('ws', 't1')).not.toHaveProperty('_id');
    } finally {
      await db.dropDatabase();
      await store.close();
    }
  });
});
