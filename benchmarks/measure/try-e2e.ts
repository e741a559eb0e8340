import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startInfluxd } from '../../scripts/lib/influxd.ts';
import { cameraFleet } from '../load/fleet.ts';
import { aedesBaseline } from './aedes-baseline.ts';
import { influxWriteBaseline } from './influx-write-baseline.ts';
import { ingestEndToEnd } from './ingest-e2e.ts';

const dir = await mkdtemp(join(tmpdir(), 'bench-influx-'));
const influx = await startInfluxd({ dataDir: dir });
try {
  console.log(await influxWriteBaseline({ url: influx.url, db: 'wb', seconds: 5 }));
  const fleet = cameraFleet(100, 1000, 1);
  console.log(
    await aedesBaseline({ fleet, qos: 1, window: 10, rampPerSec: 1000, warmupS: 2, seconds: 5, children: 1 }),
  );
  const r = await ingestEndToEnd({
    influxUrl: influx.url,
    db: 'e2e1',
    fleet,
    mode: 'closed',
    window: 10,
    rampPerSec: 1000,
    warmupS: 2,
    seconds: 8,
    children: 1,
  });
  console.log(JSON.stringify(r, null, 1));
} finally {
  await influx.stop();
  await rm(dir, { recursive: true, force: true });
}
