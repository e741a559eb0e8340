import { parentPort, workerData } from 'node:worker_threads';
import { Journal } from './journal.mjs';

// The spool's writer thread: owns the write connection, so commits and their fsync never block
// the broker's event loop. Requests (threaded-journal.ts: SpoolRequest) are handled in arrival
// order; appends arriving in the same turn of this thread's loop share one transaction (the
// Journal's group commit). Plain JavaScript: a TypeScript loader registered in a worker thread
// starts a loader thread of its own (~26 MB RSS per spool).

const { path, options } = workerData;
const journal = Journal.open(path, options);
const port = parentPort;
if (port === null) throw new Error('spool-worker.mjs runs only as a worker thread');

/** @param {import('./threaded-journal.ts').SpoolReply} r */
function reply(r) {
  port.postMessage(r);
}

port.on('message', (/** @type {import('./threaded-journal.ts').SpoolRequest} */ req) => {
  switch (req.type) {
    case 'append':
      journal.append(req.lines).then(
        () => reply({ id: req.id, ok: true, value: 0 }),
        (err) => reply({ id: req.id, ok: false, error: String(err) }),
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
