package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Tells the phase of each event of one boot while the boot is read in serial order (DESIGN §7).
 *
 * <p>initramfs to root: pid 1 executing, with success, a binary on another device than the
 * initramfs's, or with {@code --switched-root} among its arguments (systemd in an initrd). In the
 * initramfs pid 1 executes only its own files (a wrapper's {@code /init.orig}, initramfs-tools'
 * {@code run-init}); run-init, busybox's switch_root and systemd then execute the root's init,
 * which lies on the root's device ({@code fe:00}, a btrfs subvolume...).
 *
 * <p>Whether the log holds the initramfs at all, the boot's first exec shows: the kernel unpacks
 * the initramfs into rootfs, one of the first file systems it mounts, so its binaries lie on an
 * anonymous device (major 0) with a small minor ({@code 00:01}, {@code 00:02} on 6.x kernels).
 * A root on a disk has a major of its own; one on btrfs, overlayfs or NFS gets its anonymous
 * minor later, after proc, sysfs, devtmpfs and /run. File events before that first exec wait for
 * it (at most {@link #MAX_WAITING}); a boot without an exec before auditd connected has no
 * initramfs phase.
 *
 * <p>root to auditd: the kernel's {@code CONFIG_CHANGE op=set audit_pid=N old=0}. Events
 * numbered below it were made before auditd connected, even those auditd wrote after its
 * DAEMON_START with older times. The kernel logs it only while auditing is on, so a log may lack
 * it: then DAEMON_START's time tells. In a log that was recording before auditd started (it holds
 * the boot's first serials, or configuration records stamped before DAEMON_START), events stamped
 * just after DAEMON_START may still come before audit_pid (auditd's own start-up: 30 ms under
 * TCG), so they wait for it; an event stamped {@link #ZONE_SPAN_MS} later, or {@link #ZONE_MAX}
 * events, end the wait. Events stamped later than that before any such wait are not taken for
 * auditd's: a clock that ran ahead until systemd or NTP set it back stamps the initramfs after
 * DAEMON_START.
 */
final class PhaseTracker {

  /** File events a boot may hold back until its first exec. */
  static final int MAX_WAITING = 4096;
  /** Events stamped after DAEMON_START that may wait for the audit_pid record. */
  static final int ZONE_MAX = 4096;
  /** How long after DAEMON_START auditd may take to connect. */
  static final long ZONE_SPAN_MS = 10_000;
  /** Serials up to this one are a boot's first records, as {@link Assembler} takes them. */
  private static final long BOOT_START_SERIAL = 16;
  /** rootfs is 00:01 or 00:02; the next anonymous devices are the kernel's own (nsfs, devtmpfs). */
  private static final int ROOTFS_MAX_MINOR = 0xf;

  private final List<Instant> daemonStarts;
  private final List<FileEvent> waiting = new ArrayList<>();
  private final long[] counts = new long[Phase.values().length];
  /** INITRAMFS or ROOT once the boot's first exec has shown which; null before. */
  private Phase start;

  private String initramfsDev;
  private long rootSerial = -1;
  private BootSummary.Boundary root;
  private long auditdSerial = -1;
  private BootSummary.Boundary auditd;
  /** The first event stamped after DAEMON_START while no audit_pid record has come. */
  private long zoneStart = -1;

  private int zoneEvents;
  /** Where DAEMON_START's time put auditd, for a log without the audit_pid record. */
  private long fallbackSerial = -1;

  private long firstSerial = -1;
  /** The log holds the boot's start, or configuration records made before auditd started. */
  private boolean recordingBeforeAuditd;

  /** {@code daemonStarts} is the boot's list of DAEMON_START times, filled as the boot is read. */
  PhaseTracker(List<Instant> daemonStarts) {
    this.daemonStarts = daemonStarts;
  }

  /**
   * Notes auditd connecting, when this event is its audit_pid record, or an event stamped after
   * DAEMON_START without it; hands on what waited. Call for every event, inside the window or not.
   */
  void note(AuditEvent e, Record change, Consumer<FileEvent> out) {
    if (auditdSerial >= 0) {
      return;
    }
    if (change != null && isAuditdConnecting(change)) {
      auditdSerial = e.serial;
      auditd = new BootSummary.Boundary(
          OptionalLong.of(e.serial),
          e.time(),
          "CONFIG_CHANGE audit_pid=" + change.text("audit_pid"));
      if (start == null) {
        start = Phase.ROOT;
      }
      flushIfSettled(out);
      return;
    }
    if (firstSerial < 0) {
      // the kernel's first records (audit initialized, netlabel) come before any rule is loaded
      recordingBeforeAuditd = e.serial <= BOOT_START_SERIAL;
      firstSerial = e.serial;
    }
    if (daemonStarts.isEmpty()) {
      recordingBeforeAuditd |= change != null;
    } else if (fallbackSerial < 0) {
      afterDaemonStart(e, change, out);
    }
  }

  /**
   * A log that was not recording before auditd started (no boot start, no configuration record
   * stamped before DAEMON_START) has nothing numbered before the audit_pid record to wait for:
   * DAEMON_START's time decides at once.
   */
  private void afterDaemonStart(AuditEvent e, Record change, Consumer<FileEvent> out) {
    long since = e.millis() - daemonStarts.get(0).toEpochMilli();
    recordingBeforeAuditd |= change != null && since < 0;
    if (zoneStart >= 0) {
      if (since >= ZONE_SPAN_MS || ++zoneEvents >= ZONE_MAX) {
        fallBack(out);
      }
    } else if (since >= 0 && !recordingBeforeAuditd) {
      fallbackSerial = e.serial;
    } else if (since >= 0 && since < ZONE_SPAN_MS) {
      zoneStart = e.serial;
    }
  }

  /** {@code op=set audit_pid=N old=0 res=1}: a daemon registered while none was. */
  private static boolean isAuditdConnecting(Record change) {
    return "set".equals(change.text("op"))
        && !"0".equals(change.text("res"))
        && change.number("audit_pid", 10, 0) > 0
        && change.number("old", 10, -1) == 0;
  }

  /** The serial of auditd's audit_pid record, or -1 while none has come. */
  long auditdSerial() {
    return auditdSerial;
  }

  /**
   * The phase of an event inside the window; it may still change while the event waits. Events
   * waiting for the audit_pid record are labelled auditd, which DAEMON_START's time makes final if
   * the record never comes: that case has many of them, the other a few to relabel.
   */
  Phase phaseOf(AuditEvent e) {
    if (auditdSerial >= 0) {
      return e.serial >= auditdSerial ? Phase.AUDITD : beforeAuditd(e.serial);
    }
    long from = fallbackSerial >= 0 ? fallbackSerial : zoneStart;
    return from >= 0 && e.serial >= from ? Phase.AUDITD : beforeAuditd(e.serial);
  }

  private Phase beforeAuditd(long serial) {
    if (rootSerial >= 0) {
      return serial >= rootSerial ? Phase.ROOT : Phase.INITRAMFS;
    }
    return start == null ? Phase.INITRAMFS : start;
  }

  /**
   * Hands on the file events of one event (all labelled alike by {@link #phaseOf}), relabelled
   * when this event is the switch to the root or the first exec shows the log starts on the root;
   * holds them back while the boot's first exec or auditd's audit_pid record may still come.
   */
  void settle(AuditEvent e, List<FileEvent> events, Consumer<FileEvent> out) {
    if (events.isEmpty()) {
      return;
    }
    Phase phase = events.get(0).phase();
    if (start == null) {
      decide(e, events, phase);
    }
    if (start == Phase.INITRAMFS
        && rootSerial < 0
        && phase == Phase.INITRAMFS
        && isSwitch(e, events)) {
      rootSerial = e.serial;
      relabel(events, Phase.ROOT);
    }
    if (waiting.isEmpty() && start != null && !zoneOpen()) {
      for (FileEvent f : events) {
        emit(f, out);
      }
      return;
    }
    waiting.addAll(events);
    if (start == null && waiting.size() >= MAX_WAITING) {
      start = Phase.ROOT;
    }
    flushIfSettled(out);
  }

  /** Decides on the boot's first exec, or on auditd or the window's end coming first. */
  private void decide(AuditEvent e, List<FileEvent> events, Phase phase) {
    if (phase != Phase.INITRAMFS) {
      start = Phase.ROOT;
      return;
    }
    FileEvent exec = firstExec(events);
    if (exec == null) {
      return;
    }
    boolean handOver = exec.process().pid() == 1 && switchedRoot(e);
    if (handOver || isRootfs(exec.dev().orElseThrow())) {
      start = Phase.INITRAMFS;
      initramfsDev = handOver ? null : exec.dev().get();
    } else {
      start = Phase.ROOT;
      relabel(events, Phase.ROOT);
    }
  }

  /**
   * The boot has ended, or the next one begun: no exec means no initramfs phase, no audit_pid
   * record means DAEMON_START's time decides. Hands on what waited.
   */
  void release(Consumer<FileEvent> out) {
    if (zoneOpen()) {
      fallBack(out);
    }
    if (start == null) {
      start = Phase.ROOT;
    }
    flushIfSettled(out);
  }

  boolean isWaiting() {
    return !waiting.isEmpty();
  }

  private boolean zoneOpen() {
    return zoneStart >= 0 && auditdSerial < 0 && fallbackSerial < 0;
  }

  private void fallBack(Consumer<FileEvent> out) {
    fallbackSerial = zoneStart;
    if (start == null) {
      start = Phase.ROOT;
    }
    flushIfSettled(out);
  }

  private void flushIfSettled(Consumer<FileEvent> out) {
    if (start == null || zoneOpen()) {
      return;
    }
    for (FileEvent f : waiting) {
      emit(settled(f), out);
    }
    waiting.clear();
  }

  /** The final phase of an event that waited: provisional labels give way to what was decided. */
  private FileEvent settled(FileEvent f) {
    Phase p = f.phase();
    if (p == Phase.AUDITD && auditdSerial >= 0 && f.serial() < auditdSerial) {
      return withPhase(f, beforeAuditd(f.serial()));
    }
    return p == Phase.INITRAMFS && start == Phase.ROOT ? withPhase(f, Phase.ROOT) : f;
  }

  /** Counts and hands on one file event whose phase is final. */
  void emit(FileEvent f, Consumer<FileEvent> out) {
    counts[f.phase().ordinal()]++;
    out.accept(f);
  }

  /** Counts file events after the window that are not returned. */
  void countAfterWindow(long n) {
    counts[Phase.AFTER_WINDOW.ordinal()] += n;
  }

  private boolean isSwitch(AuditEvent e, List<FileEvent> events) {
    FileEvent exec = firstExec(events);
    if (exec == null || exec.process().pid() != 1) {
      return false;
    }
    String dev = exec.dev().orElseThrow();
    boolean handOver = switchedRoot(e);
    if (!handOver && dev.equals(initramfsDev)) {
      return false;
    }
    root = new BootSummary.Boundary(
        OptionalLong.of(e.serial),
        e.time(),
        "pid 1 exec " + exec.path() + " on " + dev + (handOver ? " --switched-root" : ""));
    return true;
  }

  /** The executed binary of a successful exec (its first EXEC event with a device), or null. */
  private static FileEvent firstExec(List<FileEvent> events) {
    for (FileEvent f : events) {
      if (f.op() == Op.EXEC && f.success() && f.dev().isPresent()) {
        return f;
      }
    }
    return null;
  }

  /** systemd in an initrd executes the root's init with {@code --switched-root}. */
  private static boolean switchedRoot(AuditEvent e) {
    return Arguments.argv(e).contains("--switched-root");
  }

  /** An anonymous device among the kernel's first: {@code 00:01}, {@code 00:02}. */
  static boolean isRootfs(String dev) {
    int colon = dev.indexOf(':');
    if (colon < 0) {
      return false;
    }
    try {
      return Integer.parseInt(dev, 0, colon, 16) == 0
          && Integer.parseInt(dev, colon + 1, dev.length(), 16) <= ROOTFS_MAX_MINOR;
    } catch (NumberFormatException ex) {
      return false;
    }
  }

  private static void relabel(List<FileEvent> events, Phase phase) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).phase() == Phase.INITRAMFS) {
        events.set(i, withPhase(events.get(i), phase));
      }
    }
  }

  private static FileEvent withPhase(FileEvent f, Phase phase) {
    return new FileEvent(
        f.node(),
        f.boot(),
        f.serial(),
        f.time(),
        phase,
        f.op(),
        f.path(),
        f.oldPath(),
        f.target(),
        f.resolved(),
        f.success(),
        f.errno(),
        f.syscall(),
        f.arch(),
        f.process(),
        f.keys(),
        f.inode(),
        f.dev(),
        f.mode());
  }

  BootSummary.Phases phases() {
    Map<Phase, Long> byPhase = new EnumMap<>(Phase.class);
    for (Phase p : Phase.values()) {
      byPhase.put(p, counts[p.ordinal()]);
    }
    return new BootSummary.Phases(Optional.ofNullable(root), auditdBoundary(), byPhase);
  }

  /** The audit_pid record, or else DAEMON_START's time. */
  private Optional<BootSummary.Boundary> auditdBoundary() {
    if (auditd != null || daemonStarts.isEmpty()) {
      return Optional.ofNullable(auditd);
    }
    return Optional.of(new BootSummary.Boundary(
        OptionalLong.empty(), daemonStarts.get(0), "DAEMON_START, no audit_pid record in the log"));
  }
}
