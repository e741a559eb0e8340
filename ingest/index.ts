export { createIngest, type Ingest, type IngestOptions, type IngestStatus } from './create-ingest.ts';
export { createDrain, type Drain, type DrainStatus } from './drain.ts';
export {
  createInfluxWriter,
  type InfluxTarget,
  type InfluxWriter,
  RetryableWriteError,
} from './influx-writer.ts';
export { Journal, type JournalSync } from './journal.ts';
export { ThreadedJournal } from './threaded-journal.ts';
export { nsOf, REJECTS_MEASUREMENT, rejectLine, toLines } from './to-lines.ts';
export { type Rejection, type Validation, type ValidMessage, validate } from './validate.ts';
