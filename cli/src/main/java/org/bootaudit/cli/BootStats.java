package org.bootaudit.cli;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;
import org.bootaudit.core.UsedFiles;

/** Counts of one boot's file events, for the report. */
final class BootStats {

  final Map<Op, Long> count = new EnumMap<>(Op.class);
  final Map<Op, Set<String>> unique = new EnumMap<>(Op.class);
  final Map<String, Long> failedByErrno = new TreeMap<>();
  final UsedFiles used;
  long failed;

  BootStats(UsedFiles used) {
    this.used = used;
  }

  void add(FileEvent e) {
    if (!e.success()) {
      failed++;
      failedByErrno.merge(e.errno().orElse("unknown"), 1L, Long::sum);
      return;
    }
    count.merge(e.op(), 1L, Long::sum);
    unique.computeIfAbsent(e.op(), k -> new HashSet<>()).add(e.path());
    used.accept(e);
  }
}
