package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When auditd is slow to read while the kernel hands it the boot's held records, the kernel puts
 * the records it could not send back at the end of its hold queue, and records made after auditd
 * connected reach the log between them: lines of a real Debian 12 VM boot ({@code
 * samples/vm/record-vm.sh}, the boot-only capture) in which serials 2..550 were followed by
 * 8183..8249, then 551.. with older times. That is one boot delivered out of order, not a reboot.
 */
class ReorderedDeliveryTest {

  static final Path LOG = Path.of("src/test/resources/reorder/audit.log");

  @Test
  void heldRecordsDeliveredAfterLiveOnesStayInTheirBootWithTheirPaths() throws IOException {
    List<FileEvent> events = new ArrayList<>();
    LogSummary summary;
    try (EventStream s = AuditLog.reader().source(LOG).window(BootWindow.all()).open()) {
      s.forEachRemaining(events::add);
      summary = s.summary();
    }
    assertThat(summary.boots()).as("one boot").hasSize(1);
    assertThat(events).extracting(FileEvent::boot).containsOnly(1);
    // the late events are whole: their PATH records joined their SYSCALL records
    assertThat(events)
        .filteredOn(e -> e.serial() >= 551 && e.serial() <= 556)
        .extracting(FileEvent::path)
        .containsExactly(
            "/sys/bus/node/devices/",
            "/sys/bus/workqueue/devices/",
            "/sys/bus/i2c/devices/",
            "/sys/bus/memory/devices/",
            "/sys/class",
            "/sys/class/pwm/");
    assertThat(events)
        .filteredOn(e -> e.serial() >= 551 && e.serial() < 8183)
        .isNotEmpty()
        .allMatch(e -> e.phase() != Phase.AUDITD);
  }
}
