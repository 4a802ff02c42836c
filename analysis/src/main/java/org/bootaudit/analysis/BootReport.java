package org.bootaudit.analysis;

import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;

/**
 * The counts of one boot's file events, beside what core says of the boot. Per-phase counts are
 * in {@code summary().phases()}.
 *
 * @param summary the boot as core saw it: window, phases, processes, hold queue, loss
 * @param ops per operation, successful events and the distinct files they touched
 * @param failed events that failed (not counted as accesses)
 * @param failedByErrno failed events per errno name, such as {@code ENOENT}
 * @param uniqueFiles files used, as {@link UsedFiles} with the report's filters counts them
 */
public record BootReport(
    BootSummary summary,
    Map<Op, OpCount> ops,
    long failed,
    SortedMap<String, Long> failedByErrno,
    long uniqueFiles) {

  /**
   * Successful events of one operation.
   *
   * @param events how many
   * @param files how many distinct paths they touched
   */
  public record OpCount(long events, long files) {

    static final OpCount NONE = new OpCount(0, 0);
  }

  /** Copies the maps; every operation has an entry. */
  public BootReport {
    Map<Op, OpCount> all = new EnumMap<>(Op.class);
    for (Op op : Op.values()) {
      all.put(op, ops.getOrDefault(op, OpCount.NONE));
    }
    ops = Collections.unmodifiableMap(all);
    failedByErrno = Collections.unmodifiableSortedMap(new TreeMap<>(failedByErrno));
  }

  /** The count of one operation. */
  public OpCount op(Op op) {
    return ops.get(op);
  }

  static BootReport empty(BootSummary b) {
    return new BootReport(b, Map.of(), 0, new TreeMap<>(), 0);
  }

  BootReport with(BootSummary b) {
    return new BootReport(b, ops, failed, failedByErrno, uniqueFiles);
  }

  /** Counts one boot while its events pass; {@link #close()} keeps the counts and drops the paths. */
  static final class Counter {
    private final int boot;
    private final UsedFiles used;
    private final Map<Op, long[]> events = new EnumMap<>(Op.class);
    private final Map<Op, Set<String>> files = new EnumMap<>(Op.class);
    private final SortedMap<String, Long> failedByErrno = new TreeMap<>();
    private final BootReport before;
    private long failed;

    /** @param before what was counted of this boot before it was closed once, or null */
    Counter(int boot, UsedFiles used, BootReport before) {
      this.boot = boot;
      this.used = used;
      this.before = before;
      if (before == null) {
        return;
      }
      // events after a boot was closed: counts go on, paths seen before are not known any more
      before.ops.forEach((op, c) -> events.put(op, new long[] {c.events()}));
      failed = before.failed;
      failedByErrno.putAll(before.failedByErrno);
    }

    int boot() {
      return boot;
    }

    void add(FileEvent e) {
      if (!e.success()) {
        failed++;
        failedByErrno.merge(e.errno().orElse("unknown"), 1L, Long::sum);
        return;
      }
      events.computeIfAbsent(e.op(), k -> new long[1])[0]++;
      files.computeIfAbsent(e.op(), k -> new HashSet<>()).add(e.path());
      used.accept(e);
    }

    BootReport close() {
      Map<Op, OpCount> ops = new EnumMap<>(Op.class);
      long filesBefore = before == null ? 0 : before.uniqueFiles;
      events.forEach((op, n) -> ops.put(
          op,
          new OpCount(
              n[0],
              (before == null ? 0 : before.op(op).files())
                  + files.getOrDefault(op, Set.of()).size())));
      return new BootReport(null, ops, failed, failedByErrno, filesBefore + used.size());
    }
  }
}
