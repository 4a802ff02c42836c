package org.bootaudit.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Groups records into events by (node, boot, serial) and hands them on in serial order, but
 * for records the kernel delivered after later serials had been handed on (late, counted as out
 * of order, still joined into their own event). The caller feeds records with {@link
 * #add(Record)} and takes the events that are complete with {@link #poll()}.
 *
 * <p>auditd never writes EOE, so an event counts as complete when its end record (PROCTITLE or
 * EOE) has been followed by {@link #HOLD} more records, or when {@link #WINDOW} records have
 * passed since its last one. Both bounds keep memory small whatever the log's size; the hold lets
 * records of events that the kernel numbered earlier but queued later still join in order.
 */
final class Assembler {

  static final int HOLD = 64;
  static final int WINDOW = 4096;
  /**
   * The most the records of unfinished events may hold, in bytes (see {@link Record#weight()}).
   * A sound boot's events hold a few hundred KiB at most; records that share one serial without
   * end (a hostile or broken log) would otherwise fill the heap.
   */
  static final long MAX_PENDING_BYTES = 48L << 20;
  /** After DAEMON_START, a serial this far below the highest seen starts a new boot. */
  private static final long RESTART_SLACK = 64;
  /** The kernel's serial is 32 bits: after 4294967295 comes 0 (1 before kernel 5.x). */
  private static final long SERIAL_SPAN = 1L << 32;
  /** Consecutive serials are stamped at syscall entry: across a wraparound, this close in time. */
  private static final long WRAP_MILLIS = 10_000;

  private final ArrayDeque<AuditEvent> done = new ArrayDeque<>();
  private final Map<String, NodeState> nodes = new HashMap<>();
  private final List<BootState> boots = new ArrayList<>();
  private long seq;
  private long pendingBytes;

  private final class NodeState {
    final String node;
    BootState boot;
    final TreeMap<Long, AuditEvent> pending = new TreeMap<>();
    /** The event the last record joined: the next record is most often of the same one. */
    AuditEvent last;

    long maxSerial = -1;
    /** Added to the kernel's serials of this boot: SERIAL_SPAN per wraparound seen. */
    long wrapOffset;

    boolean daemonStarted;
    final List<Instant> daemonStarts = new ArrayList<>();

    NodeState(String node) {
      this.node = node;
    }

    void newBoot() {
      flush();
      boot = new BootState(node, boot == null ? 1 : boot.boot + 1);
      boots.add(boot);
      maxSerial = -1;
      wrapOffset = 0;
    }

    /**
     * The record's serial in this boot's count: past a wraparound (a serial near 2^32 followed,
     * within seconds, by one near 0) serials go on above 2^32, so order and gaps stay right;
     * records numbered before the wrap that arrive after it keep their place.
     */
    long unwrap(Record r) {
      long s = r.serial + wrapOffset;
      if (wrapOffset > 0 && s - SERIAL_SPAN / 2 > maxSerial) {
        return s - SERIAL_SPAN;
      }
      if (maxSerial - wrapOffset >= SERIAL_SPAN - WINDOW
          && r.serial < WINDOW
          && !daemonStarted
          && !r.type.equals("KERNEL")
          && boot.near(r.seconds * 1000 + r.millis, WRAP_MILLIS)) {
        wrapOffset += SERIAL_SPAN;
        return s + SERIAL_SPAN;
      }
      return s;
    }

    void flush() {
      while (!pending.isEmpty()) {
        emit(pending.pollFirstEntry().getValue());
      }
    }

    void drain() {
      while (!pending.isEmpty()) {
        AuditEvent e = pending.firstEntry().getValue();
        boolean settled =
            e.completedAt >= 0 ? seq - e.completedAt >= HOLD : seq - e.lastSeq > WINDOW;
        if (!settled) {
          return;
        }
        pending.pollFirstEntry();
        emit(e);
      }
    }
  }

  /** The next complete event, in the order events are handed on, or null for none yet. */
  AuditEvent poll() {
    return done.poll();
  }

  /** All boots met so far, in log order. */
  List<BootState> boots() {
    return boots;
  }

  /** The current boot of the node without a name, for loss reports from kernel logs. */
  BootState currentBoot() {
    NodeState n = state("");
    if (n.boot == null) {
      n.newBoot();
    }
    return n.boot;
  }

  void add(Record r) {
    seq++;
    NodeState n = state(r.node);
    if (r.type.startsWith("DAEMON_")) {
      // auditd's own records carry random serials: they mark restarts, not kernel order
      if (r.type.equals("DAEMON_START")) {
        n.daemonStarted = true;
        n.daemonStarts.add(Instant.ofEpochSecond(r.seconds, r.millis * 1_000_000L));
      }
      n.drain();
      return;
    }
    long serial = n.boot == null ? r.serial : n.unwrap(r);
    if (n.boot == null || startsBoot(n, r, serial)) {
      n.newBoot();
      serial = r.serial;
    }
    n.daemonStarted = false;
    if (!n.daemonStarts.isEmpty()) {
      n.boot.daemonStarted(n.daemonStarts);
      n.daemonStarts.clear();
    }
    BootState boot = n.boot;
    boot.record(r, serial);
    n.maxSerial = Math.max(n.maxSerial, serial);
    // a serial below what was returned still gathers its records: the kernel hands back held
    // records it could not send at the end of its queue, so whole stretches arrive late
    AuditEvent e = n.last;
    // a new boot flushes its node's events, so an event not yet emitted is of this boot
    if (e == null || e.serial != serial || e.emitted) {
      e = n.pending.get(serial);
    }
    if (e == null && boot.wasEmitted(serial)) {
      // its event went out without this record (records further apart than WINDOW): loss
      boot.lateRecord(serial);
      n.drain();
      return;
    }
    if (e == null) {
      e = new AuditEvent(boot, serial);
      n.pending.put(serial, e);
    }
    n.last = e;
    e.records.add(r);
    e.weight += r.weight();
    pendingBytes += r.weight();
    if (pendingBytes > MAX_PENDING_BYTES) {
      throw tooMuchPending(r, e);
    }
    e.lastSeq = seq;
    if (r.type.equals("PROCTITLE") || r.type.equals("EOE")) {
      e.completedAt = seq;
    }
    n.drain();
  }

  private boolean startsBoot(NodeState n, Record r, long serial) {
    long max = n.maxSerial;
    if (max < 0 || serial >= max) {
      return false;
    }
    if (n.daemonStarted && (serial + RESTART_SLACK < max || r.serial <= 16)) {
      return true;
    }
    // the kernel's first record of a boot, or a drop no reordering can explain: a reboot's
    // records come later than the boot's, late deliveries of the same boot within its times
    return r.type.equals("KERNEL")
        || serial + WINDOW < max && !n.boot.within(r.seconds * 1000 + r.millis);
  }

  /** Ends the input: everything pending is complete. */
  void finish() {
    for (NodeState n : nodes.values()) {
      n.flush();
      if (!n.daemonStarts.isEmpty() && n.boot != null) {
        n.boot.daemonStarted(n.daemonStarts);
        n.daemonStarts.clear();
      }
    }
  }

  private AuditParseException tooMuchPending(Record r, AuditEvent e) {
    return new AuditParseException(
        new SourceLocation(r.source, r.lineNo, 1, r.lineOffset),
        "expected events that end, found " + (pendingBytes >> 20)
            + " MiB of records held in unfinished events ("
            + e.records.size() + " with serial " + r.serial + "; the limit is "
            + (MAX_PENDING_BYTES >> 20)
            + " MiB: a damaged or hostile log)");
  }

  private void emit(AuditEvent e) {
    e.emitted = true;
    pendingBytes -= e.weight;
    e.boot.emitted(e.serial);
    done.add(e);
  }

  private NodeState state(String node) {
    NodeState n = nodes.get(node);
    if (n == null) {
      n = new NodeState(node);
      nodes.put(node, n);
    }
    return n;
  }
}
