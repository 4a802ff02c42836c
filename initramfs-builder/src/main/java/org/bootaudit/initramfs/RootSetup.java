package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bootaudit.rules.AuditRules;

/**
 * Sets up a target root (the running one, or one mounted elsewhere) to audit its boots from the
 * initramfs on, so that the distribution's own tools rebuild its images with auditing, and undoes
 * that. Made by {@link Initramfs#rootSetup}:
 *
 * <pre>{@code
 * Initramfs.rootSetup(Path.of("/mnt/root")).kernelArguments(true).enable(System.out::println);
 * Initramfs.rootSetup(Path.of("/mnt/root")).disable(System.out::println);
 * }</pre>
 *
 * <p>{@link #enable} writes the rules into {@code etc/audit/rules.d/50-bootaudit.rules}, the
 * initramfs-tools hooks and, where the root has dracut, its module, a journald drop-in keeping
 * auditing on, sizes auditd's log for whole boots, and on request the kernel arguments and the
 * {@code --boot-only} unit. Every change goes to the consumer as it is made, and is recorded in
 * {@code etc/bootaudit/enable.manifest}, from which {@link #disable} undoes exactly that. An edited
 * file keeps its original in {@code NAME.bootaudit-backup}; a second run keeps that first backup.
 */
public final class RootSetup {
  /**
   * Kernel memory for one record held before auditd connects: an skb from {@code
   * nlmsg_new(AUDIT_BUFSIZ = 1024)}, that is a {@code struct sk_buff} (~256 bytes) and a 2 KiB
   * data buffer (1 KiB plus headers and {@code skb_shared_info}, rounded to kmalloc's 2 KiB).
   * A record longer than ~1 KiB grows its buffer.
   */
  public static final int RECORD_BYTES = 256 + 2048;

  /** Where enable puts the rules, among the root's other rules.d fragments. */
  public static final String RULES_FILE = Layout.ROOT_RULES;

  /** The record of enable's changes, relative to the root. */
  public static final String MANIFEST = Layout.MANIFEST;

  /** The {@code --boot-only} unit. */
  public static final String BOOT_ONLY_UNIT = Layout.BOOT_ONLY_UNIT;

  /** The {@code --boot-only} script, relative to the root. */
  public static final String BOOT_ONLY_SCRIPT = Layout.BOOT_ONLY_SCRIPT;

  /** What one boot writes to auditd's log with the early-boot rules, in MB, rounded up. */
  public static final int BOOT_MB = AuditdConf.BOOT_MB;

  /** The {@code max_log_file} enable raises auditd.conf's to, in MB: two boots. */
  public static final int MAX_LOG_FILE_MB = AuditdConf.MAX_LOG_FILE_MB;

  /** The {@code num_logs} enable raises auditd.conf's to. */
  public static final int NUM_LOGS = AuditdConf.NUM_LOGS;

  private static final Pattern BACKLOG_RULE = Pattern.compile("[ \\t]*-b[ \\t]+\\S+[ \\t]*");
  private static final Pattern LOCK = Pattern.compile("(?m)^[ \\t]*-e[ \\t]+2[ \\t]*$");

  private final Path root;
  private Optional<Path> rules = Optional.empty();
  private int backlog = Injector.DEFAULT_BACKLOG;
  private boolean kernelArguments;
  private boolean bootOnly;
  private boolean dryRun;

  RootSetup(Path root) {
    this.root = root;
  }

  /** Rules to install instead of the early-boot profile; linted for early boot. */
  public RootSetup rules(Path file) {
    this.rules = Optional.of(file);
    return this;
  }

  /** The backlog limit for the hooks and the kernel command line (at least {@link Injector#MIN_BACKLOG}). */
  public RootSetup backlog(int records) {
    if (records < Injector.MIN_BACKLOG) {
      throw new IllegalArgumentException(
          "backlog " + records + ": expected at least " + Injector.MIN_BACKLOG);
    }
    this.backlog = records;
    return this;
  }

  /** Also put the kernel arguments wherever the root keeps the kernel command line. */
  public RootSetup kernelArguments(boolean apply) {
    this.kernelArguments = apply;
    return this;
  }

