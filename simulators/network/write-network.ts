import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Building, CityNetwork } from '../../protocol/index.ts';
import type { GeneratedCity } from './generate-network.ts';

/** Buildings per write: big enough to be cheap, small enough to keep memory flat. */
const CHUNK = 2000;

/**
 * Writes a network file without building its whole JSON text: the buildings are streamed, so a
 * city with a million meters is written in constant memory. Accepts a network or a generated
 * city whose buildings come from an iterator.
 */
export async function writeNetworkFile(path: string, city: CityNetwork | GeneratedCity): Promise<void> {
  const network = 'network' in city ? city.network : city;
  const buildings: Iterable<Building> = 'network' in city ? city.buildings() : city.buildings;
  await mkdir(dirname(resolve(path)), { recursive: true });
  const out = createWriteStream(path);
  const closed = new Promise<void>((done, fail) => {
    out.once('error', fail);
    out.once('finish', done);
  });
  const write = async (text: string) => {
    if (!out.write(text)) {
      await new Promise<void>((done, fail) => {
        out.once('drain', done);
        out.once('error', fail);
      });
    }
  };
  const { buildings: _inline, ...head } = network;
  const text = JSON.stringify(head);
  await write(`${text.slice(0, -1)},"buildings":[`);
  let chunk: string[] = [];
  let first = true;
  for (const b of buildings) {
    chunk.push(JSON.stringify(b));
    if (chunk.length === CHUNK) {
      await write(`${first ? '' : ','}${chunk.join(',')}`);
      first = false;
      chunk = [];
    }
  }
  if (chunk.length > 0) await write(`${first ? '' : ','}${chunk.join(',')}`);
  out.end(']}\n');
  await closed;
}
