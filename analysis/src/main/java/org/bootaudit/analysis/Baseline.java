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
 */
public record Baseline(
    FileSet checked,
    String baseline,
    int approved,
    List<String> unapproved,
    int allowed,
    List<String> globs) {

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
    return new Baseline(used, baseline, approved.size(), unapproved, allowed, List.copyOf(globs));
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
