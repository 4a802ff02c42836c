package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real workload of {@code samples/workload/record.sh}, recorded by the kernel and auditd,
 * must come out as exactly the events in {@code workload/expected.txt}: from the checked-in
 * recordings in every format, and from a fresh recording on this machine when it can make one.
 */
class WorkloadTest {

  static final Path SAMPLES = Path.of("../samples/workload");
  static final int WORKLOAD_AUID = 4242;

  @ParameterizedTest
  @ValueSource(strings = {"raw", "enriched", "rotated"})
  void recordedVariantsGiveTheExpectedEvents(String variant) throws IOException {
    Observed seen = observe(SAMPLES.resolve(variant));
    assertThat(seen.lines).containsExactlyElementsOf(expected());
    assertThat(seen.execsOfHeadAndTr).containsExactlyInAnyOrder("/usr/bin/head", "/usr/bin/tr");
    assertThat(seen.summary.boots()).hasSize(1);
    assertThat(seen.summary.boots().get(0).loss().none())
        .as("loss in %s", variant)
        .isTrue();
    assertThat(seen.summary.boots().get(0).daemonStarts()).hasSize(1);
  }

  @Test
  void scriptExecNamesScriptInterpreterAndLoader() throws IOException {
    List<String> ops = new ArrayList<>();
    try (EventStream s = AuditLog.reader()
        .source(SAMPLES.resolve("raw/audit.log"))
        .window(BootWindow.all())
        .open()) {
      s.forEachRemaining(e -> {
        if (e.process().comm().equals("script.sh") && e.syscall().equals("execve")) {
          ops.add(e.op().label() + " " + e.path());
        }
      });
    }
    assertThat(ops)
        .containsExactly(
            "exec /tmp/bootaudit-wl/script.sh", "exec /bin/sh", "read /lib64/ld-linux-x86-64.so.2");
  }

  @Test
  void longArgumentIsReassembledFromItsChunks() throws IOException {
    try (EventStream s = AuditLog.reader()
        .source(SAMPLES.resolve("raw/audit.log"))
        .window(BootWindow.all())
        .open()) {
      s.forEachRemaining(e -> {});
      ProcessNode tru = s.summary().boots().get(0).processes().stream()
          .filter(p -> p.exe().equals("/usr/bin/true"))
          .findFirst()
          .orElseThrow();
      assertThat(tru.argv()).containsExactly("/bin/true", "a".repeat(12000), "second", "third");
    }
  }

  @Test
  void kernelLogShowsWhatItLost() throws IOException {
    try (EventStream s = AuditLog.reader()
        .source(SAMPLES.resolve("kernel/dmesg.log"))
        .window(BootWindow.all())
        .open()) {
      List<String> got = new ArrayList<>();
      s.forEachRemaining(e -> got.add(e.op().label() + " " + e.path()));
      assertThat(got).containsExactly("exec /usr/bin/mkdir");
      BootSummary.Loss loss = s.summary().boots().get(0).loss();
      assertThat(loss.none()).isFalse();
      assertThat(loss.suppressed()).isEqualTo(608);
      assertThat(loss.missingSerials()).isEqualTo(141);
    }
  }

  /** Records the workload now, with this machine's kernel and auditd, and checks it the same way. */
  @Test
  void freshRecordingOnThisMachineGivesTheExpectedEvents(@TempDir Path out) throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root to load audit rules");
    assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/auditd")), "needs auditd (apt-get install auditd)");
    assumeTrue(Files.exists(Path.of("/proc/self/loginuid")), "kernel without audit support");
    ProcessBuilder pb =
        new ProcessBuilder("bash", SAMPLES.resolve("record.sh").toString(), out.toString());
    pb.environment().put("VARIANTS", "raw");
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.resolve("record.out").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("record.sh finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(out.resolve("record.out"))).isZero();
    Observed seen = observe(out.resolve("raw/audit.log"));
    assertThat(seen.lines).containsExactlyElementsOf(expected());
    assertThat(seen.execsOfHeadAndTr).containsExactlyInAnyOrder("/usr/bin/head", "/usr/bin/tr");
    assertThat(seen.summary.boots().get(0).loss().none()).isTrue();
  }

  private record Observed(List<String> lines, List<String> execsOfHeadAndTr, LogSummary summary) {}

  private static Observed observe(Path source) throws IOException {
    List<String> lines = new ArrayList<>();
    List<String> parallel = new ArrayList<>();
    try (EventStream s =
        AuditLog.reader().source(source).window(BootWindow.all()).open()) {
      while (s.hasNext()) {
        FileEvent e = s.next();
        if (e.process().auid() != WORKLOAD_AUID) {
          continue;
        }
        if (e.op() == Op.EXEC
            && (e.path().equals("/usr/bin/head") || e.path().equals("/usr/bin/tr"))) {
          parallel.add(e.path());
        } else if (e.op() == Op.EXEC || e.path().startsWith("/tmp/bootaudit-wl")) {
          lines.add(String.join(
              " ",
              e.op().label(),
              e.path(),
              e.oldPath().orElse(""),
              e.success() ? "ok" : "failed",
              e.errno().orElse(""),
              e.syscall()));
        }
      }
      return new Observed(lines, parallel, s.summary());
    }
  }

  private static List<String> expected() throws IOException {
    try (var in = WorkloadTest.class.getResourceAsStream("/workload/expected.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> !l.startsWith("#"))
          .toList();
    }
  }
}
