package org.bootaudit.core;

import java.util.OptionalLong;

/**
 * What the kernel held for auditd until it connected (DESIGN §2): every record numbered below
 * auditd's {@code audit_pid} record, and the {@code audit_backlog_limit} in force for them.
 */
final class HoldQueue {

  private long held;
  private long endOfEvent;
  private long limit = -1;
  private long limitSerial = -1;

  /**
   * Counts an event made before auditd connected ({@code auditdSerial} is -1 while that is not
   * known), and notes the backlog limit it sets. The limit with the highest serial before auditd
   * connected is the one that bounded the queue, whatever order late events arrive in.
   */
  void note(AuditEvent e, Record change, long auditdSerial) {
    if (auditdSerial >= 0 && e.serial >= auditdSerial) {
      return;
    }
    held += e.records.size();
    if (e.first("SYSCALL") != null) {
      // the kernel ends every system-call event with an EOE record, queued like the others
      endOfEvent++;
    }
    if (change != null
        && e.serial > limitSerial
        && "set".equals(change.text("op"))
        && !"0".equals(change.text("res"))) {
      long n = change.number("audit_backlog_limit", 10, -1);
      if (n >= 0) {
        limit = n;
        limitSerial = e.serial;
      }
    }
  }

  /** The queue as the log shows it; the counts only when auditd's audit_pid record is known. */
  BootSummary.Backlog backlog(
      long auditdSerial, Gaps gaps, long kernelLost, long holdQueueOverflows) {
    boolean known = auditdSerial >= 0;
    return new BootSummary.Backlog(
        known ? OptionalLong.of(held) : OptionalLong.empty(),
        known ? endOfEvent : 0,
        limit >= 0 ? OptionalLong.of(limit) : OptionalLong.empty(),
        limitSerial >= 0 ? OptionalLong.of(limitSerial) : OptionalLong.empty(),
        known ? gaps.missingBelow(auditdSerial) : 0,
        kernelLost,
        holdQueueOverflows);
  }
}
