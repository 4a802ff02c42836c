package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The admin's flow on a real Debian 12 VM (systemd, udev, journald, auditd.service, getty): {@code
 * bootaudit enable --kernel-args}, the root's own initramfs generator in a chroot, a qemu boot
 * with the command line from the root's grub defaults, an ACPI power-down, and the log read back
 * off the disk ({@code samples/vm/record-vm.sh}). Run by {@code mvn verify -Psystem}; skipped, with
 * the reason, where the packages of {@code .ci/run} are missing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmIT {

  static final Path SCRIPT = Path.of("../samples/vm/record-vm.sh").toAbsolutePath();
  static final Path OUT = Path.of("target/vm").toAbsolutePath();

  /** Seconds to the login prompt of the stock VM, measured first, for the boot-cost ratio. */
  static double stockLogin = Double.NaN;

  @BeforeAll
  static void needsTheRealParts() {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "needs root (mmdebstrap, chroot, bind mounts)");
    for (String tool : List.of(
        "/usr/bin/mmdebstrap",
        "/usr/bin/qemu-system-x86_64",
        "/usr/sbin/mke2fs",
        "/usr/sbin/debugfs")) {
      assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool + " (see .ci/run)");
    }
  }

  @Test
  @Order(1)
  void stockVmBootsToItsLoginPrompt() throws Exception {
    Path out = record("stock", "--stock");
    stockLogin = seconds(out, "login_prompt_s");
    assertThat(Files.readString(out.resolve("cmdline.txt"))).doesNotContain("audit=");
    // without audit=1 nothing is recorded before auditd: attest fails the boot, saying so
    LogSummary summary;
    try (EventStream s =
        AuditLog.reader().source(out.resolve("audit")).window(BootWindow.all()).open()) {
      s.forEachRemaining(e -> {});
      summary = s.summary();
    }
    org.bootaudit.analysis.Attestation attest =
        org.bootaudit.analysis.Attestation.check(summary, java.util.Optional.empty());
    assertThat(attest.findings().get(0).verdict())
        .as(attest.text())
        .isEqualTo(org.bootaudit.analysis.Attestation.Verdict.FAIL);
    assertThat(attest.findings().get(0).evidence().get(0)).contains("came after auditd started");
    System.out.printf("VmIT: stock VM: login prompt after %.1f s (TCG)%n", stockLogin);
  }

  @Test
  @Order(2)
  void initramfsToolsFlowCapturesTheWholeBootWithNothingLost() throws Exception {
    Path out = record("initramfs-tools");
    assertThat(Files.readString(out.resolve("initramfs.txt")))
        .contains("update-initramfs: Generating /boot/initrd.img-");
    Capture c = checkCapture(out, "initramfs-tools");
    assertThat(c.initramfs)
        .as("initramfs-tools' own scripts ran under audit")
        .anyMatch(e -> e.op() == Op.EXEC && e.path().startsWith("/scripts/"));
    double login = seconds(out, "login_prompt_s");
    if (!Double.isNaN(stockLogin)) {
      System.out.printf(
          "VmIT: boot cost: login prompt after %.1f s with bootaudit, %.1f s without: %.2fx%n",
          login, stockLogin, login / stockLogin);
    }
  }

  @Test
  @Order(3)
  void bootOnlyEndsTheEarlyRulesAtTheLoginPrompt() throws Exception {
    // also measured by IMA (ima_policy=tcb): the join with the audit events, against the files
    Path out = record("boot-only", "--append", "ima_policy=tcb", "--", "--boot-only");
    imaJoinGivesEachFilesOwnHash(out);
    assertThat(Files.readString(out.resolve("enable.txt"))).contains("bootaudit-boot-only.service");
    Capture c = checkCapture(out, "boot-only");
    // auditctl -D removes the rules one at a time, each with its own record, and the boot goes on
    // meanwhile: an early rule still loaded may match until the last of them is gone
    long handOver = rawRecords(out.resolve("audit")).stream()
        .filter(l -> l.startsWith("type=CONFIG_CHANGE ")
            && l.contains(" op=remove_rule ")
            && l.contains("key=\"ba_"))
        .mapToLong(VmIT::serial)
        .filter(n -> n > c.windowEnd())
        .max()
        .orElseThrow(
            () -> new AssertionError("the boot-only unit never removed the early-boot rules"));
    List<FileEvent> early =
        c.events.stream().filter(e -> e.key().orElse("").startsWith("ba_")).toList();
    assertThat(early)
        .as("no event of the early rules after the unit replaced them (serial %d)", handOver)
        .allMatch(e -> e.serial() < handOver);
    long after = early.stream().filter(e -> e.serial() > c.windowEnd()).count();
    System.out.printf(
        "VmIT: boot-only: rules handed over at serial %d, %d early-rule events after the window"
            + " (the shutdown is no longer audited)%n",
        handOver, after);
  }

  @Test
  @Order(4)
  void dracutFlowCapturesTheWholeBootWithNothingLost() throws Exception {
    Path out = record("dracut", "--flavor", "dracut");
    assertThat(Files.readString(out.resolve("initramfs.txt"))).contains("bootaudit");
    Capture c = checkCapture(out, "dracut");
    assertThat(c.initramfs)
        .as("systemd ran as pid 1 in the initrd, audited")
        .anyMatch(e -> e.process().pid() == 1 && e.process().exe().endsWith("/systemd"));
  }

  /**
   * Issue 16, item 3: the hash the join gives each file the boot executed or read is the
   * sha256sum of that file, on the root or in the initramfs (record-vm.sh hashed them).
   */
  private static void imaJoinGivesEachFilesOwnHash(Path out) throws IOException {
    List<org.bootaudit.analysis.ImaLog.Measurement> list =
        org.bootaudit.analysis.ImaLog.read(out.resolve("ima-measurements.txt"));
    org.bootaudit.analysis.ImaJoin join = new org.bootaudit.analysis.ImaJoin(list);
    try (EventStream s =
        AuditLog.reader().source(out.resolve("audit")).window(BootWindow.all()).open()) {
      s.forEachRemaining(join);
    }
    Map<String, String> root = sums(out.resolve("ima-root.sha256"));
    Map<String, String> initramfs = sums(out.resolve("ima-initramfs.sha256"));
    int compared = 0;
    for (org.bootaudit.analysis.ImaJoin.JoinedFile f : join.files()) {
      if (f.measurement().isEmpty()) {
        continue;
      }
      String name = f.measurement().get().name();
      String sum = (f.phase() == Phase.INITRAMFS ? initramfs : root).get(name);
      if (sum != null) {
        assertThat(f.measurement().get().hash())
            .as("%s %s (measured as %s)", f.phase(), f.path(), name)
            .isEqualTo("sha256:" + sum);
        compared++;
      }
    }
    assertThat(compared).as("joined hashes compared with the files").isGreaterThan(200);
    assertThat(join.files())
        .as("the root's init has systemd's hash")
        .anyMatch(f -> f.phase() == Phase.ROOT
            && f.op() == Op.EXEC
            && f.path().equals("/sbin/init")
            && f.measurement()
                .map(m -> m.hash().equals("sha256:" + root.get("/usr/lib/systemd/systemd")))
                .orElse(false));
    System.out.printf(
        "VmIT: IMA: %d measurements, %d files executed or read, %d hashes equal to the files' sha256sum,"
            + " %d executed and not measured, %d measurements without an audit event%n",
        list.size(),
        join.files().size(),
        compared,
        join.unmeasured().size(),
        join.unmatched().size());
  }

  private static Map<String, String> sums(Path file) throws IOException {
    Map<String, String> out = new java.util.HashMap<>();
    for (String l : Files.readAllLines(file)) {
      out.put(l.substring(66), l.substring(0, 64));
    }
    return out;
  }

  /** What every capture must show: item 3 of the issue. */
  private static Capture checkCapture(Path out, String name) throws IOException {
    Path log = out.resolve("audit");
    List<FileEvent> events = new ArrayList<>();
    LogSummary summary;
    try (EventStream s = AuditLog.reader().source(log).window(BootWindow.all()).open()) {
      s.forEachRemaining(events::add);
      summary = s.summary();
    }
    assertThat(summary.boots()).as("one boot").hasSize(1);
    BootSummary boot = summary.boots().get(0);
    assertThat(boot.loss().none()).as("loss: %s", boot.loss()).isTrue();
    org.bootaudit.analysis.Attestation attest =
        org.bootaudit.analysis.Attestation.check(summary, java.util.Optional.empty());
    assertThat(attest.overall())
        .as("attest:%n%s", attest.text())
        .isEqualTo(org.bootaudit.analysis.Attestation.Verdict.PASS);
    assertThat(boot.firstSerial())
        .as("the log holds the boot from its first records")
        .isLessThanOrEqualTo(3);
    assertThat(boot.daemonStarts()).as("auditd started").isNotEmpty();
    assertThat(timing(out))
        .as("the ACPI power-down stopped the VM cleanly")
        .containsEntry("clean_power_off", "yes");
    assertThat(rawRecords(log))
        .as("systemd stopped auditd cleanly")
        .anyMatch(l -> l.startsWith("type=DAEMON_END "));
    assertThat(Files.readString(out.resolve("audit-status.txt")))
        .as("the kernel's own count, after the login prompt")
        .contains("\nlost 0\n")
        .doesNotContain("overflow");

    // the switch to the root: pid 1 executes the root's init (run-init: /sbin/init; systemd's
    // switch-root: /lib/systemd/systemd), a file on the disk, not on the initramfs (device 00:xx)
    BootSummary.Phases phases = boot.phases();
    long rootInit = phases
        .root()
        .orElseThrow(() -> new AssertionError("no switch to the root"))
        .serial()
        .orElseThrow();
    assertThat(events)
        .as("the switch is pid 1 executing the root's init from the disk")
        .anyMatch(e -> e.serial() == rootInit
            && e.op() == Op.EXEC
            && e.process().pid() == 1
            && List.of("/sbin/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd")
                .contains(e.path())
            && e.dev().filter(d -> !d.startsWith("00:")).isPresent());
    List<FileEvent> initramfs =
        events.stream().filter(e -> e.serial() < rootInit).toList();
    assertThat(initramfs)
        .as("everything before the switch is the initramfs phase")
        .allMatch(e -> e.phase() == Phase.INITRAMFS);
    assertThat(phases.count(Phase.ROOT)).as("events on the root before auditd").isPositive();
    assertThat(phases.count(Phase.AUDITD)).as("events after auditd connected").isPositive();
    BootSummary.Backlog backlog = boot.backlog();
    assertThat(backlog.limit()).as("the limit in force for the hold queue").hasValue(131072);
    assertThat(backlog.overflowed()).as("hold queue: %s", backlog).isFalse();
    assertThat(initramfs.size()).as("events from the initramfs").isGreaterThan(500);
    assertThat(initramfs)
        .as("udev read its rules in the initramfs")
        .anyMatch(e -> e.op() == Op.READ
            && e.process().comm().contains("udev")
            && e.path().contains("/rules.d/"));
    assertThat(events)
        .as("systemd runs as pid 1 from the root")
        .anyMatch(e -> e.serial() > rootInit
            && e.process().pid() == 1
            && e.process().exe().equals("/usr/lib/systemd/systemd"));
    assertThat(events)
        .as("journald started on the root")
        .anyMatch(e ->
            e.serial() > rootInit && e.op() == Op.EXEC && e.path().endsWith("/systemd-journald"));
    assertThat(boot.loss().auditOff())
        .as("nothing switched auditing off (journald's Audit=yes drop-in)")
        .isEmpty();
    assertThat(events)
        .as("auditd started on the root (its unit runs /sbin/auditd)")
        .anyMatch(e -> e.op() == Op.EXEC
            && e.success()
            && e.process().exe().equals("/usr/sbin/auditd")
            && e.phase() == Phase.ROOT);

    BootSummary untilLogin;
    try (EventStream s = AuditLog.reader().source(log).open()) {
      s.forEachRemaining(e -> {});
      untilLogin = s.summary().boots().get(0);
    }
    assertThat(untilLogin.windowEnd())
        .as("the window ends at a getty's start")
        .hasValueSatisfying(
            w -> assertThat(w.reason()).matches("SERVICE_START (serial-)?getty@tty(S0|1)"));
    Map<String, Long> byOp = events.stream()
        .filter(e -> e.serial() <= untilLogin.windowEnd().orElseThrow().serial())
        .collect(Collectors.groupingBy(
            e -> e.op().label(), java.util.TreeMap::new, Collectors.counting()));
    System.out.printf(
        "VmIT: %s: serials %d..%d, %d file events, per phase %s, until the login prompt %s;"
            + " window ends at %s; held before auditd %d of %d (%.2fx margin); first record %.1f s after qemu started; %s%n",
        name,
        boot.firstSerial(),
        boot.lastSerial(),
        events.size(),
        phases.fileEvents(),
        byOp,
        untilLogin.windowEnd().orElseThrow().reason(),
        backlog.queued().orElseThrow(),
        backlog.limit().orElseThrow(),
        (double) backlog.limit().orElseThrow() / backlog.queued().orElseThrow(),
        boot.start().toEpochMilli() / 1000.0
            - Double.parseDouble(timing(out).get("qemu_started_epoch")),
        timing(out));
    return new Capture(
        events, initramfs, boot, untilLogin.windowEnd().orElseThrow().serial());
  }

  private record Capture(
      List<FileEvent> events, List<FileEvent> initramfs, BootSummary boot, long windowEnd) {}

  /** Every record line of the rotated set in dir, oldest file first. */
  private static List<String> rawRecords(Path dir) throws IOException {
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().startsWith("audit.log"))
          .sorted(java.util.Comparator.comparing((Path f) -> f.getFileName().toString())
              .reversed())
          .toList();
    }
    List<String> lines = new ArrayList<>();
    for (Path f : files) {
      lines.addAll(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
    }
    return lines;
  }

  private static long serial(String record) {
    int colon = record.indexOf(':', record.indexOf("msg=audit("));
    return Long.parseLong(record.substring(colon + 1, record.indexOf(')', colon)));
  }

  private static Path record(String name, String... options)
      throws IOException, InterruptedException {
    Path out = OUT.resolve(name);
    Files.createDirectories(out);
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), out.toString()));
    cmd.addAll(List.of(options));
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(out.resolve("record.out").toFile())
        .start();
    assertThat(p.waitFor(20, TimeUnit.MINUTES)).as("record-vm.sh finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(out.resolve("record.out"))).isZero();
    return out;
  }

  private static Map<String, String> timing(Path out) throws IOException {
    return Files.readAllLines(out.resolve("timing.txt"), StandardCharsets.UTF_8).stream()
        .map(l -> l.split("=", 2))
        .collect(Collectors.toMap(a -> a[0], a -> a[1], (a, b) -> b, java.util.TreeMap::new));
  }

  private static double seconds(Path out, String name) throws IOException {
    return Double.parseDouble(timing(out).get(name));
  }
}
