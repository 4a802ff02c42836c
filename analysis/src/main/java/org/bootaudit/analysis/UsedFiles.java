package org.bootaudit.analysis;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;

/**
 * The original post's {@code files_used_during_boot}: the sorted, unique paths that successful
 * file events touched, filtered by target directories, excluded extensions, operations and time.
 */
public final class UsedFiles {

  private final List<String> targets;
  private final List<String> excluded;
  private final Set<Op> ops;
  private final Optional<Instant> from;
  private final Optional<Instant> to;
  private final TreeSet<String> paths = new TreeSet<>();
  private final TreeSet<String> unresolved = new TreeSet<>();

  private UsedFiles(Builder b) {
    this.targets = List.copyOf(b.targets);
    this.excluded = List.copyOf(b.excluded);
    this.ops = EnumSet.copyOf(b.ops);
    this.from = b.from;
    this.to = b.to;
  }

  /** A builder that keeps every path of every operation but DELETE. */
  public static Builder builder() {
    return new Builder();
  }

  /** Takes an event's path (and a rename's old name) if it passes the filters. */
  public void accept(FileEvent e) {
    if (!e.success() || !ops.contains(e.op())) {
      return;
    }
    if (from.isPresent() && e.time().isBefore(from.get())
        || to.isPresent() && e.time().isAfter(to.get())) {
      return;
    }
    take(e.path(), e.resolved() && e.path().startsWith("/"));
  }

  private void take(String path, boolean absolute) {
    if (!targets.isEmpty() && targets.stream().noneMatch(t -> Dirs.under(path, t))) {
      return;
    }
    String base = path.substring(path.lastIndexOf('/') + 1);
    if (excluded.stream().anyMatch(base::endsWith)) {
      return;
    }
    (absolute ? paths : unresolved).add(path);
  }

  /**
   * Names that passed the filters but could not be made absolute (relative to a directory fd the
   * log does not name, or no name at all), sorted; they are not in {@link #paths()}.
   */
  public List<String> unresolved() {
    return new ArrayList<>(unresolved);
  }

  /**
   * Writes the paths one per line, each as the bytes the file system has (a systemd unit's {@code
   * \x2f} stays as it is, a name that is not UTF-8 is its own bytes).
   *
   * @return the paths not written because their bytes hold a newline
   */
  public List<String> writeLines(OutputStream out) throws IOException {
    List<String> skipped = new ArrayList<>();
    for (String p : paths) {
      byte[] b = FileEvent.nameBytes(p);
      if (com.google.common.primitives.Bytes.indexOf(b, (byte) '\n') >= 0) {
        skipped.add(p);
        continue;
      }
      out.write(b);
      out.write('\n');
    }
    return skipped;
  }

  /** The absolute paths so far, sorted. */
  public List<String> paths() {
    return new ArrayList<>(paths);
  }

  /** How many names so far: the absolute {@link #paths()} and the {@link #unresolved()} ones. */
  public int size() {
    return paths.size() + unresolved.size();
  }

  /** Writes the absolute paths as a JSON array, one per line, as escaped text (see {@link FileEvent}). */
  public void write(OutputStream out) throws IOException {
    PathList.write(paths, out);
  }

  /** Configures {@link UsedFiles}. */
  public static final class Builder {
    private final List<String> targets = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();
    private Set<Op> ops = EnumSet.complementOf(EnumSet.of(Op.DELETE));
    private Optional<Instant> from = Optional.empty();
    private Optional<Instant> to = Optional.empty();

    private Builder() {}

    /** Keeps only paths under this directory (repeatable; none means everywhere). */
    public Builder target(String dir) {
      targets.add(Dirs.trim(dir));
      return this;
    }

    /** Drops paths whose file name ends with this extension, such as {@code .png}. */
    public Builder excludeExtension(String ext) {
      excluded.add(ext.startsWith(".") ? ext : "." + ext);
      return this;
    }

    /** Keeps only these operations. */
    public Builder ops(Set<Op> keep) {
      if (keep.isEmpty()) {
        throw new IllegalArgumentException("ops must not be empty");
      }
      this.ops = EnumSet.copyOf(keep);
      return this;
    }

    /** Keeps only events at or after this time. */
    public Builder from(Instant time) {
      this.from = Optional.of(time);
      return this;
    }

    /** Keeps only events at or before this time. */
    public Builder to(Instant time) {
      this.to = Optional.of(time);
      return this;
    }

    /** Builds an empty set with these filters. */
    public UsedFiles build() {
      return new UsedFiles(this);
    }
  }
}
