package org.bootaudit.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.bootaudit.core.ProcessNode;

/**
 * Per boot: what was touched, by whom, and what the log could not see. Made by a {@link
 * Collector} fed the events of a stream, or in one call by {@link #of(EventStream)}.
 *
 * <pre>{@code
 * try (EventStream events = AuditLog.reader().source(log).open()) {
 *   System.out.print(Report.of(events).text(10));
 * }
 * }</pre>
 */
public final class Report {

  private final LogSummary log;
  private final Map<BootKey, BootReport> boots;
  private final java.util.Optional<EventFilter> selection;

  private Report(
      LogSummary log, Map<BootKey, BootReport> boots, java.util.Optional<EventFilter> selection) {
    this.log = log;
    this.boots = boots;
    this.selection = selection;
  }

  /**
   * This report, saying that its counts by operation, failures and unique files are those of the
   * events {@code filter} selected (the window, phases, processes and backlog stay those of the
   * whole log, which the filter does not change).
   */
  public Report selectedBy(EventFilter filter) {
    return filter.selectsAll() ? this : new Report(log, boots, java.util.Optional.of(filter));
  }

  /** Reads the rest of {@code events} and reports on it, counting every used file. */
  public static Report of(EventStream events) {
    Collector c = collector(UsedFiles.builder());
    events.forEachRemaining(c);
    return c.finish(events.summary());
  }

  /**
   * A collector of events; its unique-file counts take the files {@code used} would take (its
   * targets, excluded endings, operations and times).
   */
  public static Collector collector(UsedFiles.Builder used) {
    return new Collector(used);
  }

  /** What the stream said about the whole read: boots, lines, skipped lines. */
  public LogSummary log() {
    return log;
  }

  /** One report per boot, in log order. */
  public List<BootReport> boots() {
    List<BootReport> out = new ArrayList<>();
    log.boots().forEach(b -> out.add(boot(b)));
    return out;
  }

  private BootReport boot(BootSummary b) {
    BootReport r = boots.get(BootKey.of(b));
    return r == null ? BootReport.empty(b) : r.with(b);
  }

  /**
   * The report as text for people: per boot its window, phases, counts per operation, failures,
   * unique files, the {@code top} processes by file events, the hold queue and the loss.
   */
  public String text(int top) {
    LogSummary s = log;
    StringBuilder sb = new StringBuilder();
    if (s.boots().isEmpty()) {
      sb.append("no audit records found (").append(s.lines()).append(" lines read)\n");
    }
    selection.ifPresent(f -> sb.append("selected: ")
        .append(f.matched())
        .append(" of ")
        .append(f.seen())
        .append(" file events (")
        .append(f.description())
        .append("); 'by op', 'failed' and 'files' count those only\n"));
    for (BootSummary b : s.boots()) {
      BootReport st = boot(b);
      sb.append("boot ")
          .append(b.boot())
          .append(LossText.nodeSuffix(b))
          .append(": serials ")
          .append(b.firstSerial())
          .append("..")
          .append(b.lastSerial())
          .append(", ")
          .append(b.start())
          .append(" .. ")
          .append(b.end())
          .append(" (")
          .append(seconds(Duration.between(b.start(), b.end())))
          .append(")\n");
      sb.append("  window:    ").append(window(b)).append('\n');
      for (var t : b.daemonStarts()) {
        sb.append("  auditd:    started ").append(t).append('\n');
      }
      sb.append("  events:    ")
          .append(b.events())
          .append(" audit events, ")
          .append(events(b))
          .append('\n');
      PhaseReport.text(b, sb);
      sb.append("  by op:    ");
      for (Op op : Op.values()) {
        BootReport.OpCount c = st.op(op);
        long n = c.events();
        long u = c.files();
        sb.append(' ')
            .append(op.label())
            .append(' ')
            .append(n)
            .append(" (")
            .append(u)
            .append(" files)");
      }
      sb.append('\n');
      sb.append("  failed:    ").append(st.failed()).append(" (not counted as accesses)");
      if (!st.failedByErrno().isEmpty()) {
        sb.append(": ");
        st.failedByErrno().forEach((k, v) -> sb.append(k).append(' ').append(v).append(' '));
        sb.setLength(sb.length() - 1);
      }
      sb.append('\n');
      sb.append("  files:     ").append(st.uniqueFiles()).append(" unique files used\n");
      sb.append("  processes: ")
          .append(b.processes().size() + b.processesNotListed())
          .append(" seen; most file events:\n");
      for (ProcessNode p : topProcesses(b, top)) {
        sb.append(String.format(
            "    %7d  pid %-6d %-16s %s%n", p.fileEvents(), p.pid(), p.comm(), p.exe()));
      }
      PhaseReport.backlogText(b, sb);
      sb.append("  loss:      ").append(LossText.loss(b.loss())).append('\n');
      if (b.firstSerial() > 3) {
        sb.append("  note:      the log starts at serial ")
            .append(b.firstSerial())
            .append("; earlier records of this boot are not in it\n");
        if (noneBeforeAuditd(b)) {
          sb.append(
                  "             and none was made before auditd connected: the kernel was probably booted without\n")
              .append(
                  "             audit=1 (records made before auditd connects are then dropped), or with an\n")
              .append("             audit_backlog_limit too small for the boot\n");
        }
      }
    }
    if (s.skipped() > 0) {
      sb.append("skipped:   ")
          .append(s.skipped())
          .append(" bad line(s), first: ")
          .append(s.skippedExamples().get(0))
          .append('\n');
    }
    return sb.toString();
  }

