import { createServer } from 'node:http';

/** Baseline HTTP target: node's http server answering 200 "ok" with nothing else. */
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.send?.({
    type: 'ready',
    info: { httpUrl: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` },
  });
});
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'stop') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
