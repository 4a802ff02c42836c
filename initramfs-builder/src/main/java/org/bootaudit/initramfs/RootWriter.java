package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.bootaudit.initramfs.Manifest.Entry;
import org.bootaudit.initramfs.RootChange.Kind;

/**
 * The one writer of target roots: every file bootaudit puts into a root (rules, hooks, the dracut
 * module, drop-ins, edited configuration) goes through it, for {@link RootSetup}, for {@link
 * Injector#writeInitramfsToolsHooks} and {@link Injector#writeDracutModule}. It makes each change
 * atomically ({@link TargetRoot}), or in a dry run only says it: one {@link RootChange} per change
 * ({@code wrote}, {@code changed}, {@code linked}, {@code made directory}, each {@code would …} in
 * a dry run, so both runs say the same), each recorded in the {@link Manifest}, which {@link
 * #finish} writes last, so that {@code disable} can undo them.
 */
final class RootWriter {
  static final String BACKUP_SUFFIX = Layout.BACKUP_SUFFIX;
  static final String BACKUPS = Layout.BACKUPS;

  private static final Map<String, String> FUTURE = Map.of(
      "wrote",
      "would write",
      "changed",
      "would change",
      "linked",
      "would link",
      "made directory",
      "would make directory");
  private static final Map<String, Kind> KINDS = Map.of(
      "wrote",
      Kind.WROTE,
      "changed",
      Kind.CHANGED,
      "linked",
      Kind.LINKED,
      "made directory",
      Kind.MADE_DIRECTORY);

  private final Path root;
  private final Path shown;
  private final boolean dryRun;
  private final Consumer<RootChange> out;
  private final Set<String> made = new HashSet<>();
  private Manifest manifest;

  RootWriter(Path root, Manifest manifest, boolean dryRun, Consumer<RootChange> out) {
    this.root = root.toAbsolutePath().normalize();
    this.shown = root;
    this.manifest = manifest;
    this.dryRun = dryRun;
    this.out = out;
  }

  /**
   * Writes {@code files} under {@code root} with {@link #put}, recorded in the root's manifest,
   * saying nothing; {@code root} is made if missing.
   *
   * @return where each file went, {@code root.resolve(path)}
   */
  static List<Path> writeAll(Path root, List<RootFile> files, String why) throws IOException {
    Files.createDirectories(root);
    RootWriter w =
        new RootWriter(root, Manifest.read(root).orElse(Manifest.empty()), false, change -> {});
    List<Path> written = new ArrayList<>();
    try {
      for (RootFile f : files) {
        w.put(f, why);
        written.add(root.resolve(f.path()));
      }
    } finally {
      w.finish();
    }
    return written;
  }

  /** A path of the root as the user gave the root, for output. */
  String shown(String rel) {
    return shown.resolve(rel).toString();
  }

  /** rel's path relative to the root, from a file the initramfs builder resolved inside it. */
  String rel(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString();
  }

  /** rel inside the root, links in its parents followed inside the root (the last component is not followed). */
  Path at(String rel) throws IOException {
    int slash = rel.lastIndexOf('/');
    return (slash < 0 ? root : TargetRoot.resolve(root, rel.substring(0, slash)))
        .resolve(rel.substring(slash + 1));
  }

  /** Writes a file of bootaudit's own; one that was there before (not enable's) is kept in {@link #BACKUPS}. */
  void put(RootFile f, String why) throws IOException {
    String rel = f.path();
    Path at = at(rel);
    Optional<Entry> had = manifest.find(rel);
    boolean exists = Files.exists(at, LinkOption.NOFOLLOW_LINKS);
    if (exists && same(at, f)) {
      manifest = manifest.with(Entry.added(rel));
      unchanged(shown(rel) + " (" + why + ")");
      return;
    }
    String note = "";
    if (exists && had.isEmpty()) {
      String backup = backup(at, BACKUPS + rel);
      manifest = manifest.with(Entry.edited(rel, backup, f.data()));
      note = "; it replaces a file enable did not write, kept as " + shown(backup);
    } else if (had.isPresent() && had.get().kind() == Manifest.Kind.EDITED) {
      manifest = manifest.replacing(Entry.edited(rel, had.get().backup(), f.data()));
    }
    dirs(parent(rel));
    manifest = manifest.with(Entry.added(rel));
    if (!dryRun) {
      TargetRoot.write(at, f.data(), f.mode());
    }
    say("wrote", shown(rel) + " (" + why + note + ")");
  }

