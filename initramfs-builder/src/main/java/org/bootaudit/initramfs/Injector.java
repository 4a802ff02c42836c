package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.Stage;

/**
 * Adds early-boot auditing to an image; made by {@link Initramfs#injector()}.
 *
 * <p>Every mode ships {@code /bootaudit/auditctl}, its loader and every library of its
 * DT_NEEDED closure in {@code /bootaudit/lib}, and {@code /bootaudit/audit.rules}, plus a hook
 * that loads the rules: {@link Mode#WRAP} a POSIX sh {@code /init} that then {@code exec}s
 * {@code /init.orig} (the original {@code /init}; a symlink stays a symlink), the native modes
 * the image's own hook for its generator. Every original byte stays identical.
 *
 * <p>Layout. New files go into one uncompressed newc segment inserted before the image's first
 * compressed segment (after any early microcode cpio, which the kernel must find first): the
 * kernel unpacks it before the image's own files, and Debian's {@code unmkinitramfs} and
 * {@code lsinitramfs}, which read leading uncompressed archives and then the rest as one
 * compressed stream, list it. Files that must replace one of the image's ({@code /init} for
 * wrap, {@code scripts/init-top/ORDER} for initramfs-tools) go into a second segment after the
 * last one, compressed like it (later entries win in the kernel, and a multi-member stream of
 * the same format keeps those tools working). An image without a compressed segment gets one
 * appended uncompressed segment.
 */
public final class Injector {
  /**
   * The kernel's audit backlog limit bootaudit asks for unless told otherwise: the records the
   * kernel may hold before auditd connects (the kernel's own default is 64). The early-boot
   * profile's, measured and explained at {@link AuditRules#EARLY_BOOT_BACKLOG}: the kernel
   * arguments, every hook's {@code auditctl -b} and the rules a root gets from {@code bootaudit
   * enable} follow it.
   */
  public static final int DEFAULT_BACKLOG = AuditRules.EARLY_BOOT_BACKLOG;

  /** The smallest backlog limit DISA's STIG accepts (RHEL-09-653120, V-258173: at least 8192). */
  public static final int MIN_BACKLOG = 8192;

  /** The kernel command line auditing from the initramfs needs, with {@link #DEFAULT_BACKLOG}. */
  public static final String KERNEL_ARGUMENTS = kernelArguments(DEFAULT_BACKLOG);

  /** Debian's journald (Audit=no by default) would switch kernel auditing off when it starts. */
  public static final String JOURNALD_CONF = Hooks.JOURNALD_CONF;

  /** How the hook is installed. */
  public enum Mode {
    /** Choose from the image: wrap, the earliest hook, which works for every image type. */
    AUTO,
    /** A wrapper {@code /init} runs before the original one (works for every image type). */
    WRAP,
    /**
     * initramfs-tools: {@code scripts/init-top/bootaudit} and a new {@code
     * scripts/init-top/ORDER} running it first (later entries win, so the original ORDER stays
     * untouched in its segment). Runs after /dev, /proc and /sys are mounted, before udev.
     */
    INITRAMFS_TOOLS,
    /**
     * dracut: {@code lib/dracut/hooks/cmdline/00-bootaudit.sh}, sourced first among the cmdline
     * hooks by dracut's shell init (after /proc, /sys, /dev and /run are mounted, before udev), or
     * by {@code dracut-cmdline.service} in a systemd image.
     */
    DRACUT,
    /**
     * systemd initrd: {@code etc/systemd/system/bootaudit.service}, a oneshot unit without
     * default dependencies ordered before {@code sysinit.target} and the udev and tmpfiles units,
     * wanted by {@code sysinit.target}. Needs no shell: it runs auditctl through its loader.
     */
    SYSTEMD
  }

  /** Which generator built an image, told from its files. */
  public enum Generator {
    /** Debian/Ubuntu initramfs-tools ({@code scripts/init-top}, {@code conf/initramfs.conf}). */
    INITRAMFS_TOOLS,
    /** dracut ({@code usr/lib/dracut}). */
    DRACUT,
    /** A systemd initrd other than dracut ({@code etc/initrd-release} and systemd as /init). */
    SYSTEMD,
    /** None of the above (e.g. a hand-made or busybox image). */
    UNKNOWN
  }

  /** Tells which generator built {@code image}. */
  public static Generator detect(Image image) {
    ImagePaths p = new ImagePaths(image);
    if (p.get("scripts/init-top").isPresent() && p.get("conf/initramfs.conf").isPresent()) {
      return Generator.INITRAMFS_TOOLS;
    }
    if (p.get("usr/lib/dracut").isPresent()) {
      return Generator.DRACUT;
    }
    if (p.get("etc/initrd-release").isPresent()) {
      return Generator.SYSTEMD;
    }
    return Generator.UNKNOWN;
  }

