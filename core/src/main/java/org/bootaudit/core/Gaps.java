package org.bootaudit.core;

import java.util.ArrayList;
import java.util.List;

/** Missing serials of a boot, as ranges; late arrivals fill them again. */
final class Gaps {

  private static final int MAX_RANGES = 10_000;
  private final List<long[]> ranges = new ArrayList<>();
  private long missing;
  private boolean truncated;

  void add(long from, long to) {
    missing += to - from + 1;
    if (ranges.size() < MAX_RANGES) {
      ranges.add(new long[] {from, to});
    } else {
      truncated = true;
    }
  }

  /** A serial once counted missing arrived after all. */
  void fill(long serial) {
    for (int i = 0; i < ranges.size(); i++) {
      long[] r = ranges.get(i);
      if (serial < r[0] || serial > r[1]) {
        continue;
      }
      missing--;
      if (r[0] == r[1]) {
        ranges.remove(i);
      } else if (serial == r[0]) {
        r[0]++;
      } else if (serial == r[1]) {
        r[1]--;
      } else {
        ranges.add(i + 1, new long[] {serial + 1, r[1]});
        r[1] = serial - 1;
      }
      return;
    }
    if (truncated) {
      missing--;
    }
  }

  /**
   * Notes one serial (for sets other than gaps, such as incomplete events), joining it to the
   * last range when it follows or repeats it; {@link #count()} is the number of distinct serials
   * as far as noted in order.
   */
  void note(long serial) {
    if (!ranges.isEmpty()) {
      long[] r = ranges.get(ranges.size() - 1);
      if (serial >= r[0] && serial <= r[1]) {
        return;
      }
      if (serial == r[1] + 1) {
        r[1] = serial;
        missing++;
        return;
      }
    }
    add(serial, serial);
  }

  long count() {
    return missing;
  }

  long missing() {
    return missing;
  }

  /** Missing serials below {@code serial}; a lower bound once more than 10,000 ranges were seen. */
  long missingBelow(long serial) {
    long n = 0;
    for (long[] r : ranges) {
      if (r[0] < serial) {
        n += Math.min(r[1], serial - 1) - r[0] + 1;
      }
    }
    return n;
  }

  List<BootSummary.Gap> first(int n) {
    List<BootSummary.Gap> out = new ArrayList<>();
    for (int i = 0; i < Math.min(n, ranges.size()); i++) {
      long[] r = ranges.get(i);
      out.add(new BootSummary.Gap(r[0], r[1]));
    }
    return out;
  }
}
