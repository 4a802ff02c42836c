package org.bootaudit.analysis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bootaudit.core.Op;

/** A {@link Diff} or a {@link Baseline} check as text for people and as a JSON tree for tools. */
final class DiffReport {

  private DiffReport() {}

  static String text(Diff d) {
    StringBuilder sb = new StringBuilder();
    lossText(sb, "A", d.a());
    lossText(sb, "B", d.b());
    if (d.a().lost() || d.b().lost()) {
      sb.append("  (a file 'only in' one side may be a record the other side lost)\n");
    }
    sb.append("A: ").append(describe(d.a())).append('\n');
    sb.append("B: ").append(describe(d.b())).append('\n');
    if (!d.a().detailed() || !d.b().detailed()) {
      sb.append("(a file list has no operations or programs: comparing paths only)\n");
    }
    list(sb, "files only in A", "-", d.removed());
    list(sb, "files only in B", "+", d.added());
    if (!d.changed().isEmpty()) {
      sb.append("operations changed (").append(d.changed().size()).append("):\n");
      for (Diff.OpChange c : d.changed()) {
        sb.append("  ~ ")
            .append(c.path())
            .append(": ")
            .append(ops(c.before()))
            .append(" -> ")
            .append(ops(c.after()))
            .append('\n');
      }
    }
    content(sb, d);
    list(sb, "programs only in A (vanished)", "-", d.vanished());
    list(sb, "programs only in B (appeared)", "+", d.appeared());
    if (!d.byOp().isEmpty()) {
      sb.append("by op:       ");
      d.byOp()
          .forEach((op, c) -> sb.append(' ')
              .append(op.label())
              .append(" -")
              .append(c.removed())
              .append(" +")
              .append(c.added()));
      sb.append('\n');
    }
    if (!d.byDir().isEmpty()) {
      sb.append("by directory:");
      d.byDir()
          .forEach((dir, c) -> sb.append(' ')
              .append(dir)
              .append(" -")
              .append(c.removed())
              .append(" +")
              .append(c.added()));
      sb.append('\n');
    }
    sb.append(d.equal() ? "equal\n" : "differ\n");
    return sb.toString();
  }

  /** Content, said only when a side has hashes: changed, compared, and what could not be. */
  private static void content(StringBuilder sb, Diff d) {
    if (!d.a().hashed() && !d.b().hashed()) {
      return;
    }
    if (!d.contentChanged().isEmpty()) {
      sb.append("content changed (").append(d.contentChanged().size()).append("):\n");
      for (Diff.ContentChange c : d.contentChanged()) {
        sb.append("  ~ ")
            .append(c.path())
            .append(": ")
            .append(String.join(",", c.before()))
            .append(" -> ")
            .append(String.join(",", c.after()))
            .append('\n');
      }
    }
    sb.append("content:     ")
        .append(d.compared())
        .append(" files in both hashed on both sides, ")
        .append(d.contentChanged().size())
        .append(" changed");
    if (!d.a().hashed() || !d.b().hashed()) {
      sb.append("; ")
          .append(d.a().hashed() ? "B" : "A")
          .append(" has no hashes (give --ima, or a log with INTEGRITY_RULE records)");
    }
    sb.append('\n');
    if (d.a().hashed() && d.b().hashed()) {
      list(sb, "hashed on one side only, content not compared", "?", d.notCompared());
    }
  }

  static Map<String, Object> json(Diff d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", Schema.VERSION);
    m.put("lost", d.a().lost() || d.b().lost());
    m.put("equal", d.equal());
    m.put("a", side(d.a()));
    m.put("b", side(d.b()));
    m.put("onlyInA", d.removed());
    m.put("onlyInB", d.added());
    m.put(
        "opsChanged",
        d.changed().stream()
            .map(c -> {
              Map<String, Object> x = new LinkedHashMap<>();
              x.put("path", c.path());
              x.put("a", labels(c.before()));
              x.put("b", labels(c.after()));
              return x;
            })
            .toList());
    m.put(
        "contentChanged",
        d.contentChanged().stream()
            .map(c -> {
              Map<String, Object> x = new LinkedHashMap<>();
              x.put("path", c.path());
              x.put("a", List.copyOf(c.before()));
              x.put("b", List.copyOf(c.after()));
              return x;
            })
            .toList());
    m.put("hashesCompared", d.compared());
    m.put("hashNotCompared", d.notCompared());
    m.put("programsOnlyInA", d.vanished());
    m.put("programsOnlyInB", d.appeared());
    Map<String, Object> byOp = new LinkedHashMap<>();
    d.byOp().forEach((op, c) -> byOp.put(op.label(), counts(c)));
    m.put("byOp", byOp);
    Map<String, Object> byDir = new LinkedHashMap<>();
    d.byDir().forEach((dir, c) -> byDir.put(dir, counts(c)));
    m.put("byDirectory", byDir);
    return m;
  }

