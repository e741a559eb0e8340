import { describe, expect, it } from 'vitest';
import type { Alert } from '../../shared/contract.ts';
import { AlertBook } from './alert-book.ts';
import { Sequence } from './versioned-map.ts';

const alert = (id: string, message = 'm'): Alert => ({
  id,
  kind: 'congestion',
  severity: 'warning',
  entityId: id,
  position: [37.6, 55.7],
  message,
  sinceMs: 1,
});

describe('AlertBook', () => {
  it('sends nothing to a client that has seen the last change', () => {
    const seq = new Sequence();
    const book = new AlertBook(seq);
    book.set([alert('a')]);
    expect(book.changesSince(seq.current)).toBeUndefined();
  });

  it('sends the alerts that appeared or changed since a seq, not the unchanged ones', () => {
    const seq = new Sequence();
    const book = new AlertBook(seq);
    book.set([alert('a'), alert('b')]);
    const seen = seq.current;
    book.set([alert('a', 'worse'), alert('b'), alert('c')]);
    expect(book.changesSince(seen)).toEqual({ alertsChanged: [alert('a', 'worse'), alert('c')] });
    expect(book.changesSince(0)).toEqual({ alertsChanged: [alert('a', 'worse'), alert('b'), alert('c')] });
  });

  it('names the alerts that ended, and forgets the removal when one comes back', () => {
    const seq = new Sequence();
    const book = new AlertBook(seq);
    book.set([alert('a'), alert('b')]);
    const seen = seq.current;
    book.set([alert('a')]);
    expect(book.changesSince(seen)).toEqual({ alertsCleared: ['b'] });
    book.set([alert('a'), alert('b')]);
    expect(book.changesSince(seen)).toEqual({ alertsChanged: [alert('b')] });
  });

  it('does not count a new order of the same alerts as a change', () => {
    const seq = new Sequence();
    const book = new AlertBook(seq);
    book.set([alert('a'), alert('b')]);
    const seen = seq.current;
    expect(book.set([alert('b'), alert('a')])).toBe(false);
    expect(book.changesSince(seen)).toBeUndefined();
    expect(book.current.map((a) => a.id)).toEqual(['b', 'a']);
  });

  it('sends the whole list to a client older than the removals it still remembers', () => {
    const seq = new Sequence();
    const book = new AlertBook(seq, 1);
    book.set([alert('a'), alert('b'), alert('c')]);
    const seen = seq.current;
    book.set([alert('c')]);
    expect(book.changesSince(seen)).toEqual({ alerts: [alert('c')] });
    const later = seq.current;
    book.set([]);
    expect(book.changesSince(later)).toEqual({ alertsCleared: ['c'] });
  });
});
