package org.bootaudit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.Initramfs;
import org.bootaudit.initramfs.RootSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bootaudit disable --root DIR}: undoes what {@code enable} did to a root, from the
 * manifest it left ({@link RootSetup#disable}).
 */
@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    description = {
      "Undo 'bootaudit enable' on a root file system, from the manifest it left.",
      "Reads DIR/" + RootSetup.MANIFEST
          + ": every file and directory enable added is removed (rules, journald drop-in, initramfs-tools hook, dracut module, boot-only"
          + " unit), every file it edited (kernel command lines, auditd.conf) is restored byte-identical from its"
          + " backup, and the manifest goes last. A file changed since enable is left as it is, with its backup.",
      "Every change is printed, then the commands that rebuild the initramfs images (and grub.cfg) without"
          + " bootaudit. --dry-run prints the changes and makes none."
    })
final class DisableCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "The root file system enable set up.")
  Path root;

  @Option(
      names = "--dry-run",
      description = "Print every change disable would make; change nothing.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    InitramfsCommand.guarded(() -> {
      Initramfs.rootSetup(root)
          .dryRun(dryRun)
          .disable(change -> spec.commandLine().getOut().println(change));
      return null;
    });
    return Main.OK;
  }
}
