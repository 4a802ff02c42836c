package org.bootaudit.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.Phase;

/** The report's words on a boot's phases and on the kernel's hold queue before auditd (DESIGN §7). */
final class PhaseReport {

  private static final String INDENT = "             ";
  private static final String NONE = " (none in this log)";
  private static final String OVERFLOWED =
      "the hold queue OVERFLOWED (records lost before auditd connected): ";

  private PhaseReport() {}

  /** One line per phase: its file events and where it begins. */
  static void text(BootSummary b, StringBuilder sb) {
    String lead = "  phases:    ";
    for (Phase p : Phase.values()) {
      sb.append(lead)
          .append(String.format("%-12s %7d file events", p.label(), b.phases().count(p)))
          .append(where(b, p))
          .append('\n');
      lead = INDENT;
    }
  }

  private static String where(BootSummary b, Phase p) {
    BootSummary.Phases ph = b.phases();
    return switch (p) {
      case INITRAMFS ->
        ph.root().isPresent() || ph.count(p) > 0 ? ", from the start of the capture" : NONE;
      case ROOT ->
        ph.root()
            .map(r -> ", " + from(r))
            .orElse(
                ph.count(Phase.INITRAMFS) > 0
                    ? " (no switch to a root's init seen)"
                    : ph.count(p) > 0 ? ", from the start of the capture" : NONE);
      case AUDITD ->
        ph.auditd().map(a -> ", " + from(a)).orElse(" (auditd did not connect in this log)");
      case AFTER_WINDOW ->
        b.windowEnd()
            .map(w -> ", after serial " + w.serial() + " (the window's end)")
            .orElse(ph.count(p) > 0 ? ", after the window's end" : " (the window did not end)");
    };
  }

  private static String from(BootSummary.Boundary at) {
    String serial = at.serial().isPresent() ? "serial " + at.serial().getAsLong() + " at " : "";
    return "from " + serial + at.time() + " (" + at.marker() + ")";
  }

  /** What the kernel held until auditd connected, against the limit in force, and a limit to set. */
  static void backlogText(BootSummary b, StringBuilder sb) {
    BootSummary.Backlog q = b.backlog();
    sb.append("  backlog:   ");
    if (q.held().isEmpty()) {
      sb.append("held records not known: the log has no audit_pid record (auditd connecting)");
      sb.append(q.overflowed() ? ";\n" + INDENT + OVERFLOWED + String.join("; ", why(q)) : "")
          .append('\n');
      return;
    }
    long queued = q.queued().getAsLong();
    sb.append(q.held().getAsLong())
        .append(" records held until auditd connected (serials below ")
        .append(b.phases().auditd().orElseThrow().serial().getAsLong())
        .append("); with the kernel's EOE\n")
        .append(INDENT)
        .append("records, which auditd does not write, ")
        .append(queued)
        .append(" queue entries")
        .append(limit(q))
        .append('\n');
    if (q.overflowed()) {
      sb.append(INDENT).append(OVERFLOWED).append(String.join("; ", why(q))).append('\n');
    }
    long lost = q.lostEntries();
    sb.append(INDENT)
        .append("recommended: audit_backlog_limit=")
        .append(q.recommendedLimit().getAsLong())
        .append(" (twice the ")
        .append(queued)
        .append(" entries held")
        .append(lost > 0 ? " and ~" + lost + " lost" : "")
        .append(", rounded up to a power of two; at least ")
        .append(BootSummary.Backlog.MIN_LIMIT)
        .append(")\n");
  }

  private static String limit(BootSummary.Backlog q) {
    if (q.limit().isEmpty()) {
      return "; audit_backlog_limit not shown in the log";
    }
    long limit = q.limit().getAsLong();
    String set = " (set at serial " + q.limitSerial().getAsLong() + ")";
    return limit == 0
        ? "; audit_backlog_limit 0" + set + ": no limit"
        : String.format(
            ": %.0f%% of audit_backlog_limit %d%s",
            100.0 * q.queued().getAsLong() / limit, limit, set);
  }

  private static List<String> why(BootSummary.Backlog q) {
    List<String> out = new ArrayList<>();
    if (q.limit().orElse(0) > 0
        && q.queued().isPresent()
        && q.queued().getAsLong() >= q.limit().getAsLong()) {
      out.add("the entries reached the limit");
    }
    if (q.missingSerials() > 0) {
      out.add(q.missingSerials() + " serial(s) missing before auditd connected");
    }
    if (q.holdQueueOverflows() > 0 || q.kernelLost() > 0) {
      out.add("the kernel log says audit_lost=" + q.kernelLost()
          + " and 'kauditd hold queue overflow' " + q.holdQueueOverflows() + " time(s)");
    }
    return out;
  }

  static Map<String, Object> json(BootSummary b) {
    Map<String, Object> m = new LinkedHashMap<>();
    BootSummary.Phases ph = b.phases();
    for (Phase p : Phase.values()) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("fileEvents", ph.count(p));
      switch (p) {
        case ROOT -> boundary(ph.root(), one);
        case AUDITD -> boundary(ph.auditd(), one);
        case AFTER_WINDOW ->
          one.put(
              "afterSerial", b.windowEnd().map(BootSummary.WindowEnd::serial).orElse(null));
        default -> {}
      }
      m.put(p.label(), one);
    }
    return m;
  }

  private static void boundary(Optional<BootSummary.Boundary> at, Map<String, Object> into) {
    into.put("serial", at.flatMap(a -> boxed(a.serial())).orElse(null));
    into.put("time", at.map(a -> a.time().toString()).orElse(null));
    into.put("marker", at.map(BootSummary.Boundary::marker).orElse(null));
  }

  static Map<String, Object> backlogJson(BootSummary.Backlog q) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("held", boxed(q.held()).orElse(null));
    m.put("endOfEvent", q.endOfEvent());
    m.put("queued", boxed(q.queued()).orElse(null));
    m.put("limit", boxed(q.limit()).orElse(null));
    m.put("limitSerial", boxed(q.limitSerial()).orElse(null));
    m.put("missingSerials", q.missingSerials());
    m.put("kernelLost", q.kernelLost());
    m.put("holdQueueOverflows", q.holdQueueOverflows());
    m.put("overflowed", q.overflowed());
    m.put("recommendedLimit", boxed(q.recommendedLimit()).orElse(null));
    return m;
  }

  private static Optional<Long> boxed(OptionalLong v) {
    return v.isPresent() ? Optional.of(v.getAsLong()) : Optional.empty();
  }
}
