import { MongoBackend } from '@agendajs/mongo-backend';
import type { AgendaBackend } from 'agenda';
import type { Db } from 'mongodb';

/**
 * Production jobs backend: Agenda's MongoBackend on the store's database, so several workers share one queue
 * and Agenda's locks make each job run once. The Db belongs to the caller, who closes its client.
 */
export function createMongoJobsBackend(db: Db, collection = 'agendaJobs'): AgendaBackend {
  return new MongoBackend({ mongo: db, collection });
}