  /** Audit with these rules only until the login prompt (a systemd unit then loads the root's own). */
  public RootSetup bootOnly(boolean bootOnly) {
    this.bootOnly = bootOnly;
    return this;
  }

  /** Say every change, make none. */
  public RootSetup dryRun(boolean dryRun) {
    this.dryRun = dryRun;
    return this;
  }

  // -- enable

  /**
   * Makes the changes, each given to {@code out} as it is made; the manifest is written last,
   * also when a change fails half-way (so that disable undoes what was done).
   *
   * @throws InjectionRefusedException when the root is not a directory, the rules have an error
   *     for early boot (nothing written), or a file in the way is not enable's
   * @throws ManifestFormatException (unchecked) when the root's manifest is damaged
   */
  public void enable(Consumer<RootChange> out) throws IOException {
    requireDirectory();
    String text = rulesText();
    List<CommandLineEdit> cmdline = planKernelArguments();
    long effective = Math.max(
        backlog, cmdline.stream().mapToLong(CommandLineEdit::backlog).max().orElse(0));
    RootWriter writer =
        new RootWriter(root, Manifest.read(root).orElse(Manifest.empty()), dryRun, out);
    try {
      enable(writer, text, cmdline, effective);
    } catch (IOException | RuntimeException e) {
      try {
        writer.finish();
      } catch (IOException | RuntimeException f) {
        e.addSuppressed(f);
      }
      throw e;
    }
    writer.finish();
  }

  private void enable(RootWriter w, String text, List<CommandLineEdit> cmdline, long effective)
      throws IOException {
    w.put(
        new RootFile(Layout.ROOT_RULES, forRoot(text).getBytes(StandardCharsets.UTF_8), 0640),
        "the rules, for the root's augenrules");
    if (Files.exists(root.resolve("usr/lib/systemd/systemd-journald"))
        || Files.exists(root.resolve("lib/systemd/systemd-journald"))) {
      w.put(
          new RootFile(
              Layout.ROOT_JOURNALD, Hooks.JOURNALD_CONF.getBytes(StandardCharsets.UTF_8), 0644),
          "Audit=yes: journald would switch auditing off when it starts");
    }
    hooks(w, text, effective);
    if (bootOnly) {
      bootOnly(w);
    }
    auditdConf(w);
    if (kernelArguments) {
      kernelArguments(w, cmdline);
    } else {
      w.note("kernel arguments needed (not applied; add --kernel-args): "
          + Injector.kernelArguments(effective));
    }
    w.note(String.format(
        "backlog: %d records, about %d MiB of kernel memory at most, only while records are held"
            + " before auditd starts (a record: a ~256-byte sk_buff with a 2 KiB buffer)",
        effective, Math.round(effective * RECORD_BYTES / 1048576.0)));
  }

  /**
   * A root can have both generators; dracut's module dir is there with dracut itself. On a root
   * with dracut alone (it replaces initramfs-tools, as on RHEL), initramfs-tools' hooks are noise.
   */
  private void hooks(RootWriter w, String text, long effective) throws IOException {
    boolean dracut = Files.isDirectory(root.resolve(Layout.DRACUT_DIR));
    boolean initramfsTools = Files.exists(root.resolve(Layout.UPDATE_INITRAMFS));
    if (initramfsTools || !dracut) {
      for (RootFile f : Hooks.initramfsTools(text, effective)) {
        w.put(f, "initramfs-tools: run update-initramfs -u in that root");
      }
    }
    if (dracut) {
      for (RootFile f : Hooks.dracutModule(text.getBytes(StandardCharsets.UTF_8), effective)) {
        w.put(f, "dracut: run dracut -f in that root");
      }
    }
    if (!dracut && !initramfsTools) {
      w.note("note: " + root + " has no " + Layout.UPDATE_INITRAMFS + " and no " + Layout.DRACUT_DIR
          + ": the hooks act"
          + " only where initramfs-tools or dracut builds the images; otherwise inject each image with 'bootaudit"
          + " initramfs inject'");
    }
  }

  /** The command lines' new bytes; without kernel arguments only to learn the backlog limits already there. */
  private List<CommandLineEdit> planKernelArguments() throws IOException {
    try {
      return new KernelArguments(backlog).plan(root);
    } catch (IOException e) {
      if (kernelArguments) {
        throw e;
      }
      return List.of();
    }
  }