  static String text(Baseline b) {
    StringBuilder sb = new StringBuilder();
    lossText(sb, "the checked input", b.checked());
    if (b.checked().lost()) {
      sb.append("  (a path it should have used may be a record it lost)\n");
    }
    sb.append("checked:  ").append(describe(b.checked())).append('\n');
    sb.append("baseline: ")
        .append(b.baseline())
        .append(" (")
        .append(b.approved())
        .append(" approved paths)\n");
    if (!b.globs().isEmpty()) {
      sb.append("allowed:  ")
          .append(b.allowed())
          .append(" path(s) matching ")
          .append(String.join(" ", b.globs()))
          .append('\n');
    }
    list(sb, "not approved", "+", b.unapproved());
    baselineContent(sb, b);
    sb.append(b.passed() ? "approved\n" : "differ\n");
    return sb.toString();
  }

  private static void baselineContent(StringBuilder sb, Baseline b) {
    if (!b.hashed() && !b.checked().hashed()) {
      return;
    }
    if (!b.contentChanged().isEmpty()) {
      sb.append("content not approved (").append(b.contentChanged().size()).append("):\n");
      for (Diff.ContentChange c : b.contentChanged()) {
        sb.append("  ~ ")
            .append(c.path())
            .append(": approved ")
            .append(String.join(",", c.before()))
            .append(", found ")
            .append(String.join(",", c.after()))
            .append('\n');
      }
    }
    sb.append("content:  ")
        .append(b.compared())
        .append(" approved files hashed on both sides, ")
        .append(b.contentChanged().size())
        .append(" differ");
    if (!b.hashed() || !b.checked().hashed()) {
      sb.append("; ")
          .append(b.hashed() ? "the checked input" : "the baseline")
          .append(" has no hashes: content not compared");
    }
    sb.append('\n');
    if (b.hashed() && b.checked().hashed()) {
      list(sb, "hashed on one side only, content not compared", "?", b.notCompared());
    }
  }

  static Map<String, Object> json(Baseline b) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", Schema.VERSION);
    m.put("lost", b.checked().lost());
    m.put("approved", b.passed());
    m.put("checked", side(b.checked()));
    m.put("baseline", b.baseline());
    m.put("baselinePaths", b.approved());
    m.put("allowGlobs", b.globs());
    m.put("allowedByGlob", b.allowed());
    m.put("notApproved", b.unapproved());
    m.put(
        "contentNotApproved",
        b.contentChanged().stream()
            .map(c -> {
              Map<String, Object> x = new LinkedHashMap<>();
              x.put("path", c.path());
              x.put("approved", List.copyOf(c.before()));
              x.put("found", List.copyOf(c.after()));
              return x;
            })
            .toList());
    m.put("hashesCompared", b.compared());
    m.put("hashNotCompared", b.notCompared());
    return m;
  }

  private static void lossText(StringBuilder sb, String label, FileSet s) {
    for (String l : s.loss()) {
      sb.append("LOSS in ")
          .append(label)
          .append(" (")
          .append(s.boot())
          .append("): ")
          .append(l)
          .append('\n');
    }
  }

  private static void list(StringBuilder sb, String title, String mark, List<String> items) {
    if (items.isEmpty()) {
      return;
    }
    sb.append(title).append(" (").append(items.size()).append("):\n");
    items.forEach(i -> sb.append("  ").append(mark).append(' ').append(i).append('\n'));
  }

  private static String describe(FileSet s) {
    // the count the lists below are taken from: every file with its operations, or the paths of a
    // list
    int used = s.usedPaths().size();
    int all = s.files().size();
    long relative = s.files().keySet().stream().filter(p -> !p.startsWith("/")).count();
    long deleted = all - used - relative;
    return s.name() + " (" + s.kind().label() + (s.boot().isEmpty() ? "" : ", " + s.boot()) + ", "
        + all + " files"
        + (all > used ? ": " + used + " used" : "")
        + (deleted > 0 ? ", " + deleted + " only deleted" : "")
        + (relative > 0 ? ", " + relative + " not absolute" : "") + ")";
  }

  private static Map<String, Object> side(FileSet s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", s.name());
    m.put("kind", s.kind().label());
    m.put("boot", s.boot());
    m.put("files", s.files().size());
    m.put("filesUsed", s.usedPaths().size());
    m.put("loss", s.loss());
    return m;
  }

  private static Map<String, Object> counts(Diff.Counts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("onlyInA", c.removed());
    m.put("onlyInB", c.added());
    return m;
  }

  private static List<String> labels(Set<Op> ops) {
    return ops.stream().map(Op::label).toList();
  }

  private static String ops(Set<Op> ops) {
    return ops.stream().map(Op::label).collect(Collectors.joining(","));
  }
}
