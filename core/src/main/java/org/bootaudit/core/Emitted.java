package org.bootaudit.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * The serials of a boot whose events were handed on, as ranges, so that a record arriving for
 * one of them is known as part of an event that went out incomplete. Serials mostly come in
 * order, so the common case extends the highest range without a look-up.
 */
final class Emitted {

  private static final int MAX_RANGES = 10_000;
  private final TreeMap<Long, long[]> ranges = new TreeMap<>();
  /** The range holding the highest serial, or null. */
  private long[] last;

  void add(long s) {
    if (last != null && s == last[1] + 1) {
      last[1] = s;
      return;
    }
    Map.Entry<Long, long[]> below = ranges.floorEntry(s);
    long[] lo = below == null ? null : below.getValue();
    if (lo != null && s <= lo[1]) {
      return;
    }
    long[] hi = ranges.get(s + 1);
    if (lo != null && lo[1] == s - 1) {
      lo[1] = hi == null ? s : hi[1];
      if (hi != null) {
        ranges.remove(s + 1);
        last = last == hi ? lo : last;
      }
    } else if (hi != null) {
      ranges.remove(s + 1);
      hi[0] = s;
      ranges.put(s, hi);
    } else if (ranges.size() < MAX_RANGES) {
      long[] r = {s, s};
      ranges.put(s, r);
      last = last == null || s > last[1] ? r : last;
    }
    // past MAX_RANGES (a hostile pattern of holes) serials are no longer noted: memory stays
    // bounded
  }

  boolean contains(long s) {
    if (last != null && s >= last[0] && s <= last[1]) {
      return true;
    }
    Map.Entry<Long, long[]> below = ranges.floorEntry(s);
    return below != null && s <= below.getValue()[1];
  }
}
