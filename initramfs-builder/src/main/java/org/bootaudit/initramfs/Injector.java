package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds early-boot auditing to an image; made by {@link Initramfs#injector()}.
 *
 * <p>{@link Mode#WRAP} appends one uncompressed, 4-aligned newc segment holding a POSIX sh
 * {@code /init} that loads the rules and then {@code exec}s {@code /init.orig} (the original
 * {@code /init}; a symlink stays a symlink), plus {@code /bootaudit/auditctl}, its loader and
 * every library of its DT_NEEDED closure in {@code /bootaudit/lib}, and {@code
 * /bootaudit/audit.rules}. The kernel unpacks segments in order, so the new {@code /init}
 * wins while every original byte stays where it was. {@link Mode#INITRAMFS_TOOLS} appends the
 * same files with an init-top script instead of a new {@code /init}.
 */
public final class Injector {
  /** The kernel command line auditing from the initramfs needs. */
  public static final String KERNEL_ARGUMENTS = "audit=1 audit_backlog_limit=65536";

  static final String MARKER = "# bootaudit-wrapper 1";
  static final String INIT_TOP_MARKER = "# bootaudit-init-top 1";
  static final String ORDER = "scripts/init-top/ORDER";
  static final String ORDER_LINE = "/scripts/init-top/bootaudit \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n";
  static final String DIR = "bootaudit";
  /** The largest /init kept as /init.orig (systemd is about 100 KiB, busybox 2 MiB). */
  static final int MAX_INIT = 64 << 20;

  /** How the hook is installed. */
  public enum Mode {
    /** Choose from the image: wrap (the earliest hook, works for every image type). */
    AUTO,
    /** Append a segment with a wrapper {@code /init} (works for every image type). */
    WRAP,
    /**
     * initramfs-tools: append a segment with {@code scripts/init-top/bootaudit} and a new {@code
     * scripts/init-top/ORDER} running it first (later entries win, so the original ORDER stays
     * untouched in its segment). Runs after /dev, /proc and /sys are mounted, before udev.
     */
    INITRAMFS_TOOLS
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

  private Path auditctl = Path.of("/usr/sbin/auditctl");
  private Mode mode = Mode.AUTO;
  private Optional<Path> rules = Optional.empty();
  private Optional<String> rulesText = Optional.empty();
  private Reader reader = new Reader();

  Injector() {}

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

  /** A rules file to load at boot instead of the built-in early-boot profile. */
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

  /** The built-in early-boot rules: syscall rules without path filters, {@code -b 65536}, no {@code -e 2}. */
  public static byte[] defaultRules() throws IOException {
    try (InputStream in = Injector.class.getResourceAsStream("early-boot.rules")) {
      if (in == null) {
        throw new IOException("built-in rules missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  /**
   * Writes {@code image} plus the audit hook to {@code out} (atomically; the input is never
   * modified unless {@code inPlace}, which keeps {@code IMAGE.bootaudit-backup}).
   *
   * @throws InjectionRefusedException when injection cannot work on this image
   */
  public InjectResult inject(Path image, Path out, boolean inPlace) throws IOException {
    // One pass: keep the head of every file (to tell /bin/sh's architecture, wherever its
    // symlinks and hard links lead) and all of any file stored as /init.
    Map<Entry, byte[]> data = new IdentityHashMap<>();
    Image in = reader.scan(image, (segment, e, content) -> {
      if (e.kind() == Entry.Kind.FILE) {
        data.put(e, content.readNBytes(e.path().equals("init") || e.path().equals(ORDER) ? MAX_INIT : 20));
      }
    });
    List<String> warnings = new ArrayList<>();
    Segment last = in.segments().get(in.segments().size() - 1);
    if (last.compression() == Compression.LZ4_LEGACY) {
      throw new InjectionRefusedException(String.format("%s: segment %d (lz4-legacy) is last: the kernel reads lz4"
          + " legacy data to the end of the image, so no segment can follow it. Re-encode that segment"
          + " (e.g. with zstd or gzip) and inject again.", image, last.number()));
    }
    ImagePaths paths = new ImagePaths(in);
    Generator generator = detect(in);
    Mode chosen = mode == Mode.AUTO ? Mode.WRAP : mode;
    if (chosen == Mode.INITRAMFS_TOOLS && generator != Generator.INITRAMFS_TOOLS) {
      throw new InjectionRefusedException(image + ": is not an initramfs-tools image (it looks like "
          + generator.toString().toLowerCase(java.util.Locale.ROOT) + "); use the wrap mode");
    }
    if (paths.get("init.orig").isPresent() || paths.get(DIR).isPresent()) {
      throw new InjectionRefusedException(image + ": already injected (/init.orig or /" + DIR + " exists)");
    }
    Entry init = paths.get("init").orElseThrow(() -> new InjectionRefusedException(
        image + ": has no /init, so the kernel would not run one; nothing to wrap"));
    Entry sh = paths.resolve("bin/sh").orElseThrow(() -> new InjectionRefusedException(
        image + ": has no /bin/sh to run the wrapper"));
    if (init.kind() != Entry.Kind.FILE && init.kind() != Entry.Kind.SYMLINK) {
      throw new InjectionRefusedException(image + ": /init is a " + init.kind() + ", not a file or symlink");
    }
    HostLibraries libs = HostLibraries.of(auditctl);
    Entry initData = paths.dataHolder(init);
    byte[] shHead = data.getOrDefault(paths.dataHolder(sh), new byte[0]);
    if (Elf.isElf(shHead)) {
      String imageArch = Elf.archOf(shHead);
      if (!imageArch.equals(libs.executable().arch())) {
        throw new InjectionRefusedException(String.format("%s: its /bin/sh is %s but %s is %s; pass --auditctl"
            + " built for the image's architecture", image, imageArch, auditctl, libs.executable().arch()));
      }
    } else {
      warnings.add("cannot tell the image's architecture (/bin/sh is not ELF); assuming " + libs.executable().arch());
    }
    NewcWriter w = new NewcWriter(init.mtime());
    List<String> added = new ArrayList<>();
    w.dir(DIR, 0755).dir(DIR + "/lib", 0755);
    added.add(DIR + "/auditctl");
    w.file(DIR + "/auditctl", 0755, Files.readAllBytes(auditctl));
    String loader = "";
    if (libs.loader().isPresent()) {
      loader = libs.loader().get().getFileName().toString();
      w.file(DIR + "/lib/" + loader, 0755, Files.readAllBytes(libs.loader().get()));
      added.add(DIR + "/lib/" + loader);
    }
    for (Map.Entry<String, Path> lib : libs.libraries().entrySet()) {
      if (!lib.getKey().equals(loader)) {
        w.file(DIR + "/lib/" + lib.getKey(), 0755, Files.readAllBytes(lib.getValue()));
        added.add(DIR + "/lib/" + lib.getKey());
      }
    }
    w.file(DIR + "/audit.rules", 0644, rulesBytes());
    added.add(DIR + "/audit.rules");
    if (chosen == Mode.INITRAMFS_TOOLS) {
      Entry order = paths.get(ORDER).filter(e -> e.kind() == Entry.Kind.FILE).orElseThrow(() ->
          new InjectionRefusedException(image + ": has no /" + ORDER + " to run the hook from"));
      String original = new String(data.get(paths.dataHolder(order)), StandardCharsets.ISO_8859_1);
      w.file("scripts/init-top/bootaudit", 0755, initTop(loader).getBytes(StandardCharsets.UTF_8));
      w.file(ORDER, order.mode() & 07777, (ORDER_LINE + original).getBytes(StandardCharsets.ISO_8859_1));
      added.add("scripts/init-top/bootaudit");
      added.add(ORDER);
      ImageWriter.write(in, List.of(w.finish()), out, inPlace);
      Image written = reader.scan(out, (segment, e, content) -> {}, in.segments());
      return new InjectResult(written, chosen, generator, added, KERNEL_ARGUMENTS, warnings);
    }
    if (init.kind() == Entry.Kind.SYMLINK) {
      w.symlink("init.orig", init.linkTarget());
    } else {
      byte[] original = initData.path().equals("init") ? data.get(initData) : reader.readData(in, initData, MAX_INIT);
      if (original.length != initData.size()) {
        throw new InjectionRefusedException(image + ": /init is larger than " + MAX_INIT + " bytes; not a script or init");
      }
      w.file("init.orig", init.mode() & 07777, original);
    }
    added.add("init.orig");
    w.file("init", 0755, wrapper(loader).getBytes(StandardCharsets.UTF_8));
    added.add("init");
    ImageWriter.write(in, List.of(w.finish()), out, inPlace);
    // The original bytes were copied verbatim; read back only what was appended.
    Image written = reader.scan(out, (segment, e, content) -> {}, in.segments());
    return new InjectResult(written, chosen, generator, added, KERNEL_ARGUMENTS, warnings);
  }

  /** The wrapper {@code /init}: may never stop the boot, needs nothing but sh and its own files. */
  static String wrapper(String loader) {
    return String.join("\n",
        "#!/bin/sh",
        MARKER,
        "# Added by bootaudit: start Linux audit before init, then run the original /init (now /init.orig).",
        audit(loader),
        "exec /init.orig \"$@\"",
        "");
  }

  /** The initramfs-tools init-top script: same commands, run from ORDER before udev. */
  static String initTop(String loader) {
    return String.join("\n",
        "#!/bin/sh",
        INIT_TOP_MARKER,
        "# Added by bootaudit: start Linux audit early in the initramfs (first in init-top).",
        "case \"$1\" in prereqs) exit 0 ;; esac",
        audit(loader),
        "exit 0",
        "");
  }

  private static String audit(String loader) {
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
        "ba_out=$(ba_ctl -b 65536 2>&1) || ba_log \"auditctl -b 65536 failed: $ba_out\"",
        "ba_out=$(ba_ctl -e 1 2>&1) || ba_log \"auditctl -e 1 failed: $ba_out\"",
        "unset BA ba_out");
  }

  /**
   * Adds {@link #KERNEL_ARGUMENTS} to {@code GRUB_CMDLINE_LINUX} in {@code root/etc/default/grub}
   * (other values of the same keys are replaced; {@code grub.bootaudit-backup} is kept). Call
   * only on the user's explicit request; {@code update-grub} must still be run in that root.
   *
   * @return the resulting {@code GRUB_CMDLINE_LINUX} line
   */
  public static String applyKernelArguments(Path root) throws IOException {
    return KernelArguments.applyToGrub(root);
  }

  /**
   * Writes the initramfs-tools pair under the target root {@code root} so that every image
   * {@code update-initramfs} builds from now on starts auditing: {@code
   * etc/initramfs-tools/hooks/bootaudit} (copies the root's {@code /usr/sbin/auditctl} with
   * {@code copy_exec} and writes the rules, which it carries inline) and {@code
   * etc/initramfs-tools/scripts/init-top/bootaudit} (loads them before udev). Each file is
   * written to a temporary file and renamed.
   *
   * @return the files written
   */
  public List<Path> writeInitramfsToolsHooks(Path root) throws IOException {
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
        "ba_out=$(/sbin/auditctl -b 65536 2>&1) || ba_log \"auditctl -b 65536 failed: $ba_out\"",
        "ba_out=$(/sbin/auditctl -e 1 2>&1) || ba_log \"auditctl -e 1 failed: $ba_out\"",
        "exit 0",
        "");
    Path conf = root.resolve("etc/initramfs-tools");
    return List.of(atomicWrite(conf.resolve("hooks/bootaudit"), hook), atomicWrite(conf.resolve("scripts/init-top/bootaudit"), script));
  }

  private static Path atomicWrite(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(temp, text);
      Files.setPosixFilePermissions(temp, Extractor.permissions(0755));
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return file;
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
