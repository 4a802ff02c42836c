package org.bootaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.bootaudit.cli.Manifest.Entry;
import org.bootaudit.cli.Manifest.Kind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bootaudit disable --root DIR}: undoes what {@code enable} did to a root, from the
 * manifest it left: removes what it added, restores what it edited byte-identical from the
 * backups, and says what to rebuild.
 */
@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    description = {
      "Undo 'bootaudit enable' on a root file system, from the manifest it left.",
      "Reads DIR/" + Manifest.FILE + ": every file and directory enable added is removed (rules, journald drop-in, initramfs-tools hook, dracut module, boot-only"
          + " unit), every file it edited (kernel command lines, auditd.conf) is restored byte-identical from its"
          + " backup, and the manifest goes last. A file changed since enable is left as it is, with its backup.",
      "Every change is printed, then the commands that rebuild the initramfs images (and grub.cfg) without"
          + " bootaudit. --dry-run prints the changes and makes none."
    })
final class DisableCommand implements Callable<Integer> {

  private static final java.util.Map<String, String> FUTURE = java.util.Map.of("removed", "would remove",
      "restored", "would restore", "removed directory", "would remove directory");

  @Spec CommandSpec spec;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The root file system enable set up.")
  Path root;

  @Option(names = "--dry-run", description = "Print every change disable would make; change nothing.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  private PrintWriter out;
  private RootEditor paths;
  /** What is gone (or would be, in a dry run), relative to the root: a directory with nothing else is empty. */
  private final Set<String> gone = new HashSet<>();

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new BadInputException(root + ": expected the directory of a root file system");
    }
    Manifest manifest = Manifest.read(root).orElseThrow(() -> new BadInputException(root + ": no " + Manifest.FILE
        + ", so nothing to undo: 'bootaudit enable' has not run on this root (or it was undone already)"));
    out = spec.commandLine().getOut();
    paths = new RootEditor(root, manifest, true, out);
    boolean grub = false;
    List<Entry> entries = new ArrayList<>(manifest.entries());
    java.util.Collections.reverse(entries);
    for (Entry e : entries) {
      switch (e.kind()) {
        case ADDED -> remove(e.path(), "");
        case EDITED -> grub |= restore(e) && e.path().equals("etc/default/grub");
        case DIR -> { }
      }
    }
    remove(Manifest.FILE, " (enable's record of its changes)");
    for (Entry e : entries) {
      if (e.kind() == Kind.DIR) {
        removeDirectory(e.path());
      }
    }
    hints(grub);
    return Main.OK;
  }

  private void remove(String rel, String why) throws IOException {
    Path at = paths.at(rel);
    if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
      out.println("gone already: " + paths.shown(rel));
    } else {
      if (!dryRun) {
        Files.delete(at);
      }
      say("removed", paths.shown(rel) + why);
    }
    gone.add(rel);
  }

  /** Renames the backup over the file when the file is as enable left it; says why not otherwise. */
  private boolean restore(Entry e) throws IOException {
    Path file = paths.at(e.path());
    Path backup = paths.at(e.backup());
    if (!Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
      out.println("note: " + paths.shown(e.backup()) + " is gone, so " + paths.shown(e.path()) + " stays as it is");
      return false;
    }
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      out.println("note: " + paths.shown(e.path()) + " is gone since enable (e.g. the entry of a removed kernel): not"
          + " restored; its original stays in " + paths.shown(e.backup()));
      return false;
    }
    if (!Manifest.sha256(Files.readAllBytes(file)).equals(e.sha256())) {
      out.println("note: " + paths.shown(e.path()) + " changed since enable: left as it is; its original before enable"
          + " is " + paths.shown(e.backup()) + " (compare, and restore by hand)");
      return false;
    }
    if (!dryRun) {
      Files.move(backup, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    gone.add(e.backup());
    say("restored", paths.shown(e.path()) + " from " + paths.shown(e.backup()));
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
      left = list.map(p -> rel + "/" + p.getFileName()).filter(p -> !gone.contains(p)).toList();
    }
    if (!left.isEmpty()) {
      out.println("note: left " + paths.shown(rel) + ": enable made it, but it holds " + paths.shown(left.get(0))
          + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : ""));
      return;
    }
    if (!dryRun) {
      Files.delete(at);
    }
    gone.add(rel);
    say("removed directory", paths.shown(rel));
  }

  /** What to run in the root now that its files are as before. */
  private void hints(boolean grub) {
    boolean tools = Files.exists(root.resolve("usr/sbin/update-initramfs"));
    boolean dracut = Files.isDirectory(root.resolve(EnableCommand.DRACUT_DIR));
    String images = dryRun ? "then run" : "run";
    if (tools) {
      out.println(images + " update-initramfs -u -k all in that root: its initramfs images still load the rules");
    }
    if (dracut) {
      out.println(images + " dracut --regenerate-all -f in that root: its initramfs images still load the rules");
    }
    if (!tools && !dracut) {
      out.println("note: " + root + " has neither initramfs-tools nor dracut: rebuild or restore any image you injected"
          + " with 'bootaudit initramfs inject' yourself (its IMAGE.bootaudit-backup, with --in-place)");
    }
    if (grub) {
      out.println(images + " update-grub in that root: grub.cfg still has the kernel arguments of etc/default/grub");
    }
    out.println("note: the rules the kernel has now stay until the next boot (or 'augenrules --load')");
  }

  private void say(String verb, String rest) {
    out.println((dryRun ? FUTURE.get(verb) : verb) + " " + rest);
  }
}
