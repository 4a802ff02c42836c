package org.bootaudit.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The mount table of {@code /proc/self/mountinfo}, for the atime options of the scanned trees. */
public final class Mounts {

  /**
   * One mount.
   *
   * @param point where it is mounted
   * @param options its per-mount options, such as {@code rw,relatime}
   * @param fsType the file system type
   */
  public record Mount(String point, List<String> options, String fsType) {

    /** relatime, noatime or strictatime: how this mount updates access times. */
    public String atimeMode() {
      if (options.contains("noatime")) {
        return "noatime";
      }
      return options.contains("relatime") ? "relatime" : "strictatime";
    }
  }

  private final List<Mount> mounts;

  private Mounts(List<Mount> mounts) {
    this.mounts = mounts;
  }

  /** Reads a mountinfo file; an unreadable one gives an empty table. */
  public static Mounts read(Path mountinfo) {
    try {
      return parse(Files.readAllLines(mountinfo, StandardCharsets.UTF_8));
    } catch (IOException | java.io.UncheckedIOException e) {
      return new Mounts(List.of());
    }
  }

  static Mounts parse(List<String> lines) {
    List<Mount> out = new ArrayList<>();
    for (String line : lines) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 6 || dash < 6 || dash + 1 >= f.length) {
        continue;
      }
      out.add(new Mount(unescape(f[4]), List.of(f[5].split(",")), f[dash + 1]));
    }
    return new Mounts(out);
  }

  /** The mount holding {@code dir} and every mount below it; later mounts hide earlier ones. */
  public Set<Mount> covering(String dir) {
    Set<Mount> found = new LinkedHashSet<>();
    findHolder(dir).ifPresent(found::add);
    for (Mount m : mounts) {
      if (!m.point().equals(dir) && Dirs.under(m.point(), dir)) {
        found.add(m);
      }
    }
    return found;
  }

  private Optional<Mount> findHolder(String dir) {
    Mount best = null;
    for (Mount m : mounts) {
      if (Dirs.under(dir, m.point())
          && (best == null || m.point().length() >= best.point().length())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  /** mountinfo writes space, tab, newline and backslash as octal escapes such as {@code \040}. */
  static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
