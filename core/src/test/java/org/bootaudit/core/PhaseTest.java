package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Boot phases and the hold queue on real boots: {@code samples/boot} (Debian's initramfs injected
 * in wrap mode, a busybox root) and, when this machine has it, a Debian 12 systemd VM booted with
 * bootaudit's initramfs-tools hook. Besides the whole logs, cuts of them as logs that start after
 * the initramfs, and without their CONFIG_CHANGE records.
 */
class PhaseTest {

  static final Path BOOT = Path.of("../samples/boot/audit.log.gz");
  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit/audit.log.gz");
  private static final Pattern SERIAL = Pattern.compile("audit\\([0-9.]+:(\\d+)\\)");

  /** What a read gave. */
  private record Read(List<FileEvent> events, BootSummary boot) {}

  @Test
  void theSampleBootSwitchesToTheRootAtTheExecOfSbinInit() throws IOException {
    Read r = read(gunzip(BOOT), BootWindow.all());
    FileEvent first =
        r.events.stream().filter(e -> e.phase() == Phase.ROOT).findFirst().orElseThrow();
    assertThat(first.serial()).isEqualTo(4697);
    assertThat(first.op()).isEqualTo(Op.EXEC);
    assertThat(first.path()).isEqualTo("/sbin/init");
    assertThat(first.process().pid()).isEqualTo(1);
    assertThat(r.events)
        .filteredOn(e -> e.phase() == Phase.INITRAMFS)
        .allMatch(e -> e.serial() < 4697);
    assertInOrder(r.events);
    // pid 1 executed the wrapper's /init.orig and run-init from the initramfs first: no switch
    assertThat(r.events)
        .filteredOn(e -> e.process().pid() == 1 && e.op() == Op.EXEC && e.serial() < 4697)
        .extracting(FileEvent::path)
        .contains("/init.orig", "/sbin/run-init");
    BootSummary.Phases p = r.boot.phases();
    assertThat(p.root().orElseThrow().serial()).hasValue(4697);
    assertThat(p.root().orElseThrow().marker()).isEqualTo("pid 1 exec /sbin/init on fe:00");
    assertThat(p.auditd().orElseThrow().serial()).hasValue(4822);
    assertThat(p.auditd().orElseThrow().marker()).isEqualTo("CONFIG_CHANGE audit_pid=184");
    // the root's init logs in on the console before it starts auditd: nothing is left for auditd
    assertThat(r.boot.windowEnd().orElseThrow().serial()).isEqualTo(4767);
    assertThat(p.fileEvents()).isEqualTo(counts(4504, 56, 0, 68));
    assertThat(countByPhase(r.events)).isEqualTo(p.fileEvents());
    assertThat(r.events)
        .filteredOn(e -> e.phase() == Phase.AFTER_WINDOW)
        .allMatch(e -> e.serial() > 4767);
  }

  @Test
  void theDefaultWindowCountsTheEventsAfterTheLoginWithoutReturningThem() throws IOException {
    Read r = read(gunzip(BOOT), BootWindow.untilLogin());
    assertThat(r.events).noneMatch(e -> e.phase() == Phase.AFTER_WINDOW);
    assertThat(r.boot.afterWindow()).isEqualTo(68);
    assertThat(r.boot.phases().fileEvents()).isEqualTo(counts(4504, 56, 0, 68));
  }

  @Test
  void theSampleBootHeldItsRecordsWellBelowTheLimit() throws IOException {
    BootSummary.Backlog q = read(gunzip(BOOT), BootWindow.untilLogin()).boot.backlog();
    assertThat(q.held()).hasValue(21_590);
    assertThat(q.endOfEvent()).isEqualTo(4_816);
    assertThat(q.queued()).hasValue(26_406);
    // the root's own rules set it again at 4737, before auditd connected
    assertThat(q.limit()).hasValue(65_536);
    assertThat(q.limitSerial()).hasValue(4_737);
    assertThat(q.missingSerials()).isZero();
    assertThat(q.overflowed()).isFalse();
    assertThat(q.recommendedLimit()).hasValue(65_536);
  }

  @Test
  void aLogThatStartsOnTheRootHasNoInitramfsPhase() throws IOException {
    byte[] cut = keep(gunzip(BOOT), serial -> serial >= 4697);
    Read r = read(cut, BootWindow.all());
    assertThat(r.events).noneMatch(e -> e.phase() == Phase.INITRAMFS);
    assertThat(r.events.get(0).phase()).isEqualTo(Phase.ROOT);
    assertThat(r.boot.phases().root()).isEmpty();
    assertThat(r.boot.phases().auditd().orElseThrow().serial()).hasValue(4822);
    assertThat(r.boot.phases().fileEvents()).isEqualTo(counts(0, 56, 0, 68));
  }

