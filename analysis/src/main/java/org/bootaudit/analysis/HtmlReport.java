package org.bootaudit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.bootaudit.core.ProcessNode;

/**
 * {@code report --html}: one self-contained page (inline CSS and script, no network) with a
 * section per boot: the process tree as bars over time, and the files each process touched,
 * filterable by operation and directory. Only successful events are shown.
 */
final class HtmlReport {

  /** Files of one process: path to operations and first time, in order of first use. */
  private final Map<String, Map<Integer, Map<String, Touch>>> boots = new HashMap<>();
  private final Map<String, Map<Integer, Instant>> lastSeen = new HashMap<>();

  private static final class Touch {
    final Set<Op> ops = EnumSet.noneOf(Op.class);
    final Instant first;

    Touch(Instant first) {
      this.first = first;
    }
  }

  void add(FileEvent e) {
    if (!e.success()) {
      return;
    }
    String key = ReportCommand.bootKey(e.node(), e.boot());
    int pid = e.process().pid();
    boots.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(pid, k -> new LinkedHashMap<>())
        .computeIfAbsent(e.path(), k -> new Touch(e.time())).ops.add(e.op());
    lastSeen.computeIfAbsent(key, k -> new HashMap<>()).merge(pid, e.time(), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Writes the page to {@code file}, atomically. */
  void write(String file, LogSummary summary) throws IOException {
    try (Output out = Output.open(file)) {
      out.stream().write(page(summary).getBytes(StandardCharsets.UTF_8));
      out.commit();
    }
  }

  String page(LogSummary summary) throws IOException {
    List<Object> list = new ArrayList<>();
    for (BootSummary b : summary.boots()) {
      list.add(boot(b));
    }
    String json = new ObjectMapper().writeValueAsString(Map.of("boots", list));
    return HtmlPage.fill(scriptSafe(json));
  }

  /** JSON inside a script element: no {@code </script>}, no {@code <!--}, no entity. */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  private Map<String, Object> boot(BootSummary b) {
    String key = ReportCommand.bootKey(b.node(), b.boot());
    Map<Integer, Map<String, Touch>> files = boots.getOrDefault(key, Map.of());
    Map<Integer, Instant> last = lastSeen.getOrDefault(key, Map.of());
    long t0 = b.start().toEpochMilli();
    long t1 = t0;
    List<Map<String, Object>> procs = new ArrayList<>();
    for (Tree.Row row : Tree.of(b.processes())) {
      ProcessNode p = row.process();
      long s = Math.max(0, p.firstSeen().toEpochMilli() - t0);
      long e = Math.max(s, last.getOrDefault(p.pid(), p.firstSeen()).toEpochMilli() - t0);
      t1 = Math.max(t1, t0 + e);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", p.pid());
      m.put("ppid", p.ppid());
      m.put("comm", p.comm());
      m.put("exe", p.exe());
      m.put("argv", String.join(" ", p.argv()));
      m.put("depth", row.depth());
      m.put("s", s);
      m.put("e", e);
      m.put("files", files(files.getOrDefault(p.pid(), Map.of()), t0));
      procs.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", b.node());
    m.put("boot", b.boot());
    m.put("start", b.start().toString());
    m.put("end", b.end().toString());
    m.put("window", b.windowEnd().map(w -> "until serial " + w.serial() + " (" + w.reason() + ")").orElse("whole boot"));
    m.put("loss", Summaries.loss(b.loss()));
    m.put("span", t1 - t0);
    m.put("phases", bands(b, t0, t1));
    m.put("procs", procs);
    return m;
  }

  /** Where a phase begins on the time axis, in ms from the boot's start. */
  private record Start(Phase phase, long at, String title) {}

  /**
   * The phases as bands on the time axis, in ms from the boot's start: each from its boundary to
   * the next one's. The window's end cuts off what follows (a login can come before auditd).
   */
  static List<Map<String, Object>> bands(BootSummary b, long t0, long t1) {
    BootSummary.Phases ph = b.phases();
    List<Start> starts = new ArrayList<>();
    boolean initramfs = ph.root().isPresent() || ph.count(Phase.INITRAMFS) > 0;
    starts.add(new Start(initramfs ? Phase.INITRAMFS : Phase.ROOT, 0, "from the start of the capture"));
    ph.root().ifPresent(r -> starts.add(new Start(Phase.ROOT, r.time().toEpochMilli() - t0, describe(r))));
    ph.auditd().ifPresent(a -> starts.add(new Start(Phase.AUDITD, a.time().toEpochMilli() - t0, describe(a))));
    long span = t1 - t0;
    long end = b.windowEnd().map(w -> Math.max(0, w.time().toEpochMilli() - t0)).orElse(span);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long e = i + 1 < starts.size() ? starts.get(i + 1).at() : span;
      band(out, starts.get(i), Math.min(e, end));
    }
    b.windowEnd().ifPresent(w ->
        band(out, new Start(Phase.AFTER_WINDOW, end, "after serial " + w.serial() + " (" + w.reason() + ")"), span));
    return out;
  }

  private static void band(List<Map<String, Object>> out, Start start, long end) {
    long s = Math.max(0, start.at());
    if (end <= s) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", start.phase().label());
    m.put("s", s);
    m.put("e", end);
    m.put("title", start.title());
    out.add(m);
  }

  private static String describe(BootSummary.Boundary at) {
    return (at.serial().isPresent() ? "serial " + at.serial().getAsLong() + ": " : "") + at.marker();
  }

  private static List<Object> files(Map<String, Touch> touched, long t0) {
    List<Object> out = new ArrayList<>();
    touched.forEach((path, t) -> out.add(List.of(path, t.ops.stream().map(Op::label).collect(Collectors.joining(" ")),
        Math.max(0, t.first.toEpochMilli() - t0))));
    return out;
  }

  /** The process tree in depth-first order, children by first appearance. */
  static final class Tree {

    /** A process and its depth in the tree. */
    record Row(ProcessNode process, int depth) {}

    static List<Row> of(List<ProcessNode> processes) {
      Map<Integer, ProcessNode> byPid = new HashMap<>();
      processes.forEach(p -> byPid.putIfAbsent(p.pid(), p));
      Map<Integer, List<ProcessNode>> children = new HashMap<>();
      List<ProcessNode> roots = new ArrayList<>();
      for (ProcessNode p : processes) {
        if (p.ppid() != p.pid() && byPid.containsKey(p.ppid())) {
          children.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        } else {
          roots.add(p);
        }
      }
      List<Row> rows = new ArrayList<>();
      Set<ProcessNode> seen = new HashSet<>();
      roots.sort(Comparator.comparingLong(ProcessNode::firstSerial));
      roots.forEach(r -> visit(r, 0, children, seen, rows));
      // a cycle of ppids (pid reuse) leaves processes unreached: show them at the top level
      processes.stream().filter(p -> !seen.contains(p)).forEach(p -> visit(p, 0, children, seen, rows));
      return rows;
    }

    private static void visit(ProcessNode p, int depth, Map<Integer, List<ProcessNode>> children, Set<ProcessNode> seen, List<Row> rows) {
      if (!seen.add(p)) {
        return;
      }
      rows.add(new Row(p, depth));
      for (ProcessNode c : children.getOrDefault(p.pid(), List.of())) {
        visit(c, depth + 1, children, seen, rows);
      }
    }
  }
}
