package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bootaudit.core.SourceLocation;

/**
 * What {@code enable} did to a root, so that {@code disable} can undo exactly that: the file
 * {@value #FILE} in the root, one change a line, fields separated by a tab, paths relative to
 * the root, in the order the changes were made:
 *
 * <pre>
 * dir     etc/bootaudit                         a directory enable made
 * added   etc/audit/rules.d/50-bootaudit.rules  a file or symbolic link enable made
 * edited  etc/default/grub  etc/default/grub.bootaudit-backup  sha256:HEX
 *         a file enable changed, where its original is, and what enable left in it
 * </pre>
 *
 * <p>A second {@code enable} adds to it and never replaces an entry, so an edited file's backup
 * stays the original from before the first run.
 */
record Manifest(List<Entry> entries) {

  static final String FILE = Layout.MANIFEST;
  static final String HEADER = "# bootaudit enable manifest 1: what 'bootaudit disable' undoes"
      + " (paths relative to the root; fields separated by tabs)";

  /** What enable did to a path. */
  enum Kind {
    DIR,
    ADDED,
    EDITED;

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One change.
   *
   * @param backup where an edited file's original is ("" otherwise)
   * @param sha256 an edited file's content as enable left it, {@code sha256:HEX} ("" otherwise)
   */
  record Entry(Kind kind, String path, String backup, String sha256) {
    static Entry dir(String path) {
      return new Entry(Kind.DIR, path, "", "");
    }

    static Entry added(String path) {
      return new Entry(Kind.ADDED, path, "", "");
    }

    static Entry edited(String path, String backup, byte[] content) {
      return new Entry(Kind.EDITED, path, backup, Manifest.sha256(content));
    }

    String line() {
      return kind.word() + "\t" + path + (kind == Kind.EDITED ? "\t" + backup + "\t" + sha256 : "");
    }
  }

  Manifest {
    entries = List.copyOf(entries);
  }

  static Manifest empty() {
    return new Manifest(List.of());
  }

  /** The root's manifest, if enable has run there. */
  static Optional<Manifest> read(Path root) throws IOException {
    Path file = root.resolve(FILE);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (!line.isBlank() && !line.startsWith("#")) {
        entries.add(parse(line, file.toString(), i + 1));
      }
    }
    return Optional.of(new Manifest(entries));
  }

  private static Entry parse(String line, String file, int number) {
    String[] f = line.split("\t", -1);
    Entry e = switch (f[0]) {
      case "dir" -> f.length == 2 ? Entry.dir(f[1]) : null;
      case "added" -> f.length == 2 ? Entry.added(f[1]) : null;
      case "edited" ->
        f.length == 4 && f[3].matches("sha256:[0-9a-f]{64}")
            ? new Entry(Kind.EDITED, f[1], f[2], f[3])
            : null;
      default -> null;
    };
    if (e == null) {
      throw new ManifestFormatException(
          new SourceLocation(file, number, 1),
          "expected 'dir PATH', 'added PATH' or"
              + " 'edited PATH BACKUP sha256:HEX' (tab-separated), found '" + quote(line) + "'");
    }
    int column = 1;
    for (int i = 1; i < f.length; i++) {
      column += f[i - 1].length() + 1;
      if ((i == 1 || (i == 2 && e.kind() == Kind.EDITED)) && !inside(f[i])) {
        throw new ManifestFormatException(
            new SourceLocation(file, number, column),
            "expected a path inside the root, found '" + quote(f[i]) + "'");
      }
    }
    return e;
  }

  /** Relative, without {@code .} or {@code ..} or empty components: it cannot name a file outside the root. */
  static boolean inside(String path) {
    if (path.isEmpty()
        || path.startsWith("/")
        || path.indexOf('\t') >= 0
        || path.indexOf('\n') >= 0) {
      return false;
    }
    for (String c : path.split("/", -1)) {
      if (c.isEmpty() || c.equals(".") || c.equals("..")) {
        return false;
      }
    }
    return true;
  }

  Optional<Entry> find(String path) {
    return entries.stream().filter(e -> e.path().equals(path)).findFirst();
  }

  /** With e added, unless its path is there already (the first entry for a path stays). */
  Manifest with(Entry e) throws InjectionRefusedException {
    if (!inside(e.path())) {
      throw new InjectionRefusedException(
          e.path() + ": a name with a tab or newline cannot be recorded for disable; rename it");
    }
    if (find(e.path()).isPresent()) {
      return this;
    }
    List<Entry> more = new ArrayList<>(entries);
    more.add(e);
    return new Manifest(more);
  }

  /** With the entry for e's path replaced by e (an edited file's new content). */
  Manifest replacing(Entry e) {
    return new Manifest(
        entries.stream().map(x -> x.path().equals(e.path()) ? e : x).toList());
  }

  /** {@code sha256:HEX} of data. */
  static String sha256(byte[] data) {
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static String quote(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return Text.sanitize(b, 0, b.length);
  }

  byte[] bytes() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    entries.forEach(e -> b.append(e.line()).append('\n'));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
