import type Database from 'better-sqlite3';

/**
 * `FULL` fsyncs the WAL at every commit (survives power loss); `NORMAL` fsyncs only at
 * checkpoints (survives a killed process, may lose the last commits on power loss). See
 * docs/ingest.md for the measured cost; the platform default is FULL.
 */
export type JournalSync = 'FULL' | 'NORMAL';

export interface JournalOptions {
  readonly synchronous?: JournalSync;
}

export interface SpooledLine {
  readonly id: number;
  readonly line: string;
}

export interface DeadLetter {
  readonly line: string;
  /** The server's message for the line. */
  readonly error: string;
}

/**
 * The durable spool between `receive()` and InfluxDB: every accepted line is committed here
 * before its PUBACK, and leaves only once InfluxDB has it (`ack`) or refused it (dead letter).
 *
 * Appends arriving in the same event-loop turn share one transaction (group commit): one fsync
 * for many messages, and the event loop is never blocked per message.
 *
 * Written in JavaScript (journal.mjs) so the spool's writer thread loads it without a TypeScript
 * loader: registering tsx in a worker thread costs it ~26 MB (a second loader thread).
 */
export declare class Journal {
  private constructor(db: Database.Database);
  static open(path: string, options?: JournalOptions): Journal;
  /** Resolves once the lines are committed to disk; lines keep their order. */
  append(lines: readonly string[]): Promise<void>;
  /** The oldest `limit` lines, in append order. */
  peek(limit: number): SpooledLine[];
  /**
   * Removes every line up to and including `uptoId`, recording `dead` (lines InfluxDB refused)
   * in the same transaction. Returns how many lines it removed.
   */
  ack(uptoId: number, dead?: readonly DeadLetter[], atMs?: number): number;
  /** Lines waiting for InfluxDB. */
  depth(): number;
  /** Append transactions committed since open (group commit makes it far below the append count). */
  commitCount(): number;
  deadLetterCount(): number;
  deadLetters(limit?: number): Array<DeadLetter & { atMs: number }>;
  /** Calls `listener` after every commit of new lines; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void;
  /** Commits what is pending, then closes the database. */
  close(): void;
}