  /** Where the journald drop-in goes in the image, if it has systemd-journald. */
  static Optional<String> journaldDropIn(ImagePaths p) {
    boolean journald = p.resolve("usr/lib/systemd/systemd-journald").isPresent()
        || p.resolve("lib/systemd/systemd-journald").isPresent();
    return journald
        ? Optional.of(p.canonical(Layout.JOURNALD_DROP_IN_DIR) + "/" + Layout.JOURNALD_DROP_IN)
        : Optional.empty();
  }

  /** Whether the image's {@code /init} is systemd (directly or through symlinks). */
  static boolean systemdInit(ImagePaths p) {
    return p.resolve("init").map(e -> e.path().endsWith("systemd/systemd")).orElse(false);
  }

  private Path auditctl = Path.of("/usr/sbin/auditctl");
  private Mode mode = Mode.AUTO;
  private Optional<Path> rules = Optional.empty();
  private Optional<String> rulesText = Optional.empty();
  private Reader reader = new Reader();
  private long backlog = DEFAULT_BACKLOG;

  Injector() {}

  /** The kernel command line auditing from the initramfs needs, with this backlog limit. */
  public static String kernelArguments(long backlog) {
    return "audit=1 audit_backlog_limit=" + backlog;
  }

  /**
   * The backlog limit the hooks set with {@code auditctl -b} after loading the rules (default
   * {@link #DEFAULT_BACKLOG}); it overrides a {@code -b} in the rules.
   */
  public Injector backlog(long records) {
    if (records < 1) {
      throw new IllegalArgumentException(
          "backlog limit " + records + ": expected a positive number of records");
    }
    this.backlog = records;
    return this;
  }

  /** The auditctl to ship (default {@code /usr/sbin/auditctl}); its libraries come from this machine. */
  public Injector auditctl(Path path) {
    this.auditctl = path;
    return this;
  }

  /** How to hook in (default {@link Mode#AUTO}). */
  public Injector mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** A rules file to load at boot instead of the early-boot profile. */
  public Injector rules(Path path) {
    this.rules = Optional.of(path);
    this.rulesText = Optional.empty();
    return this;
  }

  /** Rules text (e.g. the rules module's early-boot profile) to load instead of the built-in one. */
  public Injector rulesText(String text) {
    this.rulesText = Optional.of(text);
    this.rules = Optional.empty();
    return this;
  }

  private byte[] rulesBytes() throws IOException {
    if (rules.isPresent()) {
      return Files.readAllBytes(rules.get());
    }
    return rulesText.isPresent()
        ? rulesText.get().getBytes(StandardCharsets.UTF_8)
        : defaultRules();
  }

  /** The reader (and so the limits) used for the input and for reading the output back. */
  public Injector reader(Reader reader) {
    this.reader = reader;
    return this;
  }

