import { parentPort, workerData } from 'node:worker_threads';
import { Journal, type JournalOptions } from './journal.ts';
import type { SpoolReply, SpoolRequest } from './threaded-journal.ts';

// The spool's writer thread: owns the write connection, so commits and their fsync never block
// the broker's event loop. Requests are handled in arrival order; appends arriving in the same
// turn of this thread's loop share one transaction (the Journal's group commit).

const { path, options } = workerData as { path: string; options: JournalOptions };
const journal = Journal.open(path, options);
const port = parentPort;
if (port === null) throw new Error('spool-worker.ts runs only as a worker thread');

function reply(r: SpoolReply): void {
  port?.postMessage(r);
}

port.on('message', (req: SpoolRequest) => {
  switch (req.type) {
    case 'append':
      journal.append(req.lines).then(
        () => reply({ id: req.id, ok: true, value: 0 }),
        (err: unknown) => reply({ id: req.id, ok: false, error: String(err) }),
      );
      return;
    case 'ack':
      try {
        reply({ id: req.id, ok: true, value: journal.ack(req.uptoId, req.dead, req.atMs) });
      } catch (err) {
        reply({ id: req.id, ok: false, error: String(err) });
      }
      return;
    case 'close':
      journal.close();
      // After the replies of the appends that close just committed (they settle in microtasks).
      setImmediate(() => reply({ id: req.id, ok: true, value: 0 }));
      return;
  }
});
reply({ id: 0, ok: true, value: 0 });
