package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Counters and state of one boot while it is read; {@link #summary()} freezes them. */
final class BootState {

  final String node;
  final int boot;
  final ProcessTable processes = new ProcessTable();
  final Gaps gaps = new Gaps();
  final List<Instant> daemonStarts = new ArrayList<>();
  final PhaseTracker phases = new PhaseTracker(daemonStarts);
  final HoldQueue holdQueue = new HoldQueue();
  long firstSerial = -1;
  long lastSerial = -1;
  /** Highest serial returned in order so far; the next in-order one is above it. */
  long lastEmitted = -1;
  long startMillis = Long.MAX_VALUE;
  long endMillis = Long.MIN_VALUE;
  long records;
  long events;
  long fileEvents;
  long afterWindow;
  long kernelLost;
  long suppressed;
  long overflows;
  /** The kernel's "kauditd hold queue overflow" messages (also counted in {@link #overflows}). */
  long holdOverflows;
  /** Stretches with auditing switched off; the last may still be open. */
  final List<BootSummary.AuditOff> auditOff = new ArrayList<>();
  long outOfOrder;
  /** False for inputs without serials (systemtap logs): their loss cannot be known. */
  boolean lossMeasurable = true;
  BootSummary.WindowEnd windowEnd;

  BootState(String node, int boot) {
    this.node = node;
    this.boot = boot;
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

  /** Notes an event returned in serial order, or out of it, and the gaps that shows. */
  /** Whether a record stamped at {@code millis} falls inside the times this boot has shown. */
  boolean within(long millis) {
    return millis >= startMillis && millis <= endMillis;
  }

  void emitted(long serial) {
    events++;
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
            lossMeasurable, gaps.missing(), gaps.first(100), kernelLost, suppressed, overflows, outOfOrder, auditOff),
        processes.snapshot(),
        processes.notListed(),
        List.copyOf(daemonStarts),
        phases.phases(),
        holdQueue.backlog(phases.auditdSerial(), gaps, kernelLost, holdOverflows));
  }
}