  /** The default rules: the rules module's {@code early-boot} profile. */
  public static byte[] defaultRules() {
    return AuditRules.profileText("early-boot").orElseThrow().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code image} plus the audit hook to {@code out} (atomically; the input is never
   * modified unless {@code inPlace}, which keeps {@code IMAGE.bootaudit-backup}). Rules given with
   * {@link #rules} or {@link #rulesText} are linted for early boot first: an error refuses the
   * injection, a warning is in the result's warnings. Then the image is read once and checked for
   * the mode (nothing is written when it is refused), and the hook installed.
   *
   * @throws InjectionRefusedException when injection cannot work on this image or with these rules
   * @throws InitramfsFormatException (unchecked) when the image is malformed or hostile
   */
  public InjectResult inject(Path image, Path out, boolean inPlace) throws IOException {
    List<String> warnings = new ArrayList<>();
    byte[] bytes = rulesBytes();
    if (rules.isPresent() || rulesText.isPresent()) {
      warnings.addAll(lint(
          new String(bytes, StandardCharsets.UTF_8), rules.map(Path::toString).orElse("rules")));
    }
    Injection injection = new Injection(image, reader, mode, auditctl, bytes, backlog, warnings);
    injection.check();
    return injection.install(out, inPlace);
  }

  /**
   * Lints rules for early boot: the first error refuses, the warnings are returned as lines.
   *
   * @throws InjectionRefusedException naming the rule ({@code FILE:LINE:COL: ...}) and saying
   *     nothing was written
   */
  static List<String> lint(String text, String name) throws InjectionRefusedException {
    List<String> warnings = new ArrayList<>();
    for (Finding f : AuditRules.lint(text, name, Stage.EARLY_BOOT)) {
      if (f.severity() == Finding.Severity.ERROR) {
        throw new InjectionRefusedException(f + " (rules for early boot; nothing written)");
      }
      warnings.add(f.toString());
    }
    return warnings;
  }

  /**
   * Puts {@link #KERNEL_ARGUMENTS} into every file of the target root {@code root} that holds the
   * kernel command line: {@code etc/default/grub} ({@code GRUB_CMDLINE_LINUX}; conflicting values
   * in {@code GRUB_CMDLINE_LINUX_DEFAULT} are replaced too; update-grub must still be run), the
   * {@code options} of Boot Loader Specification entries in {@code boot/loader/entries}, {@code
   * efi/loader/entries} and {@code boot/efi/loader/entries} (what {@code grubby
   * --update-kernel=ALL --args=} edits; entries with another machine-id than the root's are left
   * alone), {@code kernelopts} in {@code boot/grub2/grubenv} (for entries with {@code options
   * $kernelopts}; the block stays 1024 bytes) and {@code etc/kernel/cmdline}. Other values of the
   * same keys are replaced (a larger {@code audit_backlog_limit} stays), missing arguments
   * appended, every other byte kept; a file that changes is first copied to {@code
   * NAME.bootaudit-backup} unless that exists already (so it stays the original), then replaced
   * atomically with its permissions, and recorded in the root's manifest as {@link RootSetup#enable}
   * records it (so that {@code bootaudit disable} restores it). grubby is never run. Call only on
   * the user's explicit request.
   *
   * @return each such file, in that order, with whether it changed (a second call changes none)
   * @throws IOException when the root has none of them (the message names what was looked for),
   *     or one cannot be edited (then nothing is written)
   */
  public static List<KernelCommandLine> applyKernelArguments(Path root) throws IOException {
    return KernelArguments.apply(root);
  }

  /**
   * What {@link #applyKernelArguments} would do with {@code audit_backlog_limit=backlog}, nothing
   * written: each file's new bytes, its lines and notes on the backlog values it had.
   *
   * @throws IOException as {@link #applyKernelArguments} does
   */
  public static List<CommandLineEdit> planKernelArguments(Path root, int backlog)
      throws IOException {
    return new KernelArguments(backlog).plan(root);
  }

  /**
   * Writes the initramfs-tools pair under the target root {@code root} so that every image
   * {@code update-initramfs} builds from now on starts auditing; see {@link
   * #initramfsToolsHookFiles}. Each file is written to a temporary file and renamed, by the writer
   * {@link RootSetup#enable} uses: recorded in the root's manifest (so that {@code bootaudit
   * disable} undoes it), a file of the same name that bootaudit did not write kept in {@code
   * etc/bootaudit/backup/}.
   *
   * @return the files written
   */
  public List<Path> writeInitramfsToolsHooks(Path root) throws IOException {
    return RootWriter.writeAll(
        root, initramfsToolsHookFiles(), "initramfs-tools: run update-initramfs -u in that root");
  }

  /**
   * The initramfs-tools pair for a target root: {@code etc/initramfs-tools/hooks/bootaudit}
   * (copies the root's {@code /usr/sbin/auditctl} with {@code copy_exec} and writes the rules,
   * which it carries inline) and {@code etc/initramfs-tools/scripts/init-top/bootaudit} (loads
   * them before udev, then sets the backlog limit).
   */
  public List<RootFile> initramfsToolsHookFiles() throws IOException {
    return Hooks.initramfsTools(new String(rulesBytes(), StandardCharsets.UTF_8), backlog);
  }

  /**
   * Writes the dracut module {@code usr/lib/dracut/modules.d/99bootaudit} under the target root
   * {@code root} so that every image that root's {@code dracut} builds from now on starts
   * auditing; see {@link #dracutModuleFiles}. Each file is written to a temporary file and
   * renamed, {@code module-setup.sh} last, and recorded as {@link #writeInitramfsToolsHooks} says.
   *
   * @return the files written
   */
  public List<Path> writeDracutModule(Path root) throws IOException {
    return RootWriter.writeAll(root, dracutModuleFiles(), "dracut: run dracut -f in that root");
  }

  /**
   * The dracut module {@code usr/lib/dracut/modules.d/99bootaudit} for a target root: {@code
   * audit.rules} (these rules, as a file), the journald drop-in, {@code bootaudit.sh}, {@code
   * bootaudit.service} and {@code module-setup.sh}, whose {@code check()} includes the module
   * wherever auditctl exists (and skips it otherwise) and whose {@code install()} copies the
   * root's auditctl (dracut adds its libraries) to {@code /usr/sbin/auditctl} and the rules to
   * {@code /etc/bootaudit/audit.rules}, adds the drop-in when the image has journald, and hooks
   * in: in a systemd image a unit like {@link Mode#SYSTEMD}'s, wanted by {@code sysinit.target};
   * otherwise {@code cmdline/00-bootaudit.sh} as {@link Mode#DRACUT}'s. {@link #verify}
   * recognises the images built so. In the order to write them, {@code module-setup.sh} last
   * (dracut only takes a directory with that file as a module).
   */
  public List<RootFile> dracutModuleFiles() throws IOException {
    return Hooks.dracutModule(rulesBytes(), backlog);
  }

  /**
   * Checks an injected image: the wrapper is {@code /init} and parses with {@code sh -n}, the
   * original init, {@code /bin/sh}, auditctl, its loader and every library it needs are present,
   * and the rules pass a lint for early boot.
   */
  public Verification verify(Path image) throws IOException {
    Image in = reader.read(image);
    ImagePaths paths = new ImagePaths(in);
    return new Verifier(in, paths, reader).run();
  }
}
