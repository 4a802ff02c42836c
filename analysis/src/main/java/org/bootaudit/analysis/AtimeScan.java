package org.bootaudit.analysis;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;

/**
 * The original post's method 2, the atime scan: the regular files under the target directories
 * whose access time lies in the boot window. Symbolic links are never followed, so the walk
 * never leaves the trees; directories it cannot read are counted, not fatal.
 */
public final class AtimeScan {

  /**
   * What a scan found.
   *
   * @param files the matching files, sorted
   * @param scanned regular files looked at
   * @param unreadable directories (or entries) that could not be read
   * @param notes things the user should know, such as a target that is a symbolic link
   */
  public record Result(List<String> files, long scanned, long unreadable, List<String> notes) {}

  private final Instant from;
  private final Instant until;
  private final List<String> excluded;

  /**
   * @param from start of the window, inclusive
   * @param until end of the window, exclusive
   * @param excluded file name endings to leave out, such as {@code .png}
   */
  public AtimeScan(Instant from, Instant until, List<String> excluded) {
    this.from = from;
    this.until = until;
    this.excluded = excluded.stream().map(x -> x.startsWith(".") ? x : "." + x).toList();
  }

  public Result scan(List<Path> targets) throws IOException {
    Walker w = new Walker();
    List<String> notes = new ArrayList<>();
    for (Path t : targets) {
      if (!Files.exists(t)) {
        notes.add(t + ": no such directory; skipped");
        continue;
      }
      Path real = t.toRealPath();
      if (!real.equals(t.toAbsolutePath().normalize())) {
        // the user named this directory; only links found inside the trees are never followed
        notes.add(t + " is a symbolic link to " + real + "; scanning " + real);
      }
      Files.walkFileTree(
          real, EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE, w);
    }
    return new Result(new ArrayList<>(w.files), w.scanned, w.unreadable, notes);
  }

  boolean inWindow(Instant atime) {
    return !atime.isBefore(from) && atime.isBefore(until);
  }

  private boolean excluded(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return excluded.stream().anyMatch(name::endsWith);
  }

  Walker walker() {
    return new Walker();
  }

  /** Visits without following links; counts what it cannot read. */
  final class Walker implements FileVisitor<Path> {
    final TreeSet<String> files = new TreeSet<>();
    long scanned;
    long unreadable;

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
      if (attrs.isRegularFile()) {
        scanned++;
        if (inWindow(attrs.lastAccessTime().toInstant()) && !excluded(file)) {
          files.add(file.toString());
        }
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException exc) {
      unreadable++;
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
      if (exc != null) {
        unreadable++;
      }
      return FileVisitResult.CONTINUE;
    }
  }
}
