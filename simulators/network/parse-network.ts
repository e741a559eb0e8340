import { readFile } from 'node:fs/promises';
import { CityNetwork, type NetworkIssue, networkIssues } from '../../protocol/index.ts';

/** A network file that is not valid `city-network` v1; `issues` lists what was found, first first. */
export class NetworkFormatError extends Error {
  readonly issues: readonly NetworkIssue[];
  constructor(issues: readonly NetworkIssue[], source?: string) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    const where = source ? `${source}: ` : '';
    super(`${where}${first ? `${first.path}: ${first.message}` : 'invalid network'}${more}`);
    this.name = 'NetworkFormatError';
    this.issues = issues;
  }
}

/**
 * Validates a parsed JSON value (or JSON text) as a `city-network` v1 file: the schema first,
 * then every cross-reference. Throws `NetworkFormatError` whose message points at the offending
 * element, e.g. `intersections[3] (I-0003).movements[2].laneGroup: unknown lane group "N-X"`.
 */
export function parseNetwork(input: unknown, source?: string): CityNetwork {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new NetworkFormatError(
        [{ path: '(file)', message: `not JSON: ${(e as Error).message}` }],
        source,
      );
    }
  }
  const parsed = CityNetwork.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 50).map((i) => ({
      path: describePath(value, i.path),
      message: i.message,
    }));
    throw new NetworkFormatError(issues, source);
  }
  const issues = networkIssues(parsed.data);
  if (issues.length > 0) throw new NetworkFormatError(issues, source);
  return parsed.data;
}

/** Reads and validates a network file. */
export async function loadNetwork(path: string): Promise<CityNetwork> {
  return parseNetwork(await readFile(path, 'utf8'), path);
}

/** `intersections[3] (I-0003).movements[2].laneGroup`: array elements named by their id where they have one. */
function describePath(root: unknown, path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      node = Array.isArray(node) ? node[key] : undefined;
      const id = isRecord(node) && typeof node.id === 'string' ? ` (${node.id})` : '';
      out += `[${key}]${id}`;
    } else {
      node = isRecord(node) ? node[String(key)] : undefined;
      out += out === '' ? String(key) : `.${String(key)}`;
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
