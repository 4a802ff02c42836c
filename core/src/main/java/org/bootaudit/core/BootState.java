package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Counters and state of one boot while it is read; {@link #summary()} freezes them. */
final class BootState {

  final String node;
  final int boot;
  final ProcessTable processes = new ProcessTable();
  final PhaseTracker phases;
  final HoldQueue holdQueue = new HoldQueue();
  private final Gaps gaps = new Gaps();
  private final Emitted emittedSerials = new Emitted();
  /** Serials of events handed on before all their records came: the records after are lost. */
  private final Gaps incomplete = new Gaps();

  private final List<Instant> daemonStarts = new ArrayList<>();
  private long firstSerial = -1;
  private long lastSerial = -1;
  /** Highest serial returned in order so far; the next in-order one is above it. */
  private long lastEmitted = -1;

  private long startMillis = Long.MAX_VALUE;
  private long endMillis = Long.MIN_VALUE;
  private long records;
  private long events;
  private long fileEvents;
  private long afterWindow;
  private long kernelLost;
  private long suppressed;
  private long overflows;
  /** The kernel's "kauditd hold queue overflow" messages (also counted in {@link #overflows}). */
  private long holdOverflows;
  /** Stretches with auditing switched off; the last may still be open. */
  private final List<BootSummary.AuditOff> auditOff = new ArrayList<>();

  private long outOfOrder;
  /** False for inputs without serials (systemtap logs): their loss cannot be known. */
  private boolean lossMeasurable = true;

  private BootSummary.WindowEnd windowEnd;

  BootState(String node, int boot) {
    this.node = node;
    this.boot = boot;
    this.phases = new PhaseTracker(daemonStarts);
  }

  /** Counts a record; {@code serial} is its serial in this boot's count (see Assembler). */
  void record(Record r, long serial) {
    records++;
    long t = r.seconds * 1000 + r.millis;
    startMillis = Math.min(startMillis, t);
    endMillis = Math.max(endMillis, t);
    if (firstSerial < 0 || serial < firstSerial) {
      firstSerial = serial;
    }
    lastSerial = Math.max(lastSerial, serial);
  }

  /** Whether a record stamped at {@code millis} falls inside the times this boot has shown. */
  boolean within(long millis) {
    return millis >= startMillis && millis <= endMillis;
  }

  /** Whether a record stamped at {@code millis} is at most {@code slack} ms from the boot's last time. */
  boolean near(long millis, long slack) {
    return Math.abs(millis - endMillis) <= slack;
  }

  /** Notes an event returned in serial order, or out of it, and the gaps that shows. */
  void emitted(long serial) {
    events++;
    emittedSerials.add(serial);
    if (serial > lastEmitted) {
      // kernels before 5.x skip serial 0 when the count wraps: that is no loss
      boolean skippedZero = serial == lastEmitted + 2 && ((serial - 1) & 0xffffffffL) == 0;
      if (lastEmitted >= 0 && serial > lastEmitted + 1 && !skippedZero) {
        gaps.add(lastEmitted + 1, serial - 1);
      }
      lastEmitted = serial;
    } else {
      outOfOrder++;
      gaps.fill(serial);
    }
  }

  /** Whether the event of {@code serial} was handed on already. */
  boolean wasEmitted(long serial) {
    return serial <= lastEmitted && emittedSerials.contains(serial);
  }

  /**
   * A record came for an event already handed on (its records were further apart than the
   * assembler waits): the event went out without it, so what it said is lost.
   */
  void lateRecord(long serial) {
    incomplete.note(serial);
  }

  /** A line of a systemtap bootprobe log: a record and an event, numbered by line. */
  void stapLine(long lineNo, Instant time) {
    records++;
    events++;
    startMillis = Math.min(startMillis, time.toEpochMilli());
    endMillis = Math.max(endMillis, time.toEpochMilli());
    firstSerial = firstSerial < 0 ? lineNo : firstSerial;
    lastSerial = lineNo;
    lossMeasurable = false;
  }

  /** auditd started at these times (DAEMON_START), before this boot's next record. */
  void daemonStarted(List<Instant> times) {
    daemonStarts.addAll(times);
  }

  /** A file event is returned: counted for the boot and its process. */
  void returned(FileEvent f) {
    fileEvents++;
    processes.countFileEvent(f.process().pid());
  }

  /** File events after the window's end, not returned. */
  void notReturned(int n) {
    afterWindow += n;
    phases.countAfterWindow(n);
  }

  boolean windowEnded() {
    return windowEnd != null;
  }

  void endWindow(BootSummary.WindowEnd end) {
    windowEnd = end;
  }

  /** A kernel log line about loss: {@code suppressed}, {@code lost}, {@code hold-overflow} or another overflow. */
  void kernelLoss(String what, long count) {
    switch (what) {
      case "suppressed" -> suppressed += count;
      case "lost" -> kernelLost = Math.max(kernelLost, count);
      case "hold-overflow" -> {
        overflows++;
        holdOverflows++;
      }
      default -> overflows++;
    }
  }

  /**
   * Notes {@code audit_enabled} going to 0 in {@code e} ({@code change} its CONFIG_CHANGE record,
   * or null), and closes such a stretch at the next event (going back on leaves no record).
   */
  void auditSwitch(AuditEvent e, Record change) {
    int last = auditOff.size() - 1;
    if (last >= 0
        && auditOff.get(last).nextSerial().isEmpty()
        && e.serial > auditOff.get(last).serial()) {
      BootSummary.AuditOff open = auditOff.get(last);
      auditOff.set(
          last,
          new BootSummary.AuditOff(
              open.serial(),
              open.time(),
              open.by(),
              OptionalLong.of(e.serial),
              Optional.of(e.time())));
    }
    if (change == null
        || !"set".equals(change.text("op"))
        || !"0".equals(change.text("audit_enabled"))
        || "0".equals(change.text("old"))
        || auditOff.size() >= 100) {
      return;
    }
    Record sc = e.first("SYSCALL");
    String by = "unknown";
    if (sc != null) {
      String exe = sc.name("exe");
      by = "pid " + sc.text("pid") + " " + sc.name("comm") + (exe == null ? "" : " (" + exe + ")");
    }
    auditOff.add(
        new BootSummary.AuditOff(e.serial, e.time(), by, OptionalLong.empty(), Optional.empty()));
  }

  BootSummary summary() {
    return new BootSummary(
        node,
        boot,
        firstSerial,
        lastSerial,
        Instant.ofEpochMilli(startMillis == Long.MAX_VALUE ? 0 : startMillis),
        Instant.ofEpochMilli(endMillis == Long.MIN_VALUE ? 0 : endMillis),
        records,
        events,
        fileEvents,
        afterWindow,
        Optional.ofNullable(windowEnd),
        new BootSummary.Loss(
            lossMeasurable,
            gaps.missing(),
            gaps.first(100),
            kernelLost,
            suppressed,
            overflows,
            outOfOrder,
            auditOff,
            incomplete.count(),
            incomplete.first(100)),
        processes.snapshot(),
        processes.notListed(),
        List.copyOf(daemonStarts),
        phases.phases(),
        holdQueue.backlog(phases.auditdSerial(), gaps, kernelLost, holdOverflows));
  }
}
