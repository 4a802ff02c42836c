package org.bootaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.bootaudit.initramfs.Initramfs;
import org.bootaudit.initramfs.Injector;
import org.bootaudit.initramfs.KernelCommandLine;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.Stage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bootaudit enable --root DIR}: makes a root file system audit its boots from the
 * initramfs to the login prompt, and says every change it makes.
 */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = {
      "Set up a root file system (the running one with --root /) for boot auditing:",
      "the rules into DIR/etc/audit/rules.d/ (so augenrules' -D on the root does not end capture),",
      "the initramfs-tools hook so that update-initramfs keeps injecting them (and where DIR has dracut,",
      "its module usr/lib/dracut/modules.d/99bootaudit, so that dracut does too), and with --kernel-args",
      "audit=1 audit_backlog_limit=65536 in every place DIR keeps the kernel command line (etc/default/grub,",
      "boot loader entries, grubenv's kernelopts, etc/kernel/cmdline). Every change is printed."
    })
final class EnableCommand implements Callable<Integer> {

  /** Where the rules go, among the root's other rules.d fragments. */
  static final String RULES_FILE = "etc/audit/rules.d/50-bootaudit.rules";

  /** Keeps the root's systemd-journald from switching auditing off (Debian: Audit=no). */
  static final String JOURNALD_FILE = "etc/systemd/journald.conf.d/zz-bootaudit.conf";

  /** A root with dracut has it here; its modules.d then gets the bootaudit module. */
  static final String DRACUT_DIR = "usr/lib/dracut";

  @Spec CommandSpec spec;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The root file system to set up.")
  Path root;

  @Option(names = "--rules", paramLabel = "FILE", description = "Rules to install (default: the early-boot profile).")
  Path rules;

  @Option(names = "--kernel-args", description = "Also add audit=1 audit_backlog_limit=65536 to GRUB_CMDLINE_LINUX, the"
      + " options of the boot loader entries (BLS, as grubby does), grubenv's kernelopts and etc/kernel/cmdline, where they"
      + " exist (backups are kept).")
  boolean kernelArgs;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new BadInputException(root + ": expected the directory of a root file system");
    }
    PrintWriter out = spec.commandLine().getOut();
    String text = rulesText();
    Path installed = write(root.resolve(RULES_FILE), forRoot(text), "rw-r-----");
    out.println("wrote " + installed + " (the rules, for the root's augenrules)");
    if (Files.exists(root.resolve("usr/lib/systemd/systemd-journald")) || Files.exists(root.resolve("lib/systemd/systemd-journald"))) {
      Path dropIn = write(root.resolve(JOURNALD_FILE), Injector.JOURNALD_CONF, "rw-r--r--");
      out.println("wrote " + dropIn + " (Audit=yes: journald would switch auditing off when it starts)");
    }
    Injector injector = Initramfs.injector().rulesText(text);
    for (Path f : injector.writeInitramfsToolsHooks(root)) {
      out.println("wrote " + f + " (initramfs-tools: run update-initramfs -u in that root)");
    }
    // a root can have both generators; dracut's module dir is there with dracut itself
    boolean dracut = Files.isDirectory(root.resolve(DRACUT_DIR));
    if (dracut) {
      for (Path f : injector.writeDracutModule(root)) {
        out.println("wrote " + f + " (dracut: run dracut -f in that root)");
      }
    }
    if (!dracut && !Files.exists(root.resolve("usr/sbin/update-initramfs"))) {
      out.println("note: " + root + " has no usr/sbin/update-initramfs and no " + DRACUT_DIR + ": the hooks act only"
          + " where initramfs-tools or dracut builds the images; otherwise inject each image with 'bootaudit initramfs inject'");
    }
    if (kernelArgs) {
      applyKernelArguments(root, out);
    } else {
      out.println("kernel arguments needed (not applied; add --kernel-args): " + Injector.KERNEL_ARGUMENTS);
    }
    return Main.OK;
  }

  /**
   * Applies the kernel arguments to root and prints one line per file that holds the kernel command
   * line, and the update-grub hint when etc/default/grub changed (boot loader entries are read as
   * they are at boot).
   */
  static void applyKernelArguments(Path root, PrintWriter out) throws IOException {
    boolean grub = false;
    for (KernelCommandLine c : Injector.applyKernelArguments(root)) {
      out.println((c.changed() ? "changed " : "unchanged ") + c.file() + ": " + String.join("; ", c.lines()));
      grub |= c.changed() && c.place() == KernelCommandLine.Place.GRUB_DEFAULT;
    }
    if (grub) {
      out.println("  run update-grub in that root to make the change to etc/default/grub take effect");
    }
  }

  private String rulesText() throws IOException {
    String name = rules == null ? "profile:early-boot" : rules.toString();
    String text = rules == null ? AuditRules.profileText("early-boot").orElseThrow() : Files.readString(rules);
    List<Finding> errors = AuditRules.lint(text, name, Stage.EARLY_BOOT).stream()
        .filter(f -> f.severity() == Finding.Severity.ERROR).toList();
    if (!errors.isEmpty()) {
      throw new BadInputException(errors.get(0) + " (nothing written)");
    }
    return text;
  }

  /** Written through a temporary file renamed into place, with {@code perms}. */
  private static Path write(Path file, String text, String perms) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return file;
  }

  /** A rules.d fragment must not delete the other fragments' rules: its -D lines are dropped. */
  static String forRoot(String text) {
    return text.lines()
        .filter(l -> !l.strip().equals("-D"))
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
