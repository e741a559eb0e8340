import { Qlobber } from 'qlobber';

/** MQTT filter matching (`/` levels, `+` one level, `#` the rest), as aedes' emitter matches. */
export function topicMatcher<V>(): Qlobber<V> {
  return new Qlobber<V>({ separator: '/', wildcard_one: '+', wildcard_some: '#', match_empty_levels: true });
}
