package org.bootaudit.analysis;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import org.bootaudit.core.Op;

/**
 * One side of a diff: the files one boot touched successfully, with their operations when the
 * input knows them, and the programs that ran when it knows those.
 *
 * @param name the input as the user named it
 * @param kind what the input was
 * @param boot which boot was taken, such as {@code boot 2}, or {@code ""} for a file list
 * @param files path to operations; the sets are empty when {@link #kind()} is {@link Kind#FILES}
 * @param programs executables (or command names when the executable is unknown) that ran
 * @param loss what the log says this boot lost (serial gaps, the kernel's loss reports, auditing
 *     switched off, bad lines skipped), one sentence each; empty when none was seen or the input
 *     cannot tell (saved events, a file list)
 * @param hashes path to the content hashes ({@code ALGORITHM:HEX}) IMA gave for it in this boot
 *     (its measurement list, or its INTEGRITY_RULE records in the log): one per file system that
 *     used it (initramfs, root), or more when it changed; empty when the side has no hashes
 */
public record FileSet(
    String name,
    Kind kind,
    String boot,
    SortedMap<String, Set<Op>> files,
    SortedSet<String> programs,
    List<String> loss,
    SortedMap<String, SortedSet<String>> hashes) {

  /** Copies {@code loss}. */
  public FileSet {
    loss = List.copyOf(loss);
  }

  /** A side without hashes. */
  public FileSet(
      String name,
      Kind kind,
      String boot,
      SortedMap<String, Set<Op>> files,
      SortedSet<String> programs,
      List<String> loss) {
    this(name, kind, boot, files, programs, loss, new java.util.TreeMap<>());
  }

  /** True when IMA gave hashes for this side. */
  public boolean hashed() {
    return !hashes.isEmpty();
  }

  /** The side with these hashes. */
  public FileSet withHashes(SortedMap<String, SortedSet<String>> h) {
    return new FileSet(name, kind, boot, files, programs, loss, h);
  }

  /** A side without loss information. */
  public FileSet(
      String name,
      Kind kind,
      String boot,
      SortedMap<String, Set<Op>> files,
      SortedSet<String> programs) {
    this(name, kind, boot, files, programs, List.of());
  }

  /** True when the log shows this side lost records: a file missing from it may be a lost record. */
  public boolean lost() {
    return !loss.isEmpty();
  }

  /** What an input held. */
  public enum Kind {
    /** An audit (or bootprobe) log read with core. */
    LOG,
    /** JSON Lines of {@code bootaudit events}. */
    EVENTS,
    /** A JSON array of paths: {@code report --files-only}, {@code atime}, or an approved list. */
    FILES;

    /** The kind as the reports name it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** True when operations and programs are known. */
  public boolean detailed() {
    return kind != Kind.FILES;
  }

  /**
   * The paths that count as "used" when compared with a plain file list, as {@code report
   * --files-only} lists them: absolute names whose operations are not only delete.
   */
  public SortedSet<String> usedPaths() {
    SortedSet<String> out = new java.util.TreeSet<>();
    for (Map.Entry<String, Set<Op>> e : files.entrySet()) {
      if (e.getKey().startsWith("/")
          && (!detailed() || !EnumSet.of(Op.DELETE).containsAll(e.getValue()))) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
