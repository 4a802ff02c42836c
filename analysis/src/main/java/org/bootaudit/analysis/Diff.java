package org.bootaudit.analysis;

import com.google.common.collect.Multiset;
import com.google.common.collect.Sets;
import com.google.common.collect.TreeMultiset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bootaudit.core.Op;

/**
 * What differs between two boots: files used in one and not the other, files whose operations
 * changed, programs that appeared or vanished, and counts per operation and per directory.
 *
 * @param a the first (older, reference) side
 * @param b the second (newer) side
 * @param removed paths used in {@code a} only
 * @param added paths used in {@code b} only
 * @param changed paths in both whose operations differ (only when both sides know operations)
 * @param vanished programs that ran in {@code a} only
 * @param appeared programs that ran in {@code b} only
 * @param byOp per operation, paths with that operation in {@code a} only and in {@code b} only
 * @param byDir per directory, counts of {@link #removed()} and {@link #added()} paths
 * @param contentChanged paths in both whose IMA hashes differ: same path, different content
 * @param notCompared paths in both that IMA hashed on one side only: their content cannot be
 *     compared (empty when neither side has hashes)
 * @param compared how many paths in both had hashes on both sides
 */
public record Diff(
    FileSet a,
    FileSet b,
    List<String> removed,
    List<String> added,
    List<OpChange> changed,
    List<String> vanished,
    List<String> appeared,
    Map<Op, Counts> byOp,
    Map<String, Counts> byDir,
    List<ContentChange> contentChanged,
    List<String> notCompared,
    int compared) {

  /** A file both sides used, differently. */
  public record OpChange(String path, Set<Op> before, Set<Op> after) {}

  /** A file both sides used, with different content: its hashes in each. */
  public record ContentChange(String path, Set<String> before, Set<String> after) {}

  /** How many paths were removed and added. */
  public record Counts(int removed, int added) {}

  /** The diff as text for people. */
  public String text() {
    return DiffReport.text(this);
  }

  /** The diff as a JSON tree for tools (maps, lists, strings and numbers). */
  public Map<String, Object> json() {
    return DiffReport.json(this);
  }

  /** True when nothing differs. */
  public boolean equal() {
    return removed.isEmpty()
        && added.isEmpty()
        && changed.isEmpty()
        && vanished.isEmpty()
        && appeared.isEmpty()
        && contentChanged.isEmpty();
  }

  /** Compares two sides; with a plain file list on either side only the paths are compared. */
  public static Diff of(FileSet a, FileSet b, List<String> targets) {
    boolean detailed = a.detailed() && b.detailed();
    SortedSet<String> pa = detailed ? new TreeSet<>(a.files().keySet()) : a.usedPaths();
    SortedSet<String> pb = detailed ? new TreeSet<>(b.files().keySet()) : b.usedPaths();
    List<String> removed = minus(pa, pb);
    List<String> added = minus(pb, pa);
    List<OpChange> changed = new ArrayList<>();
    Map<Op, Counts> byOp = new TreeMap<>();
    List<String> vanished = List.of();
    List<String> appeared = List.of();
    if (detailed) {
      for (String p : pa) {
        Set<Op> before = a.files().get(p);
        Set<Op> after = b.files().get(p);
        if (after != null && !before.equals(after)) {
          changed.add(new OpChange(p, before, after));
        }
      }
      for (Op op : Op.values()) {
        Counts c = new Counts(count(a, b, op), count(b, a, op));
        if (c.removed() + c.added() > 0) {
          byOp.put(op, c);
        }
      }
      vanished = minus(a.programs(), b.programs());
      appeared = minus(b.programs(), a.programs());
    }
    Multiset<String> removedIn = TreeMultiset.create();
    Multiset<String> addedIn = TreeMultiset.create();
    removed.forEach(p -> removedIn.add(dirOf(p, targets)));
    added.forEach(p -> addedIn.add(dirOf(p, targets)));
    Map<String, Counts> byDir = new TreeMap<>();
    for (String dir : Sets.union(removedIn.elementSet(), addedIn.elementSet())) {
      byDir.put(dir, new Counts(removedIn.count(dir), addedIn.count(dir)));
    }
    List<ContentChange> content = new ArrayList<>();
    List<String> notCompared = new ArrayList<>();
    int compared = 0;
    if (a.hashed() || b.hashed()) {
      // by the names the boots used and those IMA gave, where a link led elsewhere
      SortedSet<String> both = new TreeSet<>(Sets.intersection(pa, pb));
      both.addAll(Sets.intersection(a.hashes().keySet(), b.hashes().keySet()));
      for (String p : both) {
        Set<String> ha = a.hashes().getOrDefault(p, new TreeSet<>());
        Set<String> hb = b.hashes().getOrDefault(p, new TreeSet<>());
        if (!ha.isEmpty() && !hb.isEmpty()) {
          compared++;
          if (!ha.equals(hb)) {
            content.add(new ContentChange(p, ha, hb));
          }
        } else if (!ha.isEmpty() || !hb.isEmpty()) {
          notCompared.add(p);
        }
      }
    }
    return new Diff(
        a,
        b,
        removed,
        added,
        changed,
        vanished,
        appeared,
        byOp,
        byDir,
        List.copyOf(content),
        List.copyOf(notCompared),
        compared);
  }

  private static int count(FileSet x, FileSet y, Op op) {
    int n = 0;
    for (Map.Entry<String, Set<Op>> e : x.files().entrySet()) {
      if (e.getValue().contains(op)
          && !y.files().getOrDefault(e.getKey(), EnumSet.noneOf(Op.class)).contains(op)) {
        n++;
      }
    }
    return n;
  }

  private static List<String> minus(Set<String> x, Set<String> y) {
    return List.copyOf(Sets.difference(x, y));
  }

  /** The target directory holding {@code path}, or its top-level directory when none does. */
  static String dirOf(String path, List<String> targets) {
    String best = "";
    for (String t : targets) {
      String d = Dirs.trim(t);
      if (Dirs.under(path, d) && d.length() > best.length()) {
        best = d;
      }
    }
    if (!best.isEmpty()) {
      return best;
    }
    int slash = path.indexOf('/', 1);
    return path.startsWith("/") && slash > 0
        ? path.substring(0, slash)
        : path.startsWith("/") ? "/" : "(relative)";
  }
}
