package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bootaudit.rules.AuditRules;

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

  static final String MARKER = "# bootaudit-wrapper 1";
  static final String INIT_TOP_MARKER = "# bootaudit-init-top 1";
  static final String DRACUT_MARKER = "# bootaudit-dracut 1";
  static final String UNIT_MARKER = "# bootaudit-unit 1";
  static final String ORDER = "scripts/init-top/ORDER";
  static final String ORDER_LINE = "/scripts/init-top/bootaudit \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n";
  static final String DIR = "bootaudit";
  /** dracut's hook directory as its init names it (under usr/ in merged-/usr images). */
  static final String DRACUT_HOOKS = "lib/dracut/hooks";
  static final String DRACUT_HOOK = "cmdline/00-bootaudit.sh";
  static final String UNIT_DIR = "etc/systemd/system";
  static final String UNIT = "bootaudit.service";
  static final String UNIT_WANTS = "sysinit.target.wants/" + UNIT;
  static final String JOURNALD_DROP_IN_DIR = "etc/systemd/journald.conf.d";
  /** Sorts after other drop-ins, so its setting wins. */
  static final String JOURNALD_DROP_IN = "zz-bootaudit.conf";
  /** Debian's journald (Audit=no by default) would switch kernel auditing off when it starts. */
  public static final String JOURNALD_CONF = String.join("\n",
      "# Added by bootaudit. systemd-journald switches kernel auditing off when it starts unless",
      "# Audit=yes (Debian's default is Audit=no), and nothing would be recorded from then until",
      "# auditd starts. Audit=yes only keeps auditing on; journald collects records either way.",
      "[Journal]",
      "Audit=yes",
      "");
  /** The largest /init kept as /init.orig (systemd is about 100 KiB, busybox 2 MiB). */
  static final int MAX_INIT = 64 << 20;

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
    return journald ? Optional.of(p.canonical(JOURNALD_DROP_IN_DIR) + "/" + JOURNALD_DROP_IN) : Optional.empty();
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
      throw new IllegalArgumentException("backlog limit " + records + ": expected a positive number of records");
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
    return rulesText.isPresent() ? rulesText.get().getBytes(StandardCharsets.UTF_8) : defaultRules();
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
   * modified unless {@code inPlace}, which keeps {@code IMAGE.bootaudit-backup}).
   *
   * @throws InjectionRefusedException when injection cannot work on this image
   */
  public InjectResult inject(Path image, Path out, boolean inPlace) throws IOException {
    // One pass: keep the head of every file (to tell /bin/sh's architecture, wherever its
    // symlinks and hard links lead) and all of any file stored as /init or ORDER.
    Map<Entry, byte[]> data = new IdentityHashMap<>();
    Image in = reader.scan(image, (segment, e, content) -> {
      if (e.kind() == Entry.Kind.FILE) {
        data.put(e, content.readNBytes(e.path().equals("init") || e.path().equals(ORDER) ? MAX_INIT : 20));
      }
    });
    List<String> warnings = new ArrayList<>();
    Segment last = in.segments().get(in.segments().size() - 1);
    ImagePaths paths = new ImagePaths(in);
    Generator generator = detect(in);
    Mode chosen = mode == Mode.AUTO ? Mode.WRAP : mode;
    String what = generator.toString().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    if (paths.get("init.orig").isPresent() || paths.get(DIR).isPresent()) {
      throw new InjectionRefusedException(image + ": already injected (/init.orig or /" + DIR + " exists)");
    }
    for (String hook : List.of(paths.canonical(DRACUT_HOOKS) + "/" + DRACUT_HOOK, paths.canonical(UNIT_DIR) + "/" + UNIT,
        paths.canonical("usr/lib/systemd/system") + "/" + UNIT)) {
      if (paths.get(hook).isPresent()) {
        throw new InjectionRefusedException(image + ": already starts auditing (/" + hook + ", from bootaudit's dracut"
            + " module or an injection); the rules would load twice");
      }
    }
    Entry init = paths.get("init").orElseThrow(() -> new InjectionRefusedException(
        image + ": has no /init, so the kernel would not run one; nothing to hook into"));
    if (init.kind() != Entry.Kind.FILE && init.kind() != Entry.Kind.SYMLINK) {
      throw new InjectionRefusedException(image + ": /init is a " + init.kind() + ", not a file or symlink");
    }
    switch (chosen) {
      case INITRAMFS_TOOLS -> {
        if (generator != Generator.INITRAMFS_TOOLS) {
          throw new InjectionRefusedException(image + ": is not an initramfs-tools image (it looks like " + what
              + "); use the wrap mode");
        }
      }
      case DRACUT -> {
        if (paths.get(paths.canonical(DRACUT_HOOKS) + "/cmdline").filter(e -> e.kind() == Entry.Kind.DIRECTORY).isEmpty()) {
          throw new InjectionRefusedException(image + ": has no /" + DRACUT_HOOKS + "/cmdline, so it is not a dracut"
              + " image (it looks like " + what + "); use the wrap mode");
        }
      }
      case SYSTEMD -> {
        if (!systemdInit(paths)) {
          throw new InjectionRefusedException(image + ": /init is not systemd, so no unit would run (it looks like "
              + what + "); use the wrap mode");
        }
      }
      default -> { }
    }
    Optional<Entry> sh = paths.resolve("bin/sh");
    if (sh.isEmpty() && chosen != Mode.SYSTEMD) {
      throw new InjectionRefusedException(image + ": has no /bin/sh to run the "
          + (chosen == Mode.WRAP ? "wrapper" : "hook"));
    }
    HostLibraries libs = HostLibraries.of(auditctl);
    Optional<Entry> probe = sh.or(() -> paths.resolve("init"));
    byte[] head = probe.map(e -> data.getOrDefault(paths.dataHolder(e), new byte[0])).orElse(new byte[0]);
    if (Elf.isElf(head)) {
      String imageArch = Elf.archOf(head);
      if (!imageArch.equals(libs.executable().arch())) {
        throw new InjectionRefusedException(String.format("%s: its /%s is %s but %s is %s; pass --auditctl"
            + " built for the image's architecture", image, sh.isPresent() ? "bin/sh" : "init", imageArch, auditctl,
            libs.executable().arch()));
      }
    } else {
      warnings.add("cannot tell the image's architecture (/" + (sh.isPresent() ? "bin/sh" : "init")
          + " is not ELF); assuming " + libs.executable().arch());
    }

    // New names go first (before the image's own files); replacements go last.
    boolean compressed = in.segments().stream().anyMatch(s -> s.compression() != Compression.NONE);
    NewcWriter first = new NewcWriter(init.mtime());
    NewcWriter replacing = compressed ? new NewcWriter(init.mtime()) : first;
    List<String> added = new ArrayList<>();
    first.dir(DIR, 0755).dir(DIR + "/lib", 0755);
    added.add(DIR + "/auditctl");
    first.file(DIR + "/auditctl", 0755, Files.readAllBytes(auditctl));
    String loader = "";
    if (libs.loader().isPresent()) {
      loader = libs.loader().get().getFileName().toString();
      first.file(DIR + "/lib/" + loader, 0755, Files.readAllBytes(libs.loader().get()));
      added.add(DIR + "/lib/" + loader);
    }
    for (Map.Entry<String, Path> lib : libs.libraries().entrySet()) {
      if (!lib.getKey().equals(loader)) {
        first.file(DIR + "/lib/" + lib.getKey(), 0755, Files.readAllBytes(lib.getValue()));
        added.add(DIR + "/lib/" + lib.getKey());
      }
    }
    first.file(DIR + "/audit.rules", 0644, rulesBytes());
    added.add(DIR + "/audit.rules");
    boolean replaces = true;
    switch (chosen) {
      case INITRAMFS_TOOLS -> {
        Entry order = paths.get(ORDER).filter(e -> e.kind() == Entry.Kind.FILE).orElseThrow(() ->
            new InjectionRefusedException(image + ": has no /" + ORDER + " to run the hook from"));
        String original = new String(data.get(paths.dataHolder(order)), StandardCharsets.ISO_8859_1);
        String script = paths.canonical("scripts/init-top") + "/bootaudit";
        parents(first, paths, script, image);
        first.file(script, 0755, initTop(loader, backlog).getBytes(StandardCharsets.UTF_8));
        replacing.file(ORDER, order.mode() & 07777, (ORDER_LINE + original).getBytes(StandardCharsets.ISO_8859_1));
        added.add(script);
        added.add(ORDER);
      }
      case DRACUT -> {
        String hook = paths.canonical(DRACUT_HOOKS) + "/" + DRACUT_HOOK;
        parents(first, paths, hook, image);
        first.file(hook, 0644, dracutHook(loader, backlog).getBytes(StandardCharsets.UTF_8));
        added.add(hook);
        replaces = false;
      }
      case SYSTEMD -> {
        String dir = paths.canonical(UNIT_DIR);
        String wants = dir + "/" + UNIT_WANTS;
        parents(first, paths, wants, image);
        first.file(dir + "/" + UNIT, 0644, unit(loader, backlog).getBytes(StandardCharsets.UTF_8));
        first.symlink(wants, "../" + UNIT);
        added.add(dir + "/" + UNIT);
        added.add(wants);
        replaces = false;
      }
      default -> {
        Entry initData = paths.dataHolder(init);
        if (init.kind() == Entry.Kind.SYMLINK) {
          first.symlink("init.orig", init.linkTarget());
        } else {
          byte[] original = initData.path().equals("init") ? data.get(initData) : reader.readData(in, initData, MAX_INIT);
          if (original.length != initData.size()) {
            throw new InjectionRefusedException(image + ": /init is larger than " + MAX_INIT + " bytes; not a script or init");
          }
          first.file("init.orig", init.mode() & 07777, original);
        }
        added.add("init.orig");
        replacing.file("init", 0755, wrapper(loader, backlog).getBytes(StandardCharsets.UTF_8));
        added.add("init");
      }
    }
    // Debian's journald turns kernel auditing off when it starts (journald.conf Audit=no)
    Optional<String> dropIn = journaldDropIn(paths);
    if (dropIn.isPresent() && paths.get(dropIn.get()).isEmpty()) {
      parents(first, paths, dropIn.get(), image);
      first.file(dropIn.get(), 0644, JOURNALD_CONF.getBytes(StandardCharsets.UTF_8));
      added.add(dropIn.get());
    }
    byte[] appended = new byte[0];
    long insertAt = in.size();
    if (compressed) {
      insertAt = in.segments().stream().filter(s -> s.compression() != Compression.NONE).findFirst().orElseThrow().offset();
      if (replaces) {
        appended = replacing.finish();
        if (Encoder.canAppend(last.compression())) {
          appended = Encoder.encode(last.compression(), appended);
        } else if (last.compression() != Compression.NONE) {
          warnings.add("the last segment is " + last.compression().label() + ", which cannot take another member:"
              + " the replacing segment is appended uncompressed, which the kernel reads but unmkinitramfs and"
              + " lsinitramfs do not");
        }
      }
    }
    long shift = ImageWriter.write(in, insertAt, first.finish(), appended, out, inPlace);
    // The original bytes were copied verbatim; read back only what was added.
    Map<Long, Segment> known = new HashMap<>();
    for (Segment s : in.segments()) {
      known.put(s.offset() >= insertAt ? s.offset() + shift : s.offset(), s);
    }
    Image written = reader.scan(out, (segment, e, content) -> {}, known);
    List<Segment> fresh = written.segments().stream().filter(s -> !known.containsKey(s.offset())).toList();
    return new InjectResult(written, chosen, generator, added, fresh, kernelArguments(backlog), warnings);
  }

  /**
   * Adds a directory entry for every parent of {@code path} (with the image's own mode where
   * it has the directory), so that a segment unpacked before the image's own has them.
   */
  private static void parents(NewcWriter w, ImagePaths paths, String path, Path image) throws InjectionRefusedException {
    String[] parts = path.split("/");
    StringBuilder dir = new StringBuilder();
    for (int i = 0; i < parts.length - 1; i++) {
      dir.append(i == 0 ? "" : "/").append(parts[i]);
      Optional<Entry> e = paths.get(dir.toString());
      if (e.isPresent() && e.get().kind() != Entry.Kind.DIRECTORY) {
        throw new InjectionRefusedException(image + ": /" + dir + " is a " + e.get().kind().toString()
            .toLowerCase(java.util.Locale.ROOT) + " (a dangling symlink?), not a directory; cannot add /" + path);
      }
      w.dir(dir.toString(), e.map(x -> x.mode() & 07777).orElse(0755));
    }
  }

  /** The wrapper {@code /init}: may never stop the boot, needs nothing but sh and its own files. */
  static String wrapper(String loader, long backlog) {
    return String.join("\n",
        "#!/bin/sh",
        MARKER,
        "# Added by bootaudit: start Linux audit before init, then run the original /init (now /init.orig).",
        audit(loader, backlog),
        "exec /init.orig \"$@\"",
        "");
  }

  /** The initramfs-tools init-top script: same commands, run from ORDER before udev. */
  static String initTop(String loader, long backlog) {
    return String.join("\n",
        "#!/bin/sh",
        INIT_TOP_MARKER,
        "# Added by bootaudit: start Linux audit early in the initramfs (first in init-top).",
        "case \"$1\" in prereqs) exit 0 ;; esac",
        audit(loader, backlog),
        "exit 0",
        "");
  }

  /** The dracut cmdline hook: sourced by dracut's init, so it defines nothing it leaves behind. */
  static String dracutHook(String loader, long backlog) {
    return String.join("\n",
        "#!/bin/sh",
        DRACUT_MARKER,
        "# Added by bootaudit: start Linux audit early in the initramfs (first cmdline hook; sourced, never exits).",
        audit(loader, backlog),
        "unset -f ba_log ba_ctl",
        "");
  }

  /** The systemd unit: auditctl through its own loader, no shell; a failure is logged and ignored. */
  static String unit(String loader, long backlog) {
    String run = (loader.isEmpty() ? "" : "/" + DIR + "/lib/" + loader + " --inhibit-cache --library-path /" + DIR + "/lib ")
        + "/" + DIR + "/auditctl ";
    return String.join("\n",
        UNIT_MARKER,
        "# Added by bootaudit: start Linux audit early in the initrd.",
        "[Unit]",
        "Description=bootaudit: load the early-boot audit rules",
        "DefaultDependencies=no",
        "ConditionPathExists=/etc/initrd-release",
        "Before=sysinit.target systemd-udevd.service systemd-udev-trigger.service systemd-modules-load.service",
        "Before=systemd-tmpfiles-setup-dev.service systemd-tmpfiles-setup.service systemd-sysctl.service",
        "Before=kmod-static-nodes.service dracut-cmdline.service",
        "",
        "[Service]",
        "Type=oneshot",
        "RemainAfterExit=yes",
        "StandardOutput=kmsg",
        "StandardError=kmsg",
        "ExecStart=-" + run + "-R /" + DIR + "/audit.rules",
        "ExecStart=-" + run + "-b " + backlog,
        "ExecStart=-" + run + "-e 1",
        "",
        "[Install]",
        "WantedBy=sysinit.target",
        "");
  }

  private static String audit(String loader, long backlog) {
    String run = loader.isEmpty()
        ? "\"$BA/auditctl\" \"$@\""
        : "\"$BA/lib/" + loader + "\" --inhibit-cache --library-path \"$BA/lib\" \"$BA/auditctl\" \"$@\"";
    return String.join("\n",
        "# Nothing here may stop the boot: failures are reported and ignored. No /dev/null is needed.",
        "BA=/" + DIR,
        "ba_log() {",
        "\tif [ -c /dev/kmsg ]; then echo \"bootaudit: $*\" > /dev/kmsg; else echo \"bootaudit: $*\" >&2; fi",
        "}",
        "ba_ctl() {",
        "\t" + run,
        "}",
        "ba_out=$(ba_ctl -R \"$BA/audit.rules\" 2>&1) || ba_log \"loading $BA/audit.rules failed: $ba_out\"",
        "ba_out=$(ba_ctl -b " + backlog + " 2>&1) || ba_log \"auditctl -b " + backlog + " failed: $ba_out\"",
        "ba_out=$(ba_ctl -e 1 2>&1) || ba_log \"auditctl -e 1 failed: $ba_out\"",
        "unset BA ba_out");
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
   * atomically with its permissions. grubby is never run. Call only on the user's explicit request.
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
  public static List<CommandLineEdit> planKernelArguments(Path root, int backlog) throws IOException {
    return new KernelArguments(backlog).plan(root);
  }

  /**
   * Writes the initramfs-tools pair under the target root {@code root} so that every image
   * {@code update-initramfs} builds from now on starts auditing; see {@link
   * #initramfsToolsHookFiles}. Each file is written to a temporary file and renamed.
   *
   * @return the files written
   */
  public List<Path> writeInitramfsToolsHooks(Path root) throws IOException {
    return writeAll(root, initramfsToolsHookFiles());
  }

  /**
   * The initramfs-tools pair for a target root: {@code etc/initramfs-tools/hooks/bootaudit}
   * (copies the root's {@code /usr/sbin/auditctl} with {@code copy_exec} and writes the rules,
   * which it carries inline) and {@code etc/initramfs-tools/scripts/init-top/bootaudit} (loads
   * them before udev, then sets the backlog limit).
   */
  public List<RootFile> initramfsToolsHookFiles() throws IOException {
    String rulesText = new String(rulesBytes(),
        StandardCharsets.UTF_8);
    if (rulesText.lines().anyMatch(l -> l.equals("BOOTAUDIT_RULES"))) {
      throw new InjectionRefusedException("the rules file contains the line BOOTAUDIT_RULES, which ends the hook's here-document");
    }
    String hook = String.join("\n",
        "#!/bin/sh",
        "# bootaudit initramfs-tools hook: ship auditctl and the early-boot rules in every initramfs.",
        "PREREQ=\"\"",
        "prereqs() { echo \"$PREREQ\"; }",
        "case \"$1\" in prereqs) prereqs; exit 0 ;; esac",
        ". /usr/share/initramfs-tools/hook-functions",
        "if [ ! -x /usr/sbin/auditctl ]; then",
        "\techo \"bootaudit: /usr/sbin/auditctl missing (install auditd); early audit not added\" >&2",
        "\texit 0",
        "fi",
        "copy_exec /usr/sbin/auditctl /sbin",
        "mkdir -p \"${DESTDIR}/etc/bootaudit\"",
        "cat > \"${DESTDIR}/etc/bootaudit/audit.rules\" <<'BOOTAUDIT_RULES'",
        rulesText.endsWith("\n") ? rulesText + "BOOTAUDIT_RULES" : rulesText + "\nBOOTAUDIT_RULES",
        "");
    String script = String.join("\n",
        "#!/bin/sh",
        INIT_TOP_MARKER,
        "# bootaudit: load the early-boot audit rules before udev. Never stops the boot.",
        "PREREQ=\"\"",
        "prereqs() { echo \"$PREREQ\"; }",
        "case \"$1\" in prereqs) prereqs; exit 0 ;; esac",
        "[ -x /sbin/auditctl ] || exit 0",
        "ba_log() { if [ -c /dev/kmsg ]; then echo \"bootaudit: $*\" > /dev/kmsg; else echo \"bootaudit: $*\" >&2; fi; }",
        "ba_out=$(/sbin/auditctl -R /etc/bootaudit/audit.rules 2>&1) || ba_log \"loading rules failed: $ba_out\"",
        "ba_out=$(/sbin/auditctl -b " + backlog + " 2>&1) || ba_log \"auditctl -b " + backlog + " failed: $ba_out\"",
        "ba_out=$(/sbin/auditctl -e 1 2>&1) || ba_log \"auditctl -e 1 failed: $ba_out\"",
        "exit 0",
        "");
    String conf = "etc/initramfs-tools/";
    return List.of(new RootFile(conf + "hooks/bootaudit", hook.getBytes(StandardCharsets.UTF_8), 0755),
        new RootFile(conf + "scripts/init-top/bootaudit", script.getBytes(StandardCharsets.UTF_8), 0755));
  }

  /**
   * Writes the dracut module {@code usr/lib/dracut/modules.d/99bootaudit} under the target root
   * {@code root} so that every image that root's {@code dracut} builds from now on starts
   * auditing; see {@link #dracutModuleFiles}. Each file is written to a temporary file and
   * renamed, {@code module-setup.sh} last.
   *
   * @return the files written
   */
  public List<Path> writeDracutModule(Path root) throws IOException {
    return writeAll(root, dracutModuleFiles());
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
    return DracutModule.files(rulesBytes(), backlog);
  }

  private static List<Path> writeAll(Path root, List<RootFile> files) throws IOException {
    List<Path> written = new ArrayList<>();
    for (RootFile f : files) {
      written.add(f.writeTo(root));
    }
    return written;
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
