package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The bootprobe sample was written from the real workload recording with the probe's printf
 * formats ({@code samples/stap/from-audit.py}); reading it must give what the probe could see of
 * the same run: each execve's file name, and each open as a read or a write.
 */
class StapImportTest {

  @Test
  void bootprobeLogShowsTheOpensAndExecsTheAuditLogShows() throws IOException {
    List<String> fromStap = new ArrayList<>();
    try (EventStream s = open("../samples/stap/bootprobe.log")) {
      s.forEachRemaining(e -> fromStap.add(e.op().label() + " " + e.path()));
      BootSummary boot = s.summary().boots().get(0);
      assertThat(boot.loss().measurable()).isFalse();
      assertThat(boot.loss().none()).isFalse();
      assertThat(boot.processes())
          .filteredOn(p -> p.exe().equals("/tmp/bootaudit-wl/script.sh"))
          .singleElement()
          .satisfies(p -> assertThat(p.ppid()).isPositive());
    }
    List<String> probeSees = whatTheProbeSees();
    // mv's O_PATH|O_DIRECTORY look-up of its target: no access, so no event from the audit log,
    // but the probe prints every open and cannot tell
    probeSees.add("read /tmp/bootaudit-wl/dir/renamed.txt");
    assertThat(fromStap).hasSizeGreaterThan(50).containsExactlyInAnyOrderElementsOf(probeSees);
    assertThat(fromStap)
        .contains("write /tmp/bootaudit-wl/dir/bad\\xFF.bin", "exec /tmp/bootaudit-wl/script.sh");
  }

  /** The audit log's events as the probe reports them: one line per execve and per open. */
  private static List<String> whatTheProbeSees() throws IOException {
    List<String> out = new ArrayList<>();
    Set<Long> done = new HashSet<>();
    try (EventStream s = open("../samples/workload/raw/audit.log")) {
      s.forEachRemaining(e -> {
        boolean open = e.syscall().startsWith("open");
        if ((e.op() == Op.EXEC || open) && done.add(e.serial())) {
          out.add(
              (e.op() == Op.EXEC ? "exec" : e.op() == Op.READ ? "read" : "write") + " " + e.path());
        }
      });
    }
    return out;
  }

  private static EventStream open(String path) throws IOException {
    return AuditLog.reader().source(Path.of(path)).window(BootWindow.all()).open();
  }
}