  @Test
  void withoutConfigChangeRecordsAuditdStartsAtDaemonStart() throws IOException {
    byte[] log = drop(gunzip(BOOT), "type=CONFIG_CHANGE ");
    Read r = read(log, BootWindow.all());
    BootSummary.Boundary auditd = r.boot.phases().auditd().orElseThrow();
    assertThat(auditd.serial()).isEmpty();
    assertThat(auditd.time()).isEqualTo(r.boot.daemonStarts().get(0));
    assertThat(r.boot.backlog().held()).isEmpty();
    assertThat(r.boot.phases().root().orElseThrow().serial()).hasValue(4697);
  }

  /**
   * samples/workload: a private auditd started while auditing was off, so the kernel logged no
   * audit_pid record, and nothing was recorded before it: DAEMON_START's time puts every event
   * after auditd.
   */
  @Test
  void aLogRecordedOnlyOnceAuditdRanIsAllAuditd() throws IOException {
    Read r =
        read(Files.readAllBytes(Path.of("../samples/workload/raw/audit.log")), BootWindow.all());
    assertThat(r.events).hasSize(145).allMatch(e -> e.phase() == Phase.AUDITD);
    BootSummary.Boundary auditd = r.boot.phases().auditd().orElseThrow();
    assertThat(auditd.serial()).isEmpty();
    assertThat(auditd.time()).isEqualTo(r.boot.daemonStarts().get(0));
    assertThat(auditd.marker()).isEqualTo("DAEMON_START, no audit_pid record in the log");
  }

  /** A clock an hour ahead (RTC in local time) until systemd set it back stamps the initramfs after DAEMON_START. */
  @Test
  void aClockAheadUntilSetBackDoesNotMoveAuditd() throws IOException {
    byte[] log = shift(gunzip(BOOT), serial -> serial < 4000, 3600);
    Read r = read(log, BootWindow.all());
    assertThat(r.events.get(0).time()).isAfter(r.boot.daemonStarts().get(0).plusSeconds(3000));
    assertThat(r.boot.phases().auditd().orElseThrow().serial()).hasValue(4822);
    assertThat(r.boot.phases().fileEvents()).isEqualTo(counts(4504, 56, 0, 68));
  }

  @Test
  void theVmSwitchesAtTheExecOfSbinInitAndAuditdConnectsAtItsAuditPid() throws IOException {
    Read r = read(vmLog(), BootWindow.all());
    assertThat(
            r.events.stream().filter(e -> e.phase() == Phase.ROOT).findFirst().orElseThrow())
        .extracting(FileEvent::serial, FileEvent::path)
        .containsExactly(4043L, "/sbin/init");
    BootSummary.Phases p = r.boot.phases();
    assertThat(p.root().orElseThrow().serial()).hasValue(4043);
    assertThat(p.auditd().orElseThrow().serial()).hasValue(8192);
    assertThat(r.boot.windowEnd().orElseThrow().serial()).isEqualTo(11_981);
    assertThat(p.fileEvents()).isEqualTo(counts(3994, 4004, 3915, 1401));
    assertInOrder(r.events);
    // stamped after DAEMON_START (auditd's start-up) but numbered before audit_pid: still held
    assertThat(r.events)
        .filteredOn(
            e -> e.serial() < 8192 && e.time().isAfter(r.boot.daemonStarts().get(0)))
        .isNotEmpty()
        .allMatch(e -> e.phase() == Phase.ROOT);
    assertThat(r.events)
        .filteredOn(e -> e.phase() == Phase.AUDITD)
        .allMatch(e -> e.serial() > 8192);
  }

  @Test
  void theVmHeldFortyFourThousandEntriesOfItsHundredThirtyOneThousand() throws IOException {
    BootSummary.Backlog q = read(vmLog(), BootWindow.untilLogin()).boot.backlog();
    assertThat(q.held()).hasValue(35_709);
    assertThat(q.endOfEvent()).isEqualTo(8157);
    // set in the initramfs; the root's 8192 came after auditd connected
    assertThat(q.limit()).hasValue(131_072);
    assertThat(q.limitSerial()).hasValue(42);
    assertThat(q.overflowed()).isFalse();
    assertThat(q.recommendedLimit()).hasValue(131_072);
  }

