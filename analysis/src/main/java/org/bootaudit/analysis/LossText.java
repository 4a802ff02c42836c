package org.bootaudit.analysis;

import java.util.ArrayList;
import java.util.List;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.LogSummary;

/** Words for what a summary says about loss: the same sentences in every report and warning. */
public final class LossText {

  private LossText() {}

  /** One warning per boot that lost records, and one for skipped lines; none when all is well. */
  public static List<String> warnings(LogSummary s) {
    List<String> out = new ArrayList<>();
    for (BootSummary b : s.boots()) {
      if (!b.loss().none()) {
        out.add("boot " + b.boot() + nodeSuffix(b) + ": loss: " + loss(b.loss()));
      }
    }
    if (s.skipped() > 0) {
      out.add("skipped " + s.skipped() + " bad line(s); first: "
          + s.skippedExamples().get(0));
    }
    return out;
  }

  /** {@code " (node NAME)"}, or nothing for a log without node names. */
  public static String nodeSuffix(BootSummary b) {
    return b.node().isEmpty() ? "" : " (node " + b.node() + ")";
  }

  /** A sentence about the loss of one boot. */
  public static String loss(BootSummary.Loss l) {
    if (!l.measurable()) {
      return "cannot be measured: this input has no serials (systemtap log), so gaps are invisible";
    }
    if (l.none()) {
      return "none seen (serials contiguous, no kernel loss reports)";
    }
    List<String> parts = new ArrayList<>();
    if (l.missingSerials() > 0) {
      parts.add(l.missingSerials() + " serial(s) missing in " + gapText(l.gaps()));
    }
    if (l.kernelLost() > 0) {
      parts.add("kernel reported lost=" + l.kernelLost());
    }
    if (l.suppressed() > 0) {
      parts.add(l.suppressed() + " record(s) suppressed by the kernel log's rate limit");
    }
    if (l.overflows() > 0) {
      parts.add(l.overflows() + " kernel backlog/hold-queue overflow message(s)");
    }
    if (l.incompleteEvents() > 0) {
      parts.add(l.incompleteEvents()
          + " event(s) incomplete (records came after the event was read, too far"
          + " from the rest): serials " + gapText(l.incomplete()).replace("gaps ", ""));
    }
    for (BootSummary.AuditOff off : l.auditOff()) {
      parts.add("auditing switched off at serial " + off.serial() + " (" + off.time() + ") by "
          + off.by()
          + (off.next().isPresent()
              ? String.format(
                  ": nothing recorded until serial %d, %.1f s later",
                  off.nextSerial().getAsLong(),
                  java.time.Duration.between(off.time(), off.next().get()).toMillis() / 1000.0)
              : ": nothing recorded after it in this boot"));
    }
    return String.join("; ", parts);
  }

  private static String gapText(List<BootSummary.Gap> gaps) {
    StringBuilder sb = new StringBuilder();
    int shown = Math.min(5, gaps.size());
    for (int i = 0; i < shown; i++) {
      sb.append(i == 0 ? "" : ", ").append(gaps.get(i));
    }
    if (gaps.size() > shown) {
      sb.append(", ...");
    }
    return gaps.isEmpty() ? "gaps" : "gaps " + sb;
  }
}
