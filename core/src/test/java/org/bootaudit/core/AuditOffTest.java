package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real log in which auditing was switched off and on again ({@code samples/audit-off}, as
 * Debian's systemd-journald does at start-up): serials stay contiguous, yet the stretch is
 * reported as a loss with who switched auditing off, and what happened in it is absent.
 */
class AuditOffTest {
  static final Path SAMPLES = Path.of("../samples/audit-off");

  @Test
  void theBlindStretchIsReportedWithWhoCausedIt() throws IOException {
    check(SAMPLES.resolve("audit.log"));
  }

  /** Records the same sequence now, with this machine's kernel and auditd. */
  @Test
  void freshRecordingOnThisMachine(@TempDir Path out) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to load audit rules");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/auditd")), "needs auditd (apt-get install auditd)");
    Process p = new ProcessBuilder("bash", SAMPLES.resolve("record.sh").toString(), out.toString())
        .redirectErrorStream(true)
        .redirectOutput(out.resolve("record.out").toFile())
        .start();
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("record.sh finished").isTrue();
    String said = Files.readString(out.resolve("record.out"));
    assumeTrue(
        !said.contains("rules are loaded") && !said.contains("daemon is running"),
        "audit in use here: " + said);
    assertThat(p.exitValue()).as(said).isZero();
    check(out.resolve("audit.log"));
  }

  private static void check(Path log) throws IOException {
    List<FileEvent> events = new ArrayList<>();
    BootSummary boot;
    try (EventStream s = AuditLog.reader().source(log).window(BootWindow.all()).open()) {
      s.forEachRemaining(events::add);
      boot = s.summary().boots().get(0);
    }
    BootSummary.Loss loss = boot.loss();
    assertThat(loss.missingSerials()).as("serials are contiguous").isZero();
    assertThat(loss.kernelLost()).isZero();
    assertThat(loss.none()).as("yet something was not recorded").isFalse();
    assertThat(loss.auditOff()).hasSize(1);
    BootSummary.AuditOff off = loss.auditOff().get(0);
    assertThat(off.by()).matches("pid \\d+ auditctl \\(/usr/sbin/auditctl\\)");
    assertThat(off.nextSerial()).hasValue(off.serial() + 1);
    assertThat(off.next()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(off.time()));
    List<String> reads = events.stream()
        .filter(e -> e.op() == Op.READ
            && e.path().startsWith("/etc/")
            && !e.path().equals("/etc/ld.so.cache"))
        .map(FileEvent::path)
        .toList();
    assertThat(reads)
        .as("what ran while auditing was off is absent")
        .containsExactly("/etc/hostname", "/etc/debian_version");
    assertThat(events.stream()
            .filter(e -> e.path().equals("/etc/hostname"))
            .allMatch(e -> e.serial() < off.serial()))
        .isTrue();
    assertThat(events.stream()
            .filter(e -> e.path().equals("/etc/debian_version"))
            .allMatch(e -> e.serial() > off.serial()))
        .isTrue();
  }
}
