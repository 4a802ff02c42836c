package org.bootaudit.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.Initramfs;
import org.bootaudit.initramfs.Injector;
import org.bootaudit.initramfs.RootSetup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bootaudit enable --root DIR}: makes a root file system audit its boots from the
 * initramfs to the login prompt, says every change it makes and records it for {@code disable}
 * ({@link RootSetup#enable}).
 */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = {
      "Set up a root file system (the running one with --root /) to audit its boots from the initramfs on.",
      "Writes the rules into DIR/etc/audit/rules.d/50-bootaudit.rules (so augenrules' -D on the root does not end"
          + " capture), the initramfs-tools hook so that update-initramfs keeps loading them (and where DIR has"
          + " dracut, its module usr/lib/dracut/modules.d/99bootaudit, so that dracut does too), a journald drop-in"
          + " keeping auditing on, and raises max_log_file (to " + RootSetup.MAX_LOG_FILE_MB
          + " MB) and num_logs (to "
          + RootSetup.NUM_LOGS
          + ") in etc/audit/auditd.conf so that the log keeps whole boots (a boot writes ~"
          + RootSetup.BOOT_MB + " MB).",
      "With --kernel-args: audit=1 audit_backlog_limit=N in every place DIR keeps the kernel command line"
          + " (etc/default/grub, boot loader entries, grubenv's kernelopts, etc/kernel/cmdline); a larger"
          + " audit_backlog_limit there stays. With --boot-only: the rules audit only until the login prompt.",
      "Every change is printed. An edited file keeps its original in NAME.bootaudit-backup; a second run keeps"
          + " that first backup and adds nothing twice. All is recorded in DIR/"
          + RootSetup.MANIFEST + ", from which"
          + " 'bootaudit disable' undoes it. --dry-run prints the changes and makes none."
    })
final class EnableCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(
      names = "--root",
      required = true,
      paramLabel = "DIR",
      description = "The root file system to set up.")
  Path root;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Rules to install (default: the early-boot profile).")
  Path rules;

  @Option(
      names = "--kernel-args",
      description = "Also put audit=1 audit_backlog_limit=N into GRUB_CMDLINE_LINUX, the"
          + " options of the boot loader entries (BLS, as grubby does), grubenv's kernelopts and etc/kernel/cmdline, where"
          + " they exist (backups are kept).")
  boolean kernelArgs;

  @Option(
      names = "--backlog",
      paramLabel = "N",
      description =
          "The audit backlog limit: records the kernel holds"
              + " before auditd starts (default ${DEFAULT-VALUE}; at least 8192, STIG RHEL-09-653120). Set by the hooks and,"
              + " with --kernel-args, on the kernel command line; each record held costs ~2.25 KiB of kernel memory.")
  int backlog = Injector.DEFAULT_BACKLOG;

  @Option(
      names = "--boot-only",
      description = "Audit with these rules only until the login prompt: installs the"
          + " systemd unit " + RootSetup.BOOT_ONLY_UNIT + " (and " + RootSetup.BOOT_ONLY_SCRIPT
          + "), which then loads the root's other"
          + " rules.d rules in their place.")
  boolean bootOnly;

  @Option(
      names = "--dry-run",
      description = "Print every change enable would make; change nothing.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (backlog < Injector.MIN_BACKLOG) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--backlog " + backlog + ": expected at least " + Injector.MIN_BACKLOG
              + " (DISA STIG RHEL-09-653120 asks audit_backlog_limit >= 8192; boot capture needs more)");
    }
    RootSetup setup = Initramfs.rootSetup(root)
        .backlog(backlog)
        .kernelArguments(kernelArgs)
        .bootOnly(bootOnly)
        .dryRun(dryRun);
    if (rules != null) {
      setup.rules(rules);
    }
    InitramfsCommand.guarded(() -> {
      setup.enable(change -> spec.commandLine().getOut().println(change));
      return null;
    });
    return Main.OK;
  }
}
