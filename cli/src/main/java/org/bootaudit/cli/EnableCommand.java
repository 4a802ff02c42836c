package org.bootaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bootaudit.initramfs.CommandLineEdit;
import org.bootaudit.initramfs.Initramfs;
import org.bootaudit.initramfs.Injector;
import org.bootaudit.initramfs.KernelCommandLine;
import org.bootaudit.initramfs.RootFile;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.Stage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bootaudit enable --root DIR}: makes a root file system audit its boots from the
 * initramfs to the login prompt, says every change it makes and records it for {@code disable}.
 */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = {
      "Set up a root file system (the running one with --root /) to audit its boots from the initramfs on.",
      "Writes the rules into DIR/etc/audit/rules.d/50-bootaudit.rules (so augenrules' -D on the root does not end"
          + " capture), the initramfs-tools hook so that update-initramfs keeps loading them (and where DIR has"
          + " dracut, its module usr/lib/dracut/modules.d/99bootaudit, so that dracut does too), a journald drop-in"
          + " keeping auditing on, and raises max_log_file (to " + AuditdConf.MAX_LOG_FILE_MB + " MB) and num_logs (to "
          + AuditdConf.NUM_LOGS + ") in etc/audit/auditd.conf so that the log keeps whole boots (a boot writes ~"
          + AuditdConf.BOOT_MB + " MB).",
      "With --kernel-args: audit=1 audit_backlog_limit=N in every place DIR keeps the kernel command line"
          + " (etc/default/grub, boot loader entries, grubenv's kernelopts, etc/kernel/cmdline); a larger"
          + " audit_backlog_limit there stays. With --boot-only: the rules audit only until the login prompt.",
      "Every change is printed. An edited file keeps its original in NAME.bootaudit-backup; a second run keeps"
          + " that first backup and adds nothing twice. All is recorded in DIR/" + Manifest.FILE + ", from which"
          + " 'bootaudit disable' undoes it. --dry-run prints the changes and makes none."
    })
final class EnableCommand implements Callable<Integer> {

  /** Sorts before the root's own fragments, whose settings ({@code -b}, {@code -f}) then stand. */
  static final String RULES_NAME = "50-bootaudit.rules";
  /** Where the rules go, among the root's other rules.d fragments. */
  static final String RULES_FILE = "etc/audit/rules.d/" + RULES_NAME;

  /** Keeps the root's systemd-journald from switching auditing off (Debian: Audit=no). */
  static final String JOURNALD_FILE = "etc/systemd/journald.conf.d/zz-bootaudit.conf";

  /** A root with dracut has it here; its modules.d then gets the bootaudit module. */
  static final String DRACUT_DIR = "usr/lib/dracut";

  /**
   * Kernel memory for one record held before auditd connects: an skb from {@code
   * nlmsg_new(AUDIT_BUFSIZ = 1024)}, that is a {@code struct sk_buff} (~256 bytes) and a 2 KiB
   * data buffer (1 KiB plus headers and {@code skb_shared_info}, rounded to kmalloc's 2 KiB).
   * A record longer than ~1 KiB grows its buffer.
   */
  static final int RECORD_BYTES = 256 + 2048;

  private static final Pattern BACKLOG_RULE = Pattern.compile("[ \\t]*-b[ \\t]+\\S+[ \\t]*");

  @Spec CommandSpec spec;

  @Option(names = "--root", required = true, paramLabel = "DIR", description = "The root file system to set up.")
  Path root;

  @Option(names = "--rules", paramLabel = "FILE", description = "Rules to install (default: the early-boot profile).")
  Path rules;

  @Option(names = "--kernel-args", description = "Also put audit=1 audit_backlog_limit=N into GRUB_CMDLINE_LINUX, the"
      + " options of the boot loader entries (BLS, as grubby does), grubenv's kernelopts and etc/kernel/cmdline, where"
      + " they exist (backups are kept).")
  boolean kernelArgs;

  @Option(names = "--backlog", paramLabel = "N", description = "The audit backlog limit: records the kernel holds"
      + " before auditd starts (default ${DEFAULT-VALUE}; at least 8192, STIG RHEL-09-653120). Set by the hooks and,"
      + " with --kernel-args, on the kernel command line; each record held costs ~2.25 KiB of kernel memory.")
  int backlog = Injector.DEFAULT_BACKLOG;

  @Option(names = "--boot-only", description = "Audit with these rules only until the login prompt: installs the"
      + " systemd unit " + BootOnly.UNIT + " (and " + BootOnly.SCRIPT + "), which then loads the root's other"
      + " rules.d rules in their place.")
  boolean bootOnly;