  /** A symbolic link of bootaudit's own. */
  void link(String rel, String target, String why) throws IOException {
    Path at = at(rel);
    if (Files.isSymbolicLink(at) && Files.readSymbolicLink(at).toString().equals(target)) {
      manifest = manifest.with(Entry.added(rel));
      unchanged(shown(rel) + " -> " + target + " (" + why + ")");
      return;
    }
    if (Files.exists(at, LinkOption.NOFOLLOW_LINKS) && manifest.find(rel).isEmpty()) {
      throw new InjectionRefusedException(
          shown(rel) + ": exists, and enable did not make it; move it away and run enable again");
    }
    dirs(parent(rel));
    manifest = manifest.with(Entry.added(rel));
    if (!dryRun) {
      Path temp = at.resolveSibling("." + at.getFileName() + ".bootaudit-link.tmp");
      Files.deleteIfExists(temp);
      Files.createSymbolicLink(temp, Path.of(target));
      Files.move(temp, at, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    say("linked", shown(rel) + " -> " + target + " (" + why + ")");
  }

  /**
   * Gives an existing file of the root new content, keeping its original as {@code
   * NAME.bootaudit-backup} (the first backup stays: it is never overwritten). Prints {@code
   * what}, e.g. the lines that changed.
   *
   * @return whether it changes
   */
  boolean edit(String rel, byte[] content, String what) throws IOException {
    Path at = at(rel);
    if (Arrays.equals(Files.readAllBytes(at), content)) {
      unchanged(shown(rel) + ": " + what);
      return false;
    }
    Optional<Entry> had = manifest.find(rel);
    String backup;
    if (had.isPresent() && had.get().kind() == Manifest.Kind.ADDED) {
      backup = "";
    } else if (had.isPresent()) {
      backup = had.get().backup();
      manifest = manifest.replacing(Entry.edited(rel, backup, content));
    } else {
      backup = backup(at, rel + BACKUP_SUFFIX);
      manifest = manifest.with(Entry.edited(rel, backup, content));
    }
    if (!dryRun) {
      TargetRoot.replace(at, content);
    }
    say(
        "changed",
        shown(rel) + (backup.isEmpty() ? "" : " (backup: " + shown(backup) + ")") + ": " + what);
    return true;
  }

  /** Writes the manifest, last: what disable undoes. */
  void finish() throws IOException {
    dirs(parent(Manifest.FILE));
    byte[] bytes = manifest.bytes();
    Path at = at(Manifest.FILE);
    String why = " (what 'bootaudit disable' undoes)";
    if (Files.isRegularFile(at, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(at), bytes)) {
      unchanged(shown(Manifest.FILE) + why);
      return;
    }
    if (!dryRun) {
      TargetRoot.write(at, bytes, 0644);
    }
    say("wrote", shown(Manifest.FILE) + why);
  }

  /** Copies file to backup (parents made) unless backup exists: an earlier one is the original. */
  private String backup(Path file, String backup) throws IOException {
    Path at = at(backup);
    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
      dirs(parent(backup));
      if (!dryRun) {
        TargetRoot.copy(file, at);
      }
    }
    return backup;
  }

  /** Makes the missing directories of rel, each recorded. */
  private void dirs(String rel) throws IOException {
    if (rel.isEmpty()) {
      return;
    }
    StringBuilder p = new StringBuilder();
    for (String c : rel.split("/")) {
      p.append(p.length() == 0 ? "" : "/").append(c);
      String dir = p.toString();
      if (!made.contains(dir) && !Files.exists(at(dir))) {
        made.add(dir);
        manifest = manifest.with(Entry.dir(dir));
        if (!dryRun) {
          Files.createDirectory(at(dir));
        }
        say("made directory", shown(dir));
      }
    }
  }

  private static boolean same(Path file, RootFile f) throws IOException {
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
        && Arrays.equals(Files.readAllBytes(file), f.data())
        && PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
            .equals(permissions(f.mode()));
  }

  /** {@code 0755} as {@code rwxr-xr-x}. */
  static String permissions(int mode) {
    StringBuilder b = new StringBuilder();
    for (int bit = 8; bit >= 0; bit--) {
      b.append((mode & (1 << bit)) == 0 ? '-' : "xwr".charAt(bit % 3));
    }
    return b.toString();
  }

  private static String parent(String rel) {
    return rel.substring(0, Math.max(rel.lastIndexOf('/'), 0));
  }

  private void say(String verb, String rest) {
    out.accept(
        new RootChange(KINDS.get(verb), dryRun, (dryRun ? FUTURE.get(verb) : verb) + " " + rest));
  }

  private void unchanged(String rest) {
    out.accept(new RootChange(Kind.UNCHANGED, dryRun, "unchanged " + rest));
  }

  /** A line that is no change: a note, a detail, a command to run. */
  void note(String text) {
    out.accept(new RootChange(Kind.NOTE, dryRun, text));
  }

  /** The manifest as it stands. */
  Manifest manifest() {
    return manifest;
  }
}
