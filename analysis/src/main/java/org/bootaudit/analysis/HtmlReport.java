package org.bootaudit.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.bootaudit.core.ProcessNode;

/**
 * The HTML report: one self-contained page (inline CSS and script, no network) with a section per
 * boot: the process tree as bars over time over the boot's phases, and the files each process
 * touched, filterable by operation and directory. Only successful events are shown.
 *
 * <p>Memory stays bounded by one boot per node, whatever the number of boots: when a boot ends,
 * the file lists of its {@code lists} processes with the most files are set aside in a temporary
 * file (deleted on {@link #close()}) and the rest are dropped; the page says what was left out.
 *
 * <pre>{@code
 * try (EventStream events = ...; HtmlReport html = new HtmlReport(HtmlReport.DEFAULT_LISTS)) {
 *   events.forEachRemaining(html);
 *   html.write(out, events.summary());
 * }
 * }</pre>
 */
public final class HtmlReport implements Consumer<FileEvent>, Closeable {

  /** Processes per boot whose file lists are kept, unless told otherwise. */
  public static final int DEFAULT_LISTS = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int lists;
  private final Map<String, Open> open = new HashMap<>();
  private final Map<BootKey, Spilled> closed = new HashMap<>();
  private FileChannel spill;
  private long spillEnd;

  /** @param lists how many processes of each boot keep their file lists (the most files first) */
  public HtmlReport(int lists) {
    if (lists < 0) {
      throw new IllegalArgumentException("lists must be at least 0, found " + lists);
    }
    this.lists = lists;
  }

  /** A file one process touched: its operations and first time. */
  private static final class Touch {
    final Set<Op> ops = EnumSet.noneOf(Op.class);
    final Instant first;

    Touch(Instant first) {
      this.first = first;
    }
  }

  /** The boot of one node that events are arriving for. */
  private static final class Open {
    final int boot;
    final Map<Integer, Map<String, Touch>> files = new HashMap<>();
    final Map<Integer, Instant> lastSeen = new HashMap<>();

    Open(int boot) {
      this.boot = boot;
    }
  }

  /**
   * What is kept of a boot after it ended: where its data lies in the spill file.
   *
   * @param offset where the boot's JSON starts
   * @param length its length in bytes
   */
  private record Spilled(long offset, int length) {}

