// The journal is plain JavaScript (journal.mjs, typed by journal.d.mts) so that the spool's writer
// thread needs no TypeScript loader; TypeScript code imports it from here.
export {
  type DeadLetter,
  Journal,
  type JournalOptions,
  type JournalSync,
  type SpooledLine,
} from './journal.mjs';
