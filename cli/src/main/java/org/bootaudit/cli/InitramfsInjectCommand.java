package org.bootaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.InjectResult;
import org.bootaudit.initramfs.Injector;
import org.bootaudit.initramfs.Segment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootaudit initramfs inject}: make auditing start before init. */
@Command(
    name = "inject",
    mixinStandardHelpOptions = true,
    description = {
      "Write IMAGE plus an early-boot audit hook to OUT: auditctl, its loader and libraries and the rules in"
          + " /bootaudit, and a hook that loads the rules. Mode wrap (what auto chooses: the earliest hook, for every"
          + " image type) makes /init a POSIX sh wrapper that runs the original /init (kept as /init.orig);"
          + " initramfs-tools, dracut and systemd use the image's own hook (init-top, cmdline hook, unit).",
      "New files go into an uncompressed segment before the first compressed one (after early microcode),"
          + " a replaced /init or ORDER into a segment after the last one, compressed like it, so the kernel"
          + " and Debian's lsinitramfs/unmkinitramfs read the result.",
      "Every byte of IMAGE stays as it was; OUT is written to a temporary file and renamed.",
      "The kernel also needs 'audit=1 audit_backlog_limit=65536' on its command line: printed, applied only with"
          + " --apply-kernel-args ROOT.",
      "",
      "Exit codes: 0 ok, 2 usage, 65 image refused (with the reason), 74 I/O error."
    })
final class InitramfsInjectCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "IMAGE",
      description = "The initramfs to read (never modified without --in-place).")
  Path image;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "OUT",
      description = "Where to write the injected image.")
  Path output;

  @Option(
      names = "--in-place",
      description = "Replace IMAGE itself, keeping IMAGE.bootaudit-backup.")
  boolean inPlace;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "auto (default: wrap, after saying which generator built the image), wrap, initramfs-tools,"
              + " dracut, systemd.")
  String mode;

  @Option(
      names = "--auditctl",
      paramLabel = "PATH",
      defaultValue = "/usr/sbin/auditctl",
      description =
          "auditctl to ship; its libraries are taken from this machine (default ${DEFAULT-VALUE}).")
  Path auditctl;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description =
          "Rules to load at boot (default: the rules module's early-boot profile); linted for early boot,"
              + " errors refuse the injection.")
  Path rules;

  @Option(
      names = "--target-root",
      paramLabel = "DIR",
      description =
          "With --mode initramfs-tools: also write DIR/etc/initramfs-tools/hooks/bootaudit and"
              + " scripts/init-top/bootaudit, so that images update-initramfs builds later keep the hook; with --mode"
              + " dracut or systemd: the dracut module DIR/usr/lib/dracut/modules.d/99bootaudit, so that images dracut"
              + " builds later load the rules (a cmdline hook, or a unit in a systemd image).")
  Path targetRoot;

  @Option(
      names = "--apply-kernel-args",
      paramLabel = "ROOT",
      description =
          "Also add audit=1 audit_backlog_limit=65536 wherever ROOT keeps the kernel command line:"
              + " GRUB_CMDLINE_LINUX in etc/default/grub (run update-grub afterwards), the options of boot loader entries"
              + " (boot/loader/entries and the ESP's, as grubby does), grubenv's kernelopts, etc/kernel/cmdline;"
              + " backups are kept. Without it the arguments are only printed.")
  Path kernelArgsRoot;

  @CommandLine.Mixin
  ImageReadOptions imageOptions;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    Injector.Mode chosen = switch (mode) {
      case "auto" -> Injector.Mode.AUTO;
      case "wrap" -> Injector.Mode.WRAP;
      case "initramfs-tools" -> Injector.Mode.INITRAMFS_TOOLS;
      case "dracut" -> Injector.Mode.DRACUT;
      case "systemd" -> Injector.Mode.SYSTEMD;
      default ->
        throw new CommandLine.ParameterException(
            cl, "--mode " + mode + ": expected auto, wrap, initramfs-tools, dracut or systemd");
    };
    if (output == null && !inPlace) {
      throw new CommandLine.ParameterException(
          cl, "give -o OUT (or --in-place to replace IMAGE, keeping a backup)");
    }
    if (targetRoot != null
        && chosen != Injector.Mode.INITRAMFS_TOOLS
        && chosen != Injector.Mode.DRACUT
        && chosen != Injector.Mode.SYSTEMD) {
      throw new CommandLine.ParameterException(
          cl, "--target-root needs --mode initramfs-tools, dracut or systemd");
    }
    Path out = output == null ? image : output;
    if (!inPlace && java.nio.file.Files.exists(out) && java.nio.file.Files.isSameFile(out, image)) {
      throw new CommandLine.ParameterException(
          cl,
          "-o " + output + " is the input image; add --in-place to replace it"
              + " (IMAGE.bootaudit-backup is kept)");
    }
    Injector injector = org.bootaudit.initramfs.Initramfs.injector()
        .auditctl(auditctl)
        .reader(imageOptions.reader())
        .mode(chosen);
    if (rules != null) {
      injector.rules(rules);
    }
    InjectResult r = InitramfsCommand.guarded(() -> injector.inject(image, out, inPlace));
    PrintWriter o = cl.getOut();
    PrintWriter err = cl.getErr();
    for (String w : r.warnings()) {
      err.println("bootaudit: warning: " + w);
    }
    o.printf(
        "detected: %s%n",
        r.generator().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    o.printf(
        "mode: %s%s%n",
        r.mode().toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        mode.equals("auto") ? " (auto: the earliest hook; works for every image type)" : "");
    o.printf("wrote %s: %d entries added%n", out, r.added().size());
    for (Segment s : r.newSegments()) {
      o.printf(
          "  new segment %d (%s) at byte 0x%x, %,d bytes:%n",
          s.number(), s.compression().label(), s.offset(), s.length());
      s.entries().stream()
          .filter(e -> r.added().contains(e.path()))
          .forEach(e -> o.println("    /" + e.path()));
    }
    if (targetRoot != null) {
      for (Path f : chosen == Injector.Mode.INITRAMFS_TOOLS
          ? injector.writeInitramfsToolsHooks(targetRoot)
          : injector.writeDracutModule(targetRoot)) {
        o.println("wrote " + f);
      }
    }
    if (kernelArgsRoot != null) {
      applyKernelArguments(kernelArgsRoot, o);
    } else {
      o.println("kernel arguments needed (not applied): " + r.kernelArguments());
      o.println(
          "  add them to GRUB_CMDLINE_LINUX in /etc/default/grub and run update-grub (or grubby"
              + " --update-kernel=ALL --args=...), or pass --apply-kernel-args ROOT to have them put everywhere ROOT"
              + " keeps the kernel command line");
    }
    return 0;
  }

  /**
   * Applies the kernel arguments to root and prints one line per file that holds the kernel command
   * line, and the update-grub hint when etc/default/grub changed (boot loader entries are read as
   * they are at boot).
   */
  private static void applyKernelArguments(Path root, PrintWriter out) throws java.io.IOException {
    boolean grub = false;
    for (org.bootaudit.initramfs.KernelCommandLine c : Injector.applyKernelArguments(root)) {
      String backup = c.changed() ? " (backup: " + c.file() + ".bootaudit-backup)" : "";
      out.println((c.changed() ? "changed " : "unchanged ") + c.file() + backup + ": "
          + String.join("; ", c.lines()));
      grub |=
          c.changed() && c.place() == org.bootaudit.initramfs.KernelCommandLine.Place.GRUB_DEFAULT;
    }
    if (grub) {
      out.println(
          "  run update-grub in that root to make the change to etc/default/grub take effect");
    }
  }
}
