import type { ViewportIds } from './viewport-filter.ts';

interface Shared {
  readonly ids: ViewportIds;
  users: number;
}

/** Content key of a view. filterViewport adds ids in index order, so equal views give equal keys. */
function viewKey(ids: ViewportIds): string {
  return [ids.intersections, ids.links, ids.cameras, ids.meters].map((s) => [...s].join(',')).join('|');
}

/**
 * One ViewportIds per distinct view, shared by every client that shows it (most whole-city
 * viewers show the same items whatever their exact box), so a flush can build and encode their
 * deltas once. Counted: a view nobody shows any more is dropped.
 */
export class ViewCatalog {
  private readonly byKey = new Map<string, Shared>();
  private readonly keyOf = new WeakMap<ViewportIds, string>();

  get size(): number {
    return this.byKey.size;
  }

  /** The shared view equal to `ids` (`ids` itself when it is new); release it when done. */
  acquire(ids: ViewportIds): ViewportIds {
    const key = viewKey(ids);
    let shared = this.byKey.get(key);
    if (!shared) {
      shared = { ids, users: 0 };
      this.byKey.set(key, shared);
      this.keyOf.set(ids, key);
    }
    shared.users += 1;
    return shared.ids;
  }

  /** One user of a view acquired earlier stopped showing it. */
  release(ids: ViewportIds): void {
    const key = this.keyOf.get(ids);
    const shared = key === undefined ? undefined : this.byKey.get(key);
    if (!shared || key === undefined) return;
    shared.users -= 1;
    if (shared.users <= 0) this.byKey.delete(key);
  }
}
