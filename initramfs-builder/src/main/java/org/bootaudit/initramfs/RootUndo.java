package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.bootaudit.initramfs.Manifest.Entry;
import org.bootaudit.initramfs.RootChange.Kind;

/**
 * One run of {@link RootSetup#disable}: the manifest's entries undone last first, files removed,
 * edited files restored from their backups when they are as enable left them, then the
 * directories enable made that are empty, and what to rebuild.
 */
final class RootUndo {
  private final Path root;
  private final boolean dryRun;
  /** Used for its paths only: as the user gave the root, links in parents followed inside it. */
  private final RootWriter paths;

  private final Consumer<RootChange> out;
  /** What is gone (or would be) so far, so that a directory with nothing else is empty. */
  private final Set<String> gone = new HashSet<>();

  RootUndo(Path root, boolean dryRun, RootWriter paths, Consumer<RootChange> out) {
    this.root = root;
    this.dryRun = dryRun;
    this.paths = paths;
    this.out = out;
  }

  void run(Manifest manifest) throws IOException {
    boolean grub = false;
    List<Entry> entries = new ArrayList<>(manifest.entries());
    Collections.reverse(entries);
    for (Entry e : entries) {
      switch (e.kind()) {
        case ADDED -> remove(e.path(), "");
        case EDITED -> grub |= restore(e) && e.path().equals("etc/default/grub");
        case DIR -> {}
      }
    }
    remove(Manifest.FILE, " (enable's record of its changes)");
    for (Entry e : entries) {
      if (e.kind() == Manifest.Kind.DIR) {
        removeDirectory(e.path());
      }
    }
    hints(grub);
  }

  private void remove(String rel, String why) throws IOException {
    Path at = paths.at(rel);
    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
      say(Kind.GONE, "gone already: " + paths.shown(rel));
    } else {
      if (!dryRun) {
        Files.delete(at);
      }
      say(Kind.REMOVED, (dryRun ? "would remove " : "removed ") + paths.shown(rel) + why);
    }
    gone.add(rel);
  }

  /** Renames the backup over the file when the file is as enable left it; says why not otherwise. */
  private boolean restore(Entry e) throws IOException {
    Path file = paths.at(e.path());
    Path backup = paths.at(e.backup());
    if (!Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
      note("note: " + paths.shown(e.backup()) + " is gone, so " + paths.shown(e.path())
          + " stays as it is");
      return false;
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      note("note: " + paths.shown(e.path())
          + " is gone since enable (e.g. the entry of a removed kernel): not"
          + " restored; its original stays in " + paths.shown(e.backup()));
      return false;
    }
    if (!Manifest.sha256(Files.readAllBytes(file)).equals(e.sha256())) {
      note("note: " + paths.shown(e.path())
          + " changed since enable: left as it is; its original before enable" + " is "
          + paths.shown(e.backup()) + " (compare, and restore by hand)");
      return false;
    }
    if (!dryRun) {
      Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    gone.add(e.backup());
    say(
        Kind.RESTORED,
        (dryRun ? "would restore " : "restored ") + paths.shown(e.path()) + " from "
            + paths.shown(e.backup()));
    return true;
  }

  private void removeDirectory(String rel) throws IOException {
    Path at = paths.at(rel);
    if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
      gone.add(rel);
      return;
    }
    List<String> left;
    try (Stream<Path> list = Files.list(at)) {
      left = list.map(p -> rel + "/" + p.getFileName())
          .filter(p -> !gone.contains(p))
          .toList();
    }
    if (!left.isEmpty()) {
      note("note: left " + paths.shown(rel) + ": enable made it, but it holds "
          + paths.shown(left.get(0))
          + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : ""));
      return;
    }
    if (!dryRun) {
      Files.delete(at);
    }
    gone.add(rel);
    say(
        Kind.REMOVED_DIRECTORY,
        (dryRun ? "would remove directory " : "removed directory ") + paths.shown(rel));
  }

  /** What to run in the root now that its files are as before. */
  private void hints(boolean grub) {
    boolean tools = Files.exists(root.resolve(Layout.UPDATE_INITRAMFS));
    boolean dracut = Files.isDirectory(root.resolve(Layout.DRACUT_DIR));
    String images = dryRun ? "then run" : "run";
    if (tools) {
      note(images
          + " update-initramfs -u -k all in that root: its initramfs images still load the rules");
    }
    if (dracut) {
      note(images
          + " dracut --regenerate-all -f in that root: its initramfs images still load the rules");
    }
    if (!tools && !dracut) {
      note(
          "note: " + root
              + " has neither initramfs-tools nor dracut: rebuild or restore any image you injected"
              + " with 'bootaudit initramfs inject' yourself (its IMAGE.bootaudit-backup, with --in-place)");
    }
    if (grub) {
      note(
          images
              + " update-grub in that root: grub.cfg still has the kernel arguments of etc/default/grub");
    }
    note("note: the rules the kernel has now stay until the next boot (or 'augenrules --load')");
  }

  private void say(Kind kind, String text) {
    out.accept(new RootChange(kind, dryRun, text));
  }

  private void note(String text) {
    say(Kind.NOTE, text);
  }
}
