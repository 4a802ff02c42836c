package org.bootaudit.core;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the log shows of one boot, including what it could not see.
 *
 * @param node the {@code node=} name, {@code ""} when the log has none
 * @param boot the boot's number, from 1 per node in log order
 * @param firstSerial lowest serial seen; records before it are not in the log
 * @param lastSerial highest serial seen
 * @param start earliest record time
 * @param end latest record time
 * @param records audit records of this boot (DAEMON_* records excluded)
 * @param events audit events (records grouped by serial)
 * @param fileEvents file events returned (those inside the window, or all with {@link BootWindow#all()})
 * @param afterWindow file events after the window's end that were not returned
 * @param windowEnd the login marker that ended the window, if one was met (also with {@link
 *     BootWindow#all()}, which returns the events after it as {@link Phase#AFTER_WINDOW})
 * @param loss serial gaps and the kernel's own loss reports
 * @param processes processes seen, in order of first appearance (at most 100,000)
 * @param processesNotListed processes seen beyond that cap
 * @param daemonStarts times auditd started (DAEMON_START) during this boot
 * @param phases where the boot's phases begin and how many file events each holds
 * @param backlog what the kernel held for auditd before it connected
 */
public record BootSummary(
    String node,
    int boot,
    long firstSerial,
    long lastSerial,
    Instant start,
    Instant end,
    long records,
    long events,
    long fileEvents,
    long afterWindow,
    Optional<WindowEnd> windowEnd,
    Loss loss,
    List<ProcessNode> processes,
    long processesNotListed,
    List<Instant> daemonStarts,
    Phases phases,
    Backlog backlog) {

  /**
   * The end of a boot window.
   *
   * @param serial the serial of the event that ended it
   * @param time its time
   * @param reason what it was, such as {@code SERVICE_START getty@tty1}
   */
  public record WindowEnd(long serial, Instant time, String reason) {}

  /**
   * Records the log does not hold.
   *
   * @param missingSerials serials between the first and last that never appeared
   * @param gaps the first ranges of missing serials (at most 100), in serial order
   * @param kernelLost the highest {@code lost=}/{@code audit_lost=} count the kernel reported
   * @param suppressed records the kernel log's rate limit suppressed (callbacks suppressed)
   * @param overflows kernel messages about hold-queue or backlog overflow
   * @param outOfOrder events that arrived after higher serials had been returned
   * @param auditOff stretches in which something switched auditing off (at most 100)
   * @param incompleteEvents events handed on before all their records came: records of them
   *     arrived later than the assembler waits, and what they said is lost
   * @param incomplete the first serials of such events (at most 100 ranges), as noted
   */
  public record Loss(
      boolean measurable,
      long missingSerials,
      List<Gap> gaps,
      long kernelLost,
      long suppressed,
      long overflows,
      long outOfOrder,
      List<AuditOff> auditOff,
      long incompleteEvents,
      List<Gap> incomplete) {

    /** Copies the lists. */
    public Loss {
      gaps = List.copyOf(gaps);
      auditOff = List.copyOf(auditOff);
      incomplete = List.copyOf(incomplete);
    }

    /** True when loss is measurable and nothing suggests a record is missing or was never made. */
    public boolean none() {
      return measurable
          && missingSerials == 0
          && kernelLost == 0
          && suppressed == 0
          && overflows == 0
          && auditOff.isEmpty()
          && incompleteEvents == 0;
    }
  }

  /**
   * Serials missing from a boot: {@code from} to {@code to}, both included.
   *
   * @param from the first missing serial
   * @param to the last missing serial, at least {@code from}
   */
  public record Gap(long from, long to) {

    /** Checks the range. */
    public Gap {
      if (to < from) {
        throw new IllegalArgumentException("gap " + from + ".." + to + ": to is before from");
      }
    }

    /** The number of serials missing. */
    public long size() {
      return to - from + 1;
    }

    /** {@code from-to}, or the one serial. */
    @Override
    public String toString() {
      return from == to ? String.valueOf(from) : from + "-" + to;
    }
  }

  /**
   * A stretch in which auditing was switched off ({@code CONFIG_CHANGE op=set audit_enabled=0}):
   * the kernel made no records at all, so serials stay contiguous and nothing counts as lost,
   * yet nothing done meanwhile can be seen. Switching it on again leaves no record (the kernel
   * logs configuration changes only while auditing is on), so the stretch ends at the latest
   * with the next record. systemd-journald switches auditing off when it starts unless its
   * {@code Audit=} is yes (Debian's default is no).
   *
   * @param serial the event that switched auditing off
   * @param time when
   * @param by the process that did it, e.g. {@code pid 117 systemd-journal
   *     (/usr/lib/systemd/systemd-journald)}, or {@code unknown} without a SYSCALL record
   * @param nextSerial the first event after it, if the boot has one: auditing was on again by then
   * @param next that event's time
   */
  public record AuditOff(
      long serial, Instant time, String by, OptionalLong nextSerial, Optional<Instant> next) {}

  /**
   * Where a boot's phases begin, and how many file events each holds.
   *
   * @param root the switch to the root: pid 1 executing the root's init after switch_root; empty
   *     when the log holds no initramfs phase (or no such exec)
   * @param auditd auditd connecting: the kernel's {@code audit_pid} record, or DAEMON_START's time
   *     when the log has no such record
   * @param fileEvents file events per phase, every phase listed; {@link Phase#AFTER_WINDOW} counts
   *     the events after the window whether they were returned or not
   */
  public record Phases(
      Optional<Boundary> root, Optional<Boundary> auditd, Map<Phase, Long> fileEvents) {

    /** Copies the counts into an immutable map in phase order, absent phases as 0. */
    public Phases {
      Map<Phase, Long> all = new EnumMap<>(Phase.class);
      for (Phase p : Phase.values()) {
        all.put(p, fileEvents.getOrDefault(p, 0L));
      }
      fileEvents = Collections.unmodifiableMap(all);
    }

    /** File events of one phase. */
    public long count(Phase phase) {
      return fileEvents.get(phase);
    }
  }

  /**
   * Where a phase begins.
   *
   * @param serial the event that begins it; empty when it is told from a time (DAEMON_START
   *     records carry a random serial)
   * @param time that event's time, or the time it is told from
   * @param marker what marks it, such as {@code pid 1 exec /sbin/init on fe:00} or {@code
   *     CONFIG_CHANGE audit_pid=230}
   */
  public record Boundary(OptionalLong serial, Instant time, String marker) {}

  /**
   * The kernel's hold queue: what it kept for auditd until auditd connected, against the {@code
   * audit_backlog_limit} that bounded it. Past the limit the kernel drops records ({@code kauditd
   * hold queue overflow}).
   *
   * @param held records numbered below auditd's {@code audit_pid} record (DAEMON_* excluded);
   *     empty when the log has no such record
   * @param endOfEvent the EOE records the kernel queued among them, one per system-call event: they
   *     take queue entries too, but auditd does not write them
   * @param limit the {@code audit_backlog_limit} last set before auditd connected, if the log shows
   *     it ({@code CONFIG_CHANGE op=set audit_backlog_limit=N}; 0 is no limit, the kernel's default
   *     is 64)
   * @param limitSerial the event that set it
   * @param missingSerials serials missing below the {@code audit_pid} record
   * @param kernelLost the kernel's own count of lost records ({@code audit_lost=}), when the input
   *     is a kernel log
   * @param holdQueueOverflows the kernel's {@code kauditd hold queue overflow} messages, when the
   *     input is a kernel log
   */
  public record Backlog(
      OptionalLong held,
      long endOfEvent,
      OptionalLong limit,
      OptionalLong limitSerial,
      long missingSerials,
      long kernelLost,
      long holdQueueOverflows) {

    /**
     * The DISA STIG floor (RHEL-09-653120, V-258173: {@code audit_backlog_limit} of at least 8192).
     */
    public static final long MIN_LIMIT = 8192;

    /** Queue entries the boot needed before auditd connected: held records and their EOE records. */
    public OptionalLong queued() {
      return held.isPresent()
          ? OptionalLong.of(held.getAsLong() + endOfEvent)
          : OptionalLong.empty();
    }

    /**
     * True when the hold queue overflowed: it reached the limit, serials are missing before auditd
     * connected, or the kernel said so.
     */
    public boolean overflowed() {
      boolean full =
          limit.orElse(0) > 0 && queued().isPresent() && queued().getAsLong() >= limit.getAsLong();
      return full || missingSerials > 0 || holdQueueOverflows > 0;
    }

    /**
     * A limit for boots like this one: twice the entries it needed (the lost ones included),
     * rounded up to a power of two, and at least {@link #MIN_LIMIT}; empty when {@link #held()} is.
     * Twice, because a boot is never the same twice (one more service, a slower disk, an fsck)
     * and an overflow loses records for good; a power of two, because that is how limits are
     * usually written. Each entry is an skb in kernel memory (at least 1 KiB of data), but only
     * while auditd is away.
     */
    public OptionalLong recommendedLimit() {
      if (queued().isEmpty()) {
        return OptionalLong.empty();
      }
      long need = queued().getAsLong() + lostEntries();
      long twice = Math.max(MIN_LIMIT, 2 * need);
      return OptionalLong.of(Long.highestOneBit(twice - 1) << 1);
    }

    /**
     * Entries lost before auditd connected: the kernel's count when the input has it, otherwise an
     * estimate, the missing serials at this boot's mean entries per held event.
     */
    public long lostEntries() {
      if (kernelLost > 0) {
        return kernelLost;
      }
      long events = Math.max(1, endOfEvent);
      long perEvent = Math.max(1, Math.round((double) queued().orElse(0) / events));
      return missingSerials * perEvent;
    }
  }
}
