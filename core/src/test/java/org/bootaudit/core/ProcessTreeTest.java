package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The process tree a boot's summary lists, on a real boot. */
class ProcessTreeTest {

  @Test
  void aVforkedChildSeenBeforeItsParentsForkReturnsIsOneProcess() throws IOException {
    // busybox's mount is vforked by the boot's shell: the child's execve records (serials
    // 4703..4706) come before the parent's vfork record returning pid 169 (serial 4707)
    List<ProcessNode> procs;
    try (EventStream s = AuditLog.reader()
        .source(Path.of("../samples/boot/audit.log.gz"))
        .window(BootWindow.all())
        .open()) {
      s.forEachRemaining(e -> {});
      procs = s.summary().boots().get(0).processes();
    }
    List<ProcessNode> mount = procs.stream().filter(p -> p.pid() == 169).toList();
    assertThat(mount).singleElement().satisfies(p -> {
      assertThat(p.ppid()).isEqualTo(168);
      assertThat(p.argv()).containsExactly("mount", "-t", "sysfs", "sys", "/sys");
      assertThat(p.firstSerial()).isEqualTo(4703);
    });
    Map<Integer, Long> perPid =
        procs.stream().collect(Collectors.groupingBy(ProcessNode::pid, Collectors.counting()));
    assertThat(perPid)
        .allSatisfy((pid, n) -> assertThat(n).as("entries for pid %d", pid).isEqualTo(1));
  }
}