  /** The report as a JSON tree for tools (maps, lists, strings, numbers and booleans). */
  public Map<String, Object> json(int top) {
    LogSummary s = log;
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", Schema.VERSION);
    List<Object> boots = new ArrayList<>();
    for (BootSummary b : s.boots()) {
      BootReport st = boot(b);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("node", b.node());
      m.put("boot", b.boot());
      m.put("firstSerial", b.firstSerial());
      m.put("lastSerial", b.lastSerial());
      m.put("start", b.start().toString());
      m.put("end", b.end().toString());
      m.put("window", window(b));
      b.windowEnd().ifPresent(w -> m.put("windowEndSerial", w.serial()));
      m.put("auditdStarts", b.daemonStarts().stream().map(Object::toString).toList());
      m.put("auditEvents", b.events());
      m.put("fileEvents", b.fileEvents());
      m.put("afterWindow", b.afterWindow());
      m.put("phases", PhaseReport.json(b));
      Map<String, Object> ops = new LinkedHashMap<>();
      for (Op op : Op.values()) {
        Map<String, Object> count = new LinkedHashMap<>();
        count.put("events", st.op(op).events());
        count.put("files", st.op(op).files());
        ops.put(op.label(), count);
      }
      m.put("ops", ops);
      m.put("failed", st.failed());
      m.put("failedByErrno", st.failedByErrno());
      m.put("uniqueFiles", st.uniqueFiles());
      Map<String, Object> loss = new LinkedHashMap<>();
      loss.put("measurable", b.loss().measurable());
      loss.put("none", b.loss().none());
      loss.put("missingSerials", b.loss().missingSerials());
      loss.put(
          "gaps", b.loss().gaps().stream().map(g -> List.of(g.from(), g.to())).toList());
      loss.put("kernelLost", b.loss().kernelLost());
      loss.put("suppressed", b.loss().suppressed());
      loss.put("overflows", b.loss().overflows());
      loss.put("outOfOrder", b.loss().outOfOrder());
      loss.put("incompleteEvents", b.loss().incompleteEvents());
      loss.put(
          "incomplete",
          b.loss().incomplete().stream().map(g -> List.of(g.from(), g.to())).toList());
      List<Map<String, Object>> offs = new ArrayList<>();
      for (BootSummary.AuditOff off : b.loss().auditOff()) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("serial", off.serial());
        o.put("time", off.time().toString());
        o.put("by", off.by());
        o.put("nextSerial", off.nextSerial().isPresent() ? off.nextSerial().getAsLong() : null);
        o.put("next", off.next().map(Object::toString).orElse(null));
        offs.add(o);
      }
      loss.put("auditOff", offs);
      m.put("backlog", PhaseReport.backlogJson(b.backlog()));
      m.put("loss", loss);
      List<Object> procs = new ArrayList<>();
      for (ProcessNode p : b.processes()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("pid", p.pid());
        pm.put("ppid", p.ppid());
        pm.put("comm", p.comm());
        pm.put("exe", p.exe());
        pm.put("argv", p.argv());
        pm.put("firstSerial", p.firstSerial());
        pm.put("fileEvents", p.fileEvents());
        procs.add(pm);
      }
      m.put("processes", procs);
      m.put("processesNotListed", b.processesNotListed());
      boots.add(m);
    }
    selection.ifPresent(f -> {
      Map<String, Object> sel = new LinkedHashMap<>();
      sel.put("filter", f.description());
      sel.put("selected", f.matched());
      sel.put("read", f.seen());
      root.put("selection", sel);
    });
    root.put("boots", boots);
    root.put("lines", s.lines());
    root.put("records", s.records());
    root.put("skipped", s.skipped());
    root.put("skippedExamples", s.skippedExamples());
    return root;
  }

  /** No record made before auditd connected: by serial when the log shows auditd connecting, else by time. */
  private static boolean noneBeforeAuditd(BootSummary b) {
    if (b.backlog().held().isPresent()) {
      return b.backlog().held().getAsLong() == 0;
    }
    return !b.daemonStarts().isEmpty()
        && !b.start().isBefore(b.daemonStarts().get(0).minusSeconds(1));
  }

  /** File events in and after the window; with --until all those after it are counted too. */
  private static String events(BootSummary b) {
    long returnedAfter = b.phases().count(Phase.AFTER_WINDOW) - b.afterWindow();
    String text = (b.fileEvents() - returnedAfter) + " file events in the window";
    if (returnedAfter > 0) {
      return text + ", " + returnedAfter + " after it (counted: --until all)";
    }
    return b.afterWindow() > 0 ? text + ", " + b.afterWindow() + " after it (not counted)" : text;
  }

  private static List<ProcessNode> topProcesses(BootSummary b, int top) {
    return b.processes().stream()
        .filter(p -> p.fileEvents() > 0)
        .sorted(Comparator.comparingLong(ProcessNode::fileEvents).reversed())
        .limit(top)
        .toList();
  }

  private static String window(BootSummary b) {
    return b.windowEnd()
        .map(w -> "until serial " + w.serial() + " at " + w.time() + " (" + w.reason() + ")")
        .orElse("whole boot (no login marker or limit met)");
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  /**
   * Takes events one at a time. Memory stays bounded by one boot per node: the sets of paths a
   * boot's counts need are dropped when the next boot of its node begins, and only the counts are
   * kept.
   */
  public static final class Collector implements Consumer<FileEvent> {

    private final UsedFiles.Builder used;
    private final Map<String, BootReport.Counter> open = new HashMap<>();
    private final Map<BootKey, BootReport> closed = new HashMap<>();

    private Collector(UsedFiles.Builder used) {
      this.used = used;
    }

    @Override
    public void accept(FileEvent e) {
      BootReport.Counter c = open.get(e.node());
      if (c == null || c.boot() != e.boot()) {
        if (c != null) {
          closed.put(new BootKey(e.node(), c.boot()), c.close());
        }
        c = new BootReport.Counter(e.boot(), used.build(), closed.remove(BootKey.of(e)));
        open.put(e.node(), c);
      }
      c.add(e);
    }

    /** The report, with the summary of the stream the events came from. */
    public Report finish(LogSummary summary) {
      Map<BootKey, BootReport> all = new HashMap<>(closed);
      open.forEach((node, c) -> all.put(new BootKey(node, c.boot()), c.close()));
      open.clear();
      return new Report(summary, all, java.util.Optional.empty());
    }
  }
}
