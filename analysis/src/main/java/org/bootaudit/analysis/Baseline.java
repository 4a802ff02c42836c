package org.bootaudit.analysis;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A boot checked against an approved list of paths, with allow-list globs for paths that are
 * expected to vary.
 *
 * @param checked the boot that was checked
 * @param baseline the approved list's file name
 * @param approved how many paths the list holds
 * @param unapproved used paths neither approved nor allowed, sorted
 * @param allowed used paths that only an allow glob let through
 * @param globs the allow globs in force
 * @param hashed whether the baseline gave content hashes (a {@code sha256sum} list or an IMA
 *     measurement list)
 * @param contentChanged approved paths whose hash in the checked boot is not an approved one
 * @param notCompared approved paths hashed on one side only: content not compared
 * @param compared approved paths hashed on both sides
 */
public record Baseline(
    FileSet checked,
    String baseline,
    int approved,
    List<String> unapproved,
    int allowed,
    List<String> globs,
    boolean hashed,
    List<Diff.ContentChange> contentChanged,
    List<String> notCompared,
    int compared) {

  /** True when every used path is approved or allowed, and no approved file's content differs. */
  public boolean passed() {
    return unapproved.isEmpty() && contentChanged.isEmpty();
  }

  /** Paths that change from boot to boot on any Linux machine; used with {@code --allow-volatile}. */
  public static final List<String> VOLATILE =
      List.of("/var/log/**", "/run/**", "/tmp/**", "/var/tmp/**", "/proc/**", "/sys/**", "/dev/**");

  /** The check as text for people. */
  public String text() {
    return DiffReport.text(this);
  }

  /** The check as a JSON tree for tools (maps, lists, strings and numbers). */
  public java.util.Map<String, Object> json() {
    return DiffReport.json(this);
  }

  /** Checks {@code used} against {@code approved}, letting through whatever matches a glob. */
  public static Baseline check(
      FileSet used, String baseline, Set<String> approved, List<String> globs) {
    return check(used, baseline, approved, java.util.Map.of(), globs);
  }

  /**
   * Checks {@code used} against {@code approved} paths and, where both sides have them, their
   * content hashes: an approved path whose hash in {@code used} is none of the approved ones is a
   * change. A path is looked up as is and under the merged-/usr layout ({@code /bin/x} as {@code
   * /usr/bin/x}), since a {@code sha256sum} of a root names the files where they are.
   */
  public static Baseline check(
      FileSet used,
      String baseline,
      Set<String> approved,
      java.util.Map<String, ? extends Set<String>> approvedHashes,
      List<String> globs) {
    List<PathMatcher> matchers = new ArrayList<>();
    for (String g : globs) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + g));
    }
    List<String> unapproved = new ArrayList<>();
    int allowed = 0;
    for (String p : used.usedPaths()) {
      if (approved.contains(p)) {
        continue;
      }
      if (matches(matchers, p)) {
        allowed++;
      } else {
        unapproved.add(p);
      }
    }
    List<Diff.ContentChange> changed = new ArrayList<>();
    List<String> notCompared = new ArrayList<>();
    int compared = 0;
    if (!approvedHashes.isEmpty() || used.hashed()) {
      // a file by the name the boot used and by the one IMA gave, where a link led elsewhere
      java.util.SortedSet<String> names = new java.util.TreeSet<>(used.usedPaths());
      names.addAll(used.hashes().keySet());
      for (String p : names) {
        Set<String> want = hashesOf(approvedHashes, p);
        if (want.isEmpty() && !approved.contains(p)) {
          continue; // not approved at all: said above
        }
        Set<String> have = used.hashes().getOrDefault(p, new java.util.TreeSet<>());
        if (!want.isEmpty() && !have.isEmpty()) {
          compared++;
          if (!want.containsAll(have)) {
            changed.add(new Diff.ContentChange(p, want, have));
          }
        } else if (!want.isEmpty() || !have.isEmpty()) {
          notCompared.add(p);
        }
      }
    }
    return new Baseline(
        used,
        baseline,
        approved.size(),
        unapproved,
        allowed,
        List.copyOf(globs),
        !approvedHashes.isEmpty(),
        List.copyOf(changed),
        List.copyOf(notCompared),
        compared);
  }

  private static Set<String> hashesOf(
      java.util.Map<String, ? extends Set<String>> hashes, String p) {
    Set<String> h = hashes.get(p);
    if (h == null) {
      for (String dir : List.of("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/")) {
        if (p.startsWith(dir)) {
          h = hashes.get("/usr" + p);
        }
      }
    }
    return h == null ? Set.of() : new java.util.TreeSet<>(h);
  }

  private static boolean matches(List<PathMatcher> matchers, String path) {
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      return false;
    }
    return matchers.stream().anyMatch(m -> m.matches(p));
  }
}
