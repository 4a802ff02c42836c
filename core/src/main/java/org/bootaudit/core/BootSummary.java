package org.bootaudit.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
 * @param fileEvents file events inside the window
 * @param afterWindow file events after the window's end, not returned
 * @param windowEnd the marker or limit that ended the window, if one was met
 * @param loss serial gaps and the kernel's own loss reports
 * @param processes processes seen, in order of first appearance (at most 100,000)
 * @param processesNotListed processes seen beyond that cap
 * @param daemonStarts times auditd started (DAEMON_START) during this boot
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
    List<Instant> daemonStarts) {

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
   * @param gaps the first ranges of missing serials, as {@code [from, to]} pairs
   * @param kernelLost the highest {@code lost=}/{@code audit_lost=} count the kernel reported
   * @param suppressed records the kernel log's rate limit suppressed (callbacks suppressed)
   * @param overflows kernel messages about hold-queue or backlog overflow
   * @param outOfOrder events that arrived after higher serials had been returned
   */
  public record Loss(
      boolean measurable,
      long missingSerials,
      List<long[]> gaps,
      long kernelLost,
      long suppressed,
      long overflows,
      long outOfOrder) {

    /** True when loss is measurable and nothing suggests a record is missing. */
    public boolean none() {
      return measurable && missingSerials == 0 && kernelLost == 0 && suppressed == 0 && overflows == 0;
    }
  }
}