  @Test
  void theVmCutAfterItsInitramfsStartsOnTheRoot() throws IOException {
    Read r = read(keep(vmLog(), serial -> serial >= 4043), BootWindow.all());
    assertThat(r.boot.phases().fileEvents()).isEqualTo(counts(0, 4004, 3915, 1401));
    assertThat(r.boot.phases().root()).isEmpty();
  }

  @Test
  void recommendedLimitsArePowersOfTwoWithHeadroomAndTheStigFloor() {
    assertThat(backlog(100, 20, 0).recommendedLimit()).hasValue(8192);
    assertThat(backlog(43_685, 10_142, 0).recommendedLimit()).hasValue(131_072);
    assertThat(backlog(32_768, 0, 0).recommendedLimit()).hasValue(65_536);
    // a full queue: what was lost counts too, at the held events' 5 entries each (4 records, 1 EOE)
    BootSummary.Backlog full = new BootSummary.Backlog(
        java.util.OptionalLong.of(52_000),
        13_000,
        java.util.OptionalLong.of(65_536),
        java.util.OptionalLong.of(6),
        4_108,
        0,
        0);
    assertThat(full.overflowed()).isTrue();
    assertThat(full.lostEntries()).isEqualTo(5 * 4_108);
    assertThat(full.recommendedLimit()).hasValue(262_144);
  }

  private static BootSummary.Backlog backlog(long held, long eoe, long missing) {
    return new BootSummary.Backlog(
        java.util.OptionalLong.of(held),
        eoe,
        java.util.OptionalLong.empty(),
        java.util.OptionalLong.empty(),
        missing,
        0,
        0);
  }

  private static Map<Phase, Long> counts(long initramfs, long root, long auditd, long after) {
    Map<Phase, Long> m = new EnumMap<>(Phase.class);
    m.put(Phase.INITRAMFS, initramfs);
    m.put(Phase.ROOT, root);
    m.put(Phase.AUDITD, auditd);
    m.put(Phase.AFTER_WINDOW, after);
    return m;
  }

  private static Map<Phase, Long> countByPhase(List<FileEvent> events) {
    Map<Phase, Long> m = counts(0, 0, 0, 0);
    events.forEach(e -> m.merge(e.phase(), 1L, Long::sum));
    return m;
  }

  /** Phases never go back in a boot read in serial order. */
  private static void assertInOrder(List<FileEvent> events) {
    for (int i = 1; i < events.size(); i++) {
      assertThat(events.get(i).phase())
          .as("event %d: %s", i, events.get(i))
          .isGreaterThanOrEqualTo(events.get(i - 1).phase());
    }
  }

  private static Read read(byte[] log, BootWindow window) throws IOException {
    List<FileEvent> events = new ArrayList<>();
    try (EventStream s = AuditLog.reader()
        .source(new ByteArrayInputStream(log), "log")
        .window(window)
        .open()) {
      s.forEachRemaining(events::add);
      assertThat(s.summary().boots()).hasSize(1);
      return new Read(events, s.summary().boots().get(0));
    }
  }

  private static byte[] gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  /** The VM's rotated pair, oldest first, as one log. */
  private static byte[] vmLog() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(gunzip(VM));
    return out.toByteArray();
  }

  /** The DAEMON_* lines and the records whose serial passes. */
  private static byte[] keep(byte[] log, Predicate<Long> serial) {
    return filter(log, line -> {
      Matcher m = SERIAL.matcher(line);
      return line.startsWith("type=DAEMON_") || m.find() && serial.test(Long.parseLong(m.group(1)));
    });
  }

  /** The records whose serial passes, stamped {@code seconds} later. */
  private static byte[] shift(byte[] log, Predicate<Long> serial, long seconds) {
    Pattern stamp = Pattern.compile("audit\\((\\d+)(\\.\\d+:(\\d+)\\))");
    StringBuilder sb = new StringBuilder();
    for (String line : new String(log, StandardCharsets.ISO_8859_1).split("\n")) {
      Matcher m = stamp.matcher(line);
      if (!line.startsWith("type=DAEMON_") && m.find() && serial.test(Long.parseLong(m.group(3)))) {
        line = line.substring(0, m.start(1))
            + (Long.parseLong(m.group(1)) + seconds)
            + line.substring(m.end(1));
      }
      sb.append(line).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] drop(byte[] log, String prefix) {
    return filter(log, line -> !line.startsWith(prefix));
  }

  private static byte[] filter(byte[] log, Predicate<String> keep) {
    StringBuilder sb = new StringBuilder();
    for (String line : new String(log, StandardCharsets.ISO_8859_1).split("\n")) {
      if (keep.test(line)) {
        sb.append(line).append('\n');
      }
    }
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
