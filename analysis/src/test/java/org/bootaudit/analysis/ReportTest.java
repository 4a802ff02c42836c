package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;
import org.junit.jupiter.api.Test;

/** The per-boot report as a library caller gets it, on real boots. */
class ReportTest {

  static final Path BUSYBOX = Path.of("../samples/boot/audit.log.gz");
  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit/audit.log.gz");

  @Test
  void theCountsAreThoseOfTheEvents() throws IOException {
    List<FileEvent> events = new ArrayList<>();
    Report report;
    try (EventStream s = AuditLog.reader().source(VM).open()) {
      Report.Collector c = Report.collector(UsedFiles.builder());
      s.forEachRemaining(e -> {
        events.add(e);
        c.accept(e);
      });
      report = c.finish(s.summary());
    }
    Map<Op, Long> n = new EnumMap<>(Op.class);
    Map<Op, Set<String>> files = new EnumMap<>(Op.class);
    Map<String, Long> errnos = new TreeMap<>();
    UsedFiles used = UsedFiles.builder().build();
    for (FileEvent e : events) {
      if (e.success()) {
        n.merge(e.op(), 1L, Long::sum);
        files.computeIfAbsent(e.op(), k -> new HashSet<>()).add(e.path());
        used.accept(e);
      } else {
        errnos.merge(e.errno().orElse("unknown"), 1L, Long::sum);
      }
    }
    assertThat(report.boots()).hasSize(1);
    BootReport boot = report.boots().get(0);
    for (Op op : Op.values()) {
      assertThat(boot.op(op))
          .as(op.label())
          .isEqualTo(new BootReport.OpCount(
              n.getOrDefault(op, 0L), files.getOrDefault(op, Set.of()).size()));
    }
    assertThat(boot.failedByErrno()).isEqualTo(errnos);
    assertThat(boot.failed())
        .isEqualTo(errnos.values().stream().mapToLong(Long::longValue).sum())
        .isPositive();
    assertThat(boot.uniqueFiles()).isEqualTo(used.size()).isGreaterThan(3000);
    assertThat(boot.summary().phases().fileEvents().values().stream()
            .mapToLong(Long::longValue)
            .sum())
        .isGreaterThanOrEqualTo(events.size());
    assertThat(report.text(3))
        .contains("  by op:     create " + n.get(Op.CREATE) + " ("
            + files.get(Op.CREATE).size() + " files)");
    assertThat((List<?>) report.json(3).get("boots")).hasSize(1);
  }

  @Test
  void aBootReadAfterAnotherCountsAsIfReadAlone() throws IOException {
    BootReport busybox = alone(BUSYBOX);
    BootReport vm = alone(VM);
    Report both;
    try (EventStream s = AuditLog.reader().source(BUSYBOX).sources(List.of(VM)).open()) {
      both = Report.of(s);
    }
    assertThat(both.boots()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      BootReport alone = i == 0 ? busybox : vm;
      BootReport after = both.boots().get(i);
      assertThat(after.ops()).isEqualTo(alone.ops());
      assertThat(after.uniqueFiles()).isEqualTo(alone.uniqueFiles());
      assertThat(after.failedByErrno()).isEqualTo(alone.failedByErrno());
    }
  }

  private static BootReport alone(Path log) throws IOException {
    try (EventStream s = AuditLog.reader().source(log).open()) {
      return Report.of(s).boots().get(0);
    }
  }
}
