package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The product's promise on real parts: Debian's kernel and its own initramfs, injected by
 * bootaudit, booted in qemu; the audit log read back from the root image must hold the
 * initramfs phase, in order, before the root's init, with nothing lost. Run by {@code mvn verify
 * -Psystem}; skipped, with the reason, where the packages of {@code .ci/run} are missing.
 */
class BootIT {

  static final Path SCRIPT = Path.of("../samples/boot/record-boot.sh").toAbsolutePath();
  static final Path MINI = Path.of("../samples/boot/mini-boot.sh").toAbsolutePath();

  @BeforeAll
  static void needsTheRealParts() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root (mkinitramfs, auditctl in the guest image)");
    for (String tool : List.of(
        "/usr/bin/qemu-system-x86_64",
        "/usr/sbin/mkinitramfs",
        "/bin/busybox",
        "/usr/sbin/auditd",
        "/usr/sbin/mke2fs",
        "/usr/sbin/debugfs")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool + " (see .ci/run)");
    }
    assumeTrue(kernels() > 0, "needs a kernel in /boot (apt-get install linux-image-amd64)");
  }

  @Test
  void bootCapturesTheInitramfsPhaseInOrderWithNothingLost(@TempDir Path out) throws Exception {
    long started = System.nanoTime();
    record(out);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    List<FileEvent> events = new ArrayList<>();
    LogSummary summary = read(out.resolve("audit.log"), events);

    assertThat(summary.boots()).as("one boot").hasSize(1);
    BootSummary boot = summary.boots().get(0);
    assertThat(boot.loss().none()).as("loss: %s", boot.loss()).isTrue();
    assertThat(boot.firstSerial())
        .as("the log holds the boot from its first records")
        .isLessThanOrEqualTo(3);
    // serial order, but for events the kernel delivered late (held records it put back at the end
    // of its queue): core hands those on when they come and counts each as out of order
    java.util.Set<Long> late = new java.util.HashSet<>();
    long highest = -1;
    for (FileEvent e : events) {
      if (e.serial() < highest) {
        late.add(e.serial());
      }
      highest = Math.max(highest, e.serial());
    }
    assertThat((long) late.size())
        .as("events out of serial order %s, against the late events core reported", late)
        .isLessThanOrEqualTo(boot.loss().outOfOrder());
    System.out.printf(
        "BootIT: %d events out of serial order, %d late events reported%n",
        late.size(), boot.loss().outOfOrder());

    long rootInit = firstSerial(events, Op.EXEC, "/sbin/init");
    long wrapper = firstSerial(events, Op.EXEC, "/init.orig");
    assertThat(wrapper)
        .as("the original /init ran under audit, before the root's init")
        .isLessThan(rootInit);
    List<FileEvent> initramfs =
        events.stream().filter(e -> e.serial() < rootInit).toList();
    assertPhases(boot, events, rootInit);
    assertThat(boot.backlog().held()).as("records held until auditd connected").isPresent();
    assertThat(boot.backlog().overflowed()).as("backlog: %s", boot.backlog()).isFalse();
    assertThat(initramfs)
        .as("initramfs-tools scripts ran and were seen")
        .anyMatch(e -> e.op() == Op.EXEC && e.path().startsWith("/scripts/init-top/"));
    assertThat(initramfs)
        .as("udev read its rules in the initramfs")
        .anyMatch(e -> e.op() == Op.READ
            && e.process().comm().contains("udev")
            && e.path().contains("/rules.d/"));
    assertThat(initramfs.size())
        .as("most of the boot's events come from the initramfs")
        .isGreaterThan(1000);

    List<String> work = events.stream()
        .filter(e -> e.success() && e.path().startsWith("/var/tmp/work"))
        .map(e ->
            e.op().label() + " " + e.path() + e.oldPath().map(o -> " <- " + o).orElse(""))
        .toList();
    assertThat(work)
        .containsSubsequence(
            "create /var/tmp/work",
            "create /var/tmp/work/created.txt",
            "write /var/tmp/work/created.txt",
            "write /var/tmp/work/created.txt",
            "read /var/tmp/work/created.txt",
            "rename /var/tmp/work/renamed.txt <- /var/tmp/work/created.txt",
            "delete /var/tmp/work/renamed.txt");
    assertThat(events.stream()
            .filter(e -> e.path().startsWith("/var/tmp/work"))
            .allMatch(e -> e.serial() > rootInit))
        .isTrue();

    // the root's init "logs in" on the console as login(1) would: the default window ends there
    List<FileEvent> windowed = new ArrayList<>();
    BootSummary untilLogin;
    try (EventStream s = AuditLog.reader().source(out.resolve("audit.log")).open()) {
      s.forEachRemaining(windowed::add);
      untilLogin = s.summary().boots().get(0);
    }
    assertThat(untilLogin.windowEnd())
        .hasValueSatisfying(w -> assertThat(w.reason()).isEqualTo("LOGIN on ttyS0"));
    assertThat(windowed)
        .anyMatch(e -> e.path().equals("/var/tmp/work/created.txt"))
        .noneMatch(e -> e.path().equals("/var/tmp/work/after-login.txt"));
    assertThat(events).anyMatch(e -> e.path().equals("/var/tmp/work/after-login.txt"));
    assertThat(untilLogin.afterWindow()).isPositive();
    long toLogin = untilLogin.windowEnd().orElseThrow().time().toEpochMilli()
        - untilLogin.start().toEpochMilli();
    System.out.printf("BootIT: first record to the login marker: %.1f s (TCG)%n", toLogin / 1000.0);
    System.out.printf(
        "BootIT: %d s, %d events, %d in the initramfs phase, serials %d..%d%n",
        seconds, events.size(), initramfs.size(), boot.firstSerial(), boot.lastSerial());
  }

  @Test
  void initramfsToolsModeCapturesFromItsInitTopScript(@TempDir Path out) throws Exception {
    record(out, "--mode", "initramfs-tools");
    List<FileEvent> events = new ArrayList<>();
    BootSummary boot = read(out.resolve("audit.log"), events).boots().get(0);
    assertThat(boot.loss().none()).as("loss: %s", boot.loss()).isTrue();
    long rootInit = firstSerial(events, Op.EXEC, "/sbin/init");
    List<FileEvent> initramfs =
        events.stream().filter(e -> e.serial() < rootInit).toList();
    assertPhases(boot, events, rootInit);
    assertThat(initramfs)
        .as("udev in the initramfs was seen")
        .anyMatch(e -> e.op() == Op.READ && e.process().comm().contains("udev"));
    assertThat(initramfs)
        .as("the hook runs from init-top, so the original /init was not audited")
        .noneMatch(e -> e.op() == Op.EXEC && e.path().equals("/init.orig"));
  }

  @Test
  void dracutModeCapturesFromTheFirstCmdlineHook(@TempDir Path out) throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/dracut")),
        "needs dracut (apt-get install dracut-core)");
    record(out, "--mode", "dracut", "--initrd-tool", "dracut");
    List<FileEvent> initramfs = capturedUntilLogin(out, "dracut");
    assertThat(initramfs)
        .as("dracut's own init ran its hooks under audit")
        .anyMatch(e -> e.op() == Op.READ && e.path().contains("/dracut/hooks/"));
    assertThat(initramfs)
        .as("the hook runs after init started, so init itself was not audited")
        .noneMatch(e -> e.op() == Op.EXEC && e.path().equals("/init"));
  }

  @Test
  void systemdModeCapturesFromItsUnitAndJournaldLeavesAuditingOn(@TempDir Path out)
      throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/dracut")),
        "needs dracut (apt-get install dracut-core)");
    record(out, "--mode", "systemd", "--initrd-tool", "dracut-systemd");
    List<FileEvent> initramfs = capturedUntilLogin(out, "dracut-systemd");
    assertThat(initramfs)
        .as("systemd-journald started in the initrd after the unit, audited")
        .anyMatch(e -> e.op() == Op.EXEC && e.path().endsWith("/systemd-journald"));
    assertThat(initramfs)
        .as("the unit ran auditctl through its own loader")
        .anyMatch(e -> e.op() == Op.READ && e.path().equals("/bootaudit/auditctl"));
  }

  /** The dracut boots: one boot, nothing lost, udev audited in the initramfs, the window ends at login. */
  private static List<FileEvent> capturedUntilLogin(Path out, String name) throws IOException {
    List<FileEvent> events = new ArrayList<>();
    BootSummary boot = read(out.resolve("audit.log"), events).boots().get(0);
    assertThat(boot.loss().none()).as("loss: %s", boot.loss()).isTrue();
    long rootInit = firstSerial(events, Op.EXEC, "/sbin/init");
    List<FileEvent> initramfs =
        events.stream().filter(e -> e.serial() < rootInit).toList();
    assertPhases(boot, events, rootInit);
    assertThat(initramfs)
        .as("udev read its rules in the initramfs")
        .anyMatch(e -> e.op() == Op.READ
            && e.process().comm().contains("udev")
            && e.path().contains("/rules.d/"));
    assertThat(initramfs.size()).as("initramfs events").isGreaterThan(500);
    assertThat(events)
        .anyMatch(e -> e.op() == Op.RENAME && e.path().equals("/var/tmp/work/renamed.txt"));
    try (EventStream s = AuditLog.reader().source(out.resolve("audit.log")).open()) {
      s.forEachRemaining(e -> {});
      assertThat(s.summary().boots().get(0).windowEnd())
          .hasValueSatisfying(w -> assertThat(w.reason()).isEqualTo("LOGIN on ttyS0"));
    }
    System.out.printf(
        "BootIT: %s: %d events, %d before the root's init, serials %d..%d%n",
        name, events.size(), initramfs.size(), boot.firstSerial(), boot.lastSerial());
    return initramfs;
  }

  /**
   * The new /init goes after the image's last segment, compressed like it (uncompressed after
   * lzma; a second frame after lz4 legacy): the kernel must unpack that segment and run the
   * wrapper, which loads the rules before the original /init runs as pid 1.
   */
  @ParameterizedTest
  @ValueSource(strings = {"gzip", "xz", "bzip2", "zstd", "lzma", "lz4"})
  void everyCompressionBootsWithTheWrapperFirst(String compression, @TempDir Path out)
      throws Exception {
    Process p = new ProcessBuilder("bash", MINI.toString(), out.toString(), compression)
        .redirectErrorStream(true)
        .redirectOutput(out.resolve("mini.out").toFile())
        .start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(out.resolve("mini.out"))).isZero();
    String inject = Files.readString(out.resolve("inject.txt"));
    String label = switch (compression) {
      case "lzma" -> "none";
      case "lz4" -> "lz4-legacy";
      default -> compression;
    };
    assertThat(inject).contains(" (" + label + ") at byte ");
    String console =
        Files.readString(out.resolve("console.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(console)
        .doesNotContain("Initramfs unpacking failed")
        .contains("mini-boot: original init is pid 1")
        .contains("mini-boot: rule -a always,exit -F arch=b64 -S execve,execveat -F key=ba_exec")
        .contains("mini-boot: status enabled 1");
  }

  @Test
  void withoutAuditArgumentTheInitramfsPhaseIsMissingAndTheReportSaysWhy(@TempDir Path out)
      throws Exception {
    record(out, "--no-audit-arg");
    List<FileEvent> events = new ArrayList<>();
    LogSummary summary = read(out.resolve("audit.log"), events);
    BootSummary boot = summary.boots().get(0);
    assertThat(events)
        .noneMatch(e -> e.path().startsWith("/scripts/") || e.path().equals("/init.orig"));
    assertThat(boot.firstSerial())
        .as("records before auditd connected were dropped")
        .isGreaterThan(100);
    assertThat(boot.phases().count(Phase.INITRAMFS)).as("no initramfs phase").isZero();
    assertThat(boot.backlog().held().orElse(0))
        .as("nothing was held for auditd")
        .isZero();
    String report = org.bootaudit.analysis.Report.collector(
            org.bootaudit.analysis.UsedFiles.builder())
        .finish(summary)
        .text(5);
    assertThat(report)
        .contains("probably booted without")
        .contains("audit=1 (records made before auditd connects are then dropped)");
  }

  private static void record(Path out, String... options) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), out.toString()));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(out.resolve("record.out").toFile())
        .start();
    assertThat(p.waitFor(15, TimeUnit.MINUTES)).as("record-boot.sh finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(out.resolve("record.out"))).isZero();
  }

  private static LogSummary read(Path log, List<FileEvent> into) throws IOException {
    try (EventStream s = AuditLog.reader().source(log).window(BootWindow.all()).open()) {
      s.forEachRemaining(into::add);
      return s.summary();
    }
  }

  /** The root's init begins the root phase; nothing of the initramfs comes after it. */
  private static void assertPhases(BootSummary boot, List<FileEvent> events, long rootInit) {
    assertThat(boot.phases().root())
        .as("switch to the root")
        .hasValueSatisfying(r -> assertThat(r.serial()).hasValue(rootInit));
    assertThat(events)
        .filteredOn(e -> e.phase() == Phase.INITRAMFS)
        .allMatch(e -> e.serial() < rootInit);
    assertThat(events)
        .filteredOn(e -> e.serial() < rootInit)
        .allMatch(e -> e.phase() == Phase.INITRAMFS);
    assertThat(boot.phases().auditd())
        .as("auditd connected (audit_pid)")
        .hasValueSatisfying(a -> assertThat(a.serial()).isPresent());
  }

  private static long firstSerial(List<FileEvent> events, Op op, String path) {
    return events.stream()
        .filter(e -> e.op() == op && e.path().equals(path))
        .mapToLong(FileEvent::serial)
        .min()
        .orElseThrow(() -> new AssertionError("no " + op.label() + " of " + path));
  }

  private static long kernels() {
    try (var s = Files.list(Path.of("/boot"))) {
      return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).count();
    } catch (IOException e) {
      return 0;
    }
  }
}