  private static void kernelArguments(RootWriter w, List<CommandLineEdit> plan) throws IOException {
    boolean grub = false;
    for (CommandLineEdit e : plan) {
      KernelCommandLine c = e.result();
      boolean changed = w.edit(w.rel(c.file()), e.content(), String.join("; ", c.lines()));
      e.notes().forEach(n -> w.note("  " + n));
      grub |= changed && c.place() == KernelCommandLine.Place.GRUB_DEFAULT;
    }
    if (grub) {
      w.note("  run update-grub in that root to make the change to etc/default/grub take effect");
    }
  }

  private void bootOnly(RootWriter w) throws IOException {
    for (RootFile f : Hooks.bootOnly()) {
      w.put(
          f, "--boot-only: at the login prompt, the root's own rules replace the early-boot rules");
    }
    w.link(
        Layout.BOOT_ONLY_WANTS,
        Layout.BOOT_ONLY_WANTS_TARGET,
        "systemctl enable " + Layout.BOOT_ONLY_UNIT);
    lockingRules()
        .ifPresent(
            f -> w.note(
                "note: " + f + " locks the rules (-e 2) when auditd loads it: from then on no"
                    + " rule can change until reboot, so the early-boot rules stay; remove -e 2 for --boot-only"));
  }

  /**
   * The first of the root's other rules files that locks the rules ({@code -e 2}): once augenrules
   * loads it, no rule can change until reboot, the boot-only unit's included.
   */
  private Optional<Path> lockingRules() throws IOException {
    Path dir = root.resolve(Layout.ROOT_RULES_DIR);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".rules")).sorted().toList()) {
        if (!f.endsWith(Layout.ROOT_RULES_NAME)
            && Files.isRegularFile(f)
            && LOCK.matcher(Files.readString(f, StandardCharsets.ISO_8859_1)).find()) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  private void auditdConf(RootWriter w) throws IOException {
    Path conf = w.at(AuditdConf.FILE);
    if (!Files.isRegularFile(conf)) {
      w.note("note: " + root + " has no " + AuditdConf.FILE
          + " (is auditd installed?); once it has, run enable"
          + " again to size the log for whole boots");
      return;
    }
    AuditdConf.Sized sized =
        AuditdConf.size(new String(Files.readAllBytes(conf), StandardCharsets.ISO_8859_1));
    byte[] bytes = sized.text().getBytes(StandardCharsets.ISO_8859_1);
    w.edit(
        AuditdConf.FILE,
        bytes,
        sized.changes().isEmpty()
            ? "max_log_file and num_logs keep whole boots already"
            : String.join("; ", sized.changes()));
    sized.notes().forEach(n -> w.note("  " + n));
  }

  private String rulesText() throws IOException {
    String name = rules.map(Path::toString).orElse("profile:early-boot");
    String text = rules.isPresent()
        ? Files.readString(rules.get())
        : AuditRules.profileText("early-boot").orElseThrow();
    Injector.lint(text, name);
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
  public static String forRoot(String rules) {
    return rules
        .lines()
        .filter(l -> !l.strip().equals("-D") && !BACKLOG_RULE.matcher(l).matches())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private void requireDirectory() throws InjectionRefusedException {
    if (!Files.isDirectory(root)) {
      throw new InjectionRefusedException(root + ": expected the directory of a root file system");
    }
  }

  // -- disable

  /**
   * Undoes what enable did, from its manifest: removes what it added, restores what it edited
   * byte-identical from the backups (a file changed since is left, with its backup), removes the
   * manifest, then the directories it made that are empty, and says what to rebuild.
   *
   * @throws InjectionRefusedException when the root is not a directory or has no manifest
   * @throws ManifestFormatException (unchecked) when the manifest is damaged
   */
  public void disable(Consumer<RootChange> out) throws IOException {
    requireDirectory();
    Manifest manifest = Manifest.read(root)
        .orElseThrow(
            () -> new InjectionRefusedException(
                root + ": no " + Manifest.FILE
                    + ", so nothing to undo: 'bootaudit enable' has not run on this root (or it was undone already)"));
    new RootUndo(root, dryRun, new RootWriter(root, manifest, true, out), out).run(manifest);
  }
}