  @Option(names = "--dry-run", description = "Print every change enable would make; change nothing.")
  boolean dryRun;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new BadInputException(root + ": expected the directory of a root file system");
    }
    if (backlog < Injector.MIN_BACKLOG) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--backlog " + backlog + ": expected at least "
          + Injector.MIN_BACKLOG + " (DISA STIG RHEL-09-653120 asks audit_backlog_limit >= 8192; boot capture needs more)");
    }
    String text = rulesText();
    List<CommandLineEdit> cmdline = planKernelArguments();
    long effective = Math.max(backlog, cmdline.stream().mapToLong(CommandLineEdit::backlog).max().orElse(0));
    RootEditor editor = new RootEditor(root, Manifest.read(root).orElse(Manifest.empty()), dryRun,
        spec.commandLine().getOut());
    try {
      change(editor, text, cmdline, effective);
    } catch (IOException | RuntimeException e) {
      try {
        editor.finish();
      } catch (IOException | RuntimeException f) {
        e.addSuppressed(f);
      }
      throw e;
    }
    editor.finish();
    return Main.OK;
  }

  private void change(RootEditor editor, String text, List<CommandLineEdit> cmdline, long effective) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    editor.put(new RootFile(RULES_FILE, forRoot(text).getBytes(StandardCharsets.UTF_8), 0640),
        "the rules, for the root's augenrules");
    if (Files.exists(root.resolve("usr/lib/systemd/systemd-journald")) || Files.exists(root.resolve("lib/systemd/systemd-journald"))) {
      editor.put(new RootFile(JOURNALD_FILE, Injector.JOURNALD_CONF.getBytes(StandardCharsets.UTF_8), 0644),
          "Audit=yes: journald would switch auditing off when it starts");
    }
    Injector injector = Initramfs.injector().rulesText(text).backlog(effective);
    // a root can have both generators; dracut's module dir is there with dracut itself. On a root
    // with dracut alone (it replaces initramfs-tools, as on RHEL), initramfs-tools' hooks are noise.
    boolean dracut = Files.isDirectory(root.resolve(DRACUT_DIR));
    boolean initramfsTools = Files.exists(root.resolve("usr/sbin/update-initramfs"));
    if (initramfsTools || !dracut) {
      for (RootFile f : injector.initramfsToolsHookFiles()) {
        editor.put(f, "initramfs-tools: run update-initramfs -u in that root");
      }
    }
    if (dracut) {
      for (RootFile f : injector.dracutModuleFiles()) {
        editor.put(f, "dracut: run dracut -f in that root");
      }
    }
    if (!dracut && !initramfsTools) {
      out.println("note: " + root + " has no usr/sbin/update-initramfs and no " + DRACUT_DIR + ": the hooks act only"
          + " where initramfs-tools or dracut builds the images; otherwise inject each image with 'bootaudit initramfs inject'");
    }
    if (bootOnly) {
      bootOnly(editor, out);
    }
    auditdConf(editor, out);
    if (kernelArgs) {
      kernelArguments(editor, cmdline, out);
    } else {
      out.println("kernel arguments needed (not applied; add --kernel-args): " + Injector.kernelArguments(effective));
    }
    out.printf("backlog: %d records, about %d MiB of kernel memory at most, only while records are held before auditd starts"
        + " (a record: a ~256-byte sk_buff with a 2 KiB buffer)%n", effective, Math.round(effective * RECORD_BYTES / 1048576.0));
  }

  /** The command lines' new bytes; without --kernel-args only to learn the backlog limits already there. */
  private List<CommandLineEdit> planKernelArguments() throws IOException {
    try {
      return Injector.planKernelArguments(root, backlog);
    } catch (IOException e) {
      if (kernelArgs) {
        throw e;
      }
      return List.of();
    }
  }

  private static void kernelArguments(RootEditor editor, List<CommandLineEdit> plan, PrintWriter out) throws IOException {
    boolean grub = false;
    for (CommandLineEdit e : plan) {
      KernelCommandLine c = e.result();
      boolean changed = editor.edit(editor.rel(c.file()), e.content(), String.join("; ", c.lines()));
      e.notes().forEach(n -> out.println("  " + n));
      grub |= changed && c.place() == KernelCommandLine.Place.GRUB_DEFAULT;
    }
    if (grub) {
      out.println("  run update-grub in that root to make the change to etc/default/grub take effect");
    }
  }

  private void bootOnly(RootEditor editor, PrintWriter out) throws IOException {
    for (RootFile f : BootOnly.files()) {
      editor.put(f, "--boot-only: at the login prompt, the root's own rules replace the early-boot rules");
    }
    editor.link(BootOnly.WANTS, BootOnly.WANTS_TARGET, "systemctl enable " + BootOnly.UNIT);
    BootOnly.lockingRules(root).ifPresent(f -> out.println("note: " + f + " locks the rules (-e 2) when auditd loads"
        + " it: from then on no rule can change until reboot, so the early-boot rules stay; remove -e 2 for --boot-only"));
  }

  private void auditdConf(RootEditor editor, PrintWriter out) throws IOException {
    Path conf = editor.at(AuditdConf.FILE);
    if (!Files.isRegularFile(conf)) {
      out.println("note: " + root + " has no " + AuditdConf.FILE + " (is auditd installed?); once it has, run enable"
          + " again to size the log for whole boots");
      return;
    }
    AuditdConf.Sized sized = AuditdConf.size(new String(Files.readAllBytes(conf), StandardCharsets.ISO_8859_1));
    byte[] bytes = sized.text().getBytes(StandardCharsets.ISO_8859_1);
    editor.edit(AuditdConf.FILE, bytes, sized.changes().isEmpty()
        ? "max_log_file and num_logs keep whole boots already" : String.join("; ", sized.changes()));
    sized.notes().forEach(n -> out.println("  " + n));
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

  /**
   * A rules.d fragment must not delete the other fragments' rules: its -D lines are dropped. Nor
   * does it set the backlog limit. Before auditd connects, the limit bounds the kernel's hold
   * queue, and it is the kernel command line's and the initramfs hook's: a smaller one loaded then
   * (a root whose init loads rules.d before auditd) drops every later record until auditd drains
   * them, seen as ~70 missing serials per boot in BootIT. Once auditd runs, the root's own rules
   * decide (Debian's and RHEL's say 8192); the boot's large limit left in force then was seen to
   * stall delivery on Debian 12's 6.1 kernel in qemu: with 65,536 or 131,072 no record made after
   * auditd connected reached it (auditctl -s: backlog 13,000 to 21,000), with 8192 the same boots
   * lost nothing ({@code samples/vm/record-vm.sh}).
   */
  static String forRoot(String text) {
    return text.lines()
        .filter(l -> !l.strip().equals("-D") && !BACKLOG_RULE.matcher(l).matches())
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
