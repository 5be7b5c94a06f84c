export { createScheduler } from './scheduler.js';
export type * from './scheduler-types.js';
export { createLowdbJobsBackend, LowdbAgendaBackend, LowdbJobRepository } from './lowdb-backend/index.js';
export { createMongoJobsBackend } from './mongo-backend.js';