  @Override
  public void accept(FileEvent e) {
    if (!e.success()) {
      return;
    }
    Open o = open.get(e.node());
    if (o == null || o.boot != e.boot()) {
      if (o != null) {
        try {
          setAside(e.node(), o);
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
      }
      o = new Open(e.boot());
      open.put(e.node(), o);
    }
    int pid = e.process().pid();
    o.files
        .computeIfAbsent(pid, k -> new LinkedHashMap<>())
        .computeIfAbsent(e.path(), k -> new Touch(e.time()))
        .ops
        .add(e.op());
    o.lastSeen.merge(pid, e.time(), (a, b) -> a.isAfter(b) ? a : b);
  }

  /**
   * Writes the page: {@code summary} is that of the stream the events came from. {@code out}
   * stays open.
   */
  public void write(OutputStream out, LogSummary summary) throws IOException {
    for (Map.Entry<String, Open> e : open.entrySet()) {
      setAside(e.getKey(), e.getValue());
    }
    open.clear();
    out.write(HtmlPage.head().getBytes(StandardCharsets.UTF_8));
    out.write("{\"boots\":[".getBytes(StandardCharsets.UTF_8));
    boolean first = true;
    for (BootSummary b : summary.boots()) {
      if (!first) {
        out.write(',');
      }
      first = false;
      // one boot at a time in memory
      out.write(scriptSafe(JSON.writeValueAsString(boot(b, recall(BootKey.of(b)))))
          .getBytes(StandardCharsets.UTF_8));
    }
    out.write("]}".getBytes(StandardCharsets.UTF_8));
    out.write(HtmlPage.tail().getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the temporary file. */
  @Override
  public void close() throws IOException {
    if (spill != null) {
      spill.close();
      spill = null;
    }
  }

  /** JSON inside a script element: no {@code </script>}, no {@code <!--}, no entity. */
  static String scriptSafe(String json) {
    return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  /** Keeps the lists of the processes with the most files, and every process's last time. */
  private void setAside(String node, Open o) throws IOException {
    Map<String, Object> kept = new LinkedHashMap<>();
    Map<String, Object> files = new LinkedHashMap<>();
    o.files.entrySet().stream()
        .sorted(Comparator.comparingInt(
                (Map.Entry<Integer, Map<String, Touch>> e) -> e.getValue().size())
            .reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(lists)
        .forEach(e -> files.put(String.valueOf(e.getKey()), touches(e.getValue())));
    Map<String, Object> counts = new HashMap<>();
    o.files.forEach((pid, f) -> counts.put(String.valueOf(pid), f.size()));
    Map<String, Object> last = new HashMap<>();
    o.lastSeen.forEach((pid, t) -> last.put(String.valueOf(pid), t.toEpochMilli()));
    kept.put("files", files);
    kept.put("counts", counts);
    kept.put("last", last);
    byte[] bytes = JSON.writeValueAsBytes(kept);
    if (spill == null) {
      Path tmp = Files.createTempFile("bootaudit-html", ".json");
      spill = FileChannel.open(
          tmp,
          StandardOpenOption.READ,
          StandardOpenOption.WRITE,
          StandardOpenOption.DELETE_ON_CLOSE);
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      spillEnd += spill.write(buf, spillEnd);
    }
    closed.put(new BootKey(node, o.boot), new Spilled(spillEnd - bytes.length, bytes.length));
  }

  private JsonNode recall(BootKey key) throws IOException {
    Spilled s = closed.get(key);
    if (s == null) {
      return JSON.createObjectNode();
    }
    ByteBuffer buf = ByteBuffer.allocate(s.length());
    while (buf.hasRemaining()) {
      if (spill.read(buf, s.offset() + buf.position()) < 0) {
        throw new IOException("the report's temporary file ended early");
      }
    }
    return JSON.readTree(buf.array());
  }

  /** Path, operations and first time (as epoch ms) of each file, in order of first use. */
  private static List<Object> touches(Map<String, Touch> touched) {
    List<Object> out = new ArrayList<>();
    touched.forEach((path, t) -> out.add(List.of(
        path,
        t.ops.stream().map(Op::label).collect(Collectors.joining(" ")),
        t.first.toEpochMilli())));
    return out;
  }

  private Map<String, Object> boot(BootSummary b, JsonNode kept) {
    JsonNode files = kept.path("files");
    JsonNode counts = kept.path("counts");
    JsonNode last = kept.path("last");
    long t0 = b.start().toEpochMilli();
    long t1 = t0;
    int listed = 0;
    int leftOut = 0;
    List<Map<String, Object>> procs = new ArrayList<>();
    for (Tree.Row row : Tree.of(b.processes())) {
      ProcessNode p = row.process();
      String pid = String.valueOf(p.pid());
      long s = Math.max(0, p.firstSeen().toEpochMilli() - t0);
      long e = Math.max(s, last.path(pid).asLong(p.firstSeen().toEpochMilli()) - t0);
      t1 = Math.max(t1, t0 + e);
      int n = counts.path(pid).asInt(0);
      JsonNode list = files.path(pid);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", p.pid());
      m.put("ppid", p.ppid());
      m.put("comm", p.comm());
      m.put("exe", p.exe());
      m.put("argv", String.join(" ", p.argv()));
      m.put("depth", row.depth());
      m.put("s", s);
      m.put("e", e);
      m.put("nfiles", n);
      List<Object> rel = new ArrayList<>();
      for (JsonNode f : list) {
        rel.add(
            List.of(f.get(0).asText(), f.get(1).asText(), Math.max(0, f.get(2).asLong() - t0)));
      }
      m.put("files", rel);
      if (n > 0 && list.isMissingNode()) {
        leftOut++;
      } else if (n > 0) {
        listed++;
      }
      procs.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", b.node());
    m.put("boot", b.boot());
    m.put("start", b.start().toString());
    m.put("end", b.end().toString());
    m.put(
        "window",
        b.windowEnd()
            .map(w -> "until serial " + w.serial() + " (" + w.reason() + ")")
            .orElse("whole boot"));
    m.put("loss", LossText.loss(b.loss()));
    m.put("span", t1 - t0);
    m.put("phases", bands(b, t0, t1));
    m.put("listed", listed);
    m.put("leftOut", leftOut);
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
    starts.add(
        new Start(initramfs ? Phase.INITRAMFS : Phase.ROOT, 0, "from the start of the capture"));
    ph.root()
        .ifPresent(
            r -> starts.add(new Start(Phase.ROOT, r.time().toEpochMilli() - t0, describe(r))));
    ph.auditd()
        .ifPresent(
            a -> starts.add(new Start(Phase.AUDITD, a.time().toEpochMilli() - t0, describe(a))));
    long span = t1 - t0;
    long end = b.windowEnd().map(w -> Math.max(0, w.time().toEpochMilli() - t0)).orElse(span);
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      long e = i + 1 < starts.size() ? starts.get(i + 1).at() : span;
      band(out, starts.get(i), Math.min(e, end));
    }
    b.windowEnd()
        .ifPresent(w -> band(
            out,
            new Start(
                Phase.AFTER_WINDOW, end, "after serial " + w.serial() + " (" + w.reason() + ")"),
            span));
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
    return (at.serial().isPresent() ? "serial " + at.serial().getAsLong() + ": " : "")
        + at.marker();
  }

  /** The process tree in depth-first order, children by first appearance. */
  static final class Tree {

    private Tree() {}

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
      processes.stream()
          .filter(p -> !seen.contains(p))
          .forEach(p -> visit(p, 0, children, seen, rows));
      return rows;
    }

    private static void visit(
        ProcessNode p,
        int depth,
        Map<Integer, List<ProcessNode>> children,
        Set<ProcessNode> seen,
        List<Row> rows) {
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
