package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dracut module for a target root, and Debian's dracut (059, package dracut-core) really
 * building images with it: {@code dracutbasedir} points dracut at a copy of {@code
 * /usr/lib/dracut} with the module written into it, as it would be on the target root. One image
 * with dracut's shell init, one with systemd as {@code /init}, and the default module selection
 * with and without auditctl. Skipped where dracut, a kernel or auditctl is missing (CI installs
 * them); the parts that need root (chroot, a private mount namespace) are skipped without it.
 */
class DracutModuleTest {
  @TempDir
  static Path dir;

  @TempDir
  Path tmp;

  private static final Map<String, Path> IMAGES = new HashMap<>();
  private static Path root;

  /** The temporary root with /usr/lib/dracut and the module (made once). */
  private static synchronized Path root() throws Exception {
    assumeTrue(
        Fixtures.hasTool("dracut") && Files.isDirectory(Path.of("/usr/lib/dracut/modules.d")),
        "dracut not installed (apt-get install dracut-core)");
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    if (root == null) {
      Path r = dir.resolve("root");
      copy(Path.of("/usr/lib/dracut"), r.resolve("usr/lib/dracut"));
      Initramfs.injector().writeDracutModule(r);
      root = r;
    }
    return root;
  }

  private static String kernel() {
    String[] kernels = new File("/lib/modules").list();
    assumeTrue(
        kernels != null && kernels.length > 0, "no kernel in /lib/modules (linux-image-amd64)");
    Arrays.sort(kernels);
    return kernels[0];
  }

  /** An image dracut built with the module from {@link #root()} and these modules (once per list). */
  private static synchronized Path image(String modules) throws Exception {
    Path base = root();
    if (!IMAGES.containsKey(modules)) {
      String name = "image" + IMAGES.size();
      Dracut d = dracut(base, name, List.of("-q", "--modules", modules), List.of());
      assertThat(d.exit()).as(d.log()).isZero();
      IMAGES.put(modules, d.image());
    }
    return IMAGES.get(modules);
  }

  private static Path shell() throws Exception {
    return image("base bootaudit");
  }

  private static Path systemd() throws Exception {
    assumeTrue(
        Files.exists(Path.of("/usr/lib/systemd/systemd"))
            || Files.exists(Path.of("/lib/systemd/systemd")),
        "systemd not installed");
    return image("base systemd systemd-initrd dracut-systemd bootaudit");
  }

  private record Dracut(Path image, int exit, String log) {}

  /** Runs the real dracut with dracutbasedir in the temporary root, {@code before} the command (e.g. unshare). */
  private static Dracut dracut(Path base, String name, List<String> options, List<String> before)
      throws Exception {
    Path out = dir.resolve(name + ".img");
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>(before);
    command.add("dracut");
    command.addAll(options);
    // --no-kernel: no drivers, a few seconds; the hooks and what the module installs are what
    // matter here
    command.addAll(List.of(
        "--no-hostonly",
        "--no-kernel",
        "--force",
        "--kver",
        kernel(),
        "--compress",
        "zstd",
        out.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("dracutbasedir", base.resolve("usr/lib/dracut").toString());
    int exit = pb.start().waitFor();
    return new Dracut(out, exit, Files.readString(log));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(t);
        } else {
          Files.copy(
              f,
              t,
              StandardCopyOption.COPY_ATTRIBUTES,
              StandardCopyOption.REPLACE_EXISTING,
              LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** The data of {@code path} in the image, symlinks followed. */
  private static Optional<String> text(Image image, String path) throws IOException {
    ImagePaths p = new ImagePaths(image);
    Optional<Entry> e = p.resolve(path).filter(x -> x.kind() == Entry.Kind.FILE);
    if (e.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new String(
        Initramfs.reader().readData(image, p.dataHolder(e.get()), 16 << 20),
        StandardCharsets.ISO_8859_1));
  }

  private static boolean asRootWith(String tool) {
    return "root".equals(System.getProperty("user.name")) && Fixtures.hasTool(tool);
  }

  @Test
  void writesTheModuleDirectory() throws Exception {
    List<Path> files = Initramfs.injector().writeDracutModule(tmp);
    Path module = tmp.resolve("usr/lib/dracut/modules.d/99bootaudit");
    assertThat(files)
        .as("module-setup.sh last: dracut ignores the directory until it exists")
        .containsExactly(
            module.resolve("audit.rules"),
            module.resolve("journald-bootaudit.conf"),
            module.resolve("bootaudit.sh"),
            module.resolve("bootaudit.service"),
            module.resolve("module-setup.sh"));
    Map<String, String> modes = Map.of(
        "audit.rules",
        "rw-r-----",
        "journald-bootaudit.conf",
        "rw-r--r--",
        "bootaudit.sh",
        "rwxr-xr-x",
        "bootaudit.service",
        "rw-r--r--",
        "module-setup.sh",
        "rwxr-xr-x");
    for (Path f : files) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .as(f.toString())
          .isEqualTo(modes.get(f.getFileName().toString()));
    }
    assertThat(Files.readAllBytes(module.resolve("audit.rules")))
        .isEqualTo(Injector.defaultRules());
    assertThat(Files.readString(module.resolve("journald-bootaudit.conf")))
        .isEqualTo(Injector.JOURNALD_CONF);
    String setup = Files.readString(module.resolve("module-setup.sh"));
    assertThat(setup)
        .contains(
            "require_binaries auditctl || return 1",
            "inst_binary auditctl /usr/sbin/auditctl",
            "inst_simple \"$moddir/audit.rules\" /etc/bootaudit/audit.rules",
            "if dracut_module_included systemd; then",
            "$SYSTEMCTL -q --root \"$initdir\" add-wants sysinit.target bootaudit.service",
            "inst_hook cmdline 00 \"$moddir/bootaudit.sh\"",
            "inst_simple \"$moddir/journald-bootaudit.conf\" /etc/systemd/journald.conf.d/zz-bootaudit.conf");
    assertThat(
            Fixtures.run(null, "bash", "-n", module.resolve("module-setup.sh").toString()))
        .as("bash -n")
        .isPresent();
    String hook = Files.readString(module.resolve("bootaudit.sh"));
    assertThat(hook)
        .startsWith("#!/bin/sh\n" + Layout.DRACUT_MARKER + "\n")
        .doesNotContainPattern("(?m)^\\s*exit\\b")
        .contains("ba_out=$(/usr/sbin/auditctl -R /etc/bootaudit/audit.rules 2>&1)")
        .endsWith("unset ba_out\nunset -f ba_log\n")
        .doesNotContainPattern("(?<![a-z])/bootaudit/");
    assertThat(Fixtures.run(null, "sh", "-n", module.resolve("bootaudit.sh").toString()))
        .as("sh -n")
        .isPresent();
    String unit = Files.readString(module.resolve("bootaudit.service"));
    assertThat(unit)
        .startsWith(Layout.UNIT_MARKER + "\n")
        .doesNotContainPattern("(?<![a-z])/bootaudit/")
        .contains(
            "ExecStart=-/usr/sbin/auditctl -R /etc/bootaudit/audit.rules\n",
            "ExecStart=-/usr/sbin/auditctl -b 131072\n",
            "ExecStart=-/usr/sbin/auditctl -e 1\n");
    // the same unit as injection's but for the commands
    assertThat(unit.lines().filter(l -> !l.startsWith("ExecStart=") && !l.startsWith("# Added")))
        .containsExactlyElementsOf(Hooks.unit("", Injector.DEFAULT_BACKLOG)
            .lines()
            .filter(l -> !l.startsWith("ExecStart=") && !l.startsWith("# Added"))
            .toList());

    // a second call replaces the files, leaving no temporary file behind
    assertThat(Initramfs.injector().rulesText("-b 8192\n").writeDracutModule(tmp))
        .isEqualTo(files);
    assertThat(Files.readString(module.resolve("audit.rules"))).isEqualTo("-b 8192\n");
    try (Stream<Path> left = Files.list(module)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(modes.keySet());
    }
  }

  @Test
  void hookAndUnitSetTheBacklogTheyAreGiven() throws Exception {
    List<RootFile> files = Initramfs.injector().backlog(8192).dracutModuleFiles();
    assertThat(files)
        .extracting(RootFile::path)
        .last()
        .isEqualTo("usr/lib/dracut/modules.d/99bootaudit/module-setup.sh");
    Map<String, String> text = new java.util.HashMap<>();
    files.forEach(f -> text.put(
        f.path().substring(f.path().lastIndexOf('/') + 1),
        new String(f.data(), StandardCharsets.UTF_8)));
    assertThat(text.get("bootaudit.sh"))
        .contains(
            "ba_out=$(/usr/sbin/auditctl -b 8192 2>&1) || ba_log \"auditctl -b 8192 failed: $ba_out\"");
    assertThat(text.get("bootaudit.service")).contains("ExecStart=-/usr/sbin/auditctl -b 8192\n");
    try (Stream<Path> left = Files.walk(tmp)) {
      assertThat(left).as("nothing written").containsExactly(tmp);
    }
  }

  @Test
  void rulesNeverReachAScript() throws Exception {
    String rules = "-w /etc/x -p wa -k x\nBOOTAUDIT_RULES\nEOF\n'\"$(touch /tmp/pwned)\"`id`\n";
    List<Path> files = Initramfs.injector().rulesText(rules).writeDracutModule(tmp);
    assertThat(Files.readString(files.get(0))).isEqualTo(rules);
    Path other = tmp.resolve("other");
    List<Path> plain = Initramfs.injector().writeDracutModule(other);
    for (int i = 1; i < files.size(); i++) {
      assertThat(Files.mismatch(files.get(i), plain.get(i)))
          .as(files.get(i) + " does not depend on the rules")
          .isEqualTo(-1L);
    }
  }

  @Test
  void shellInitImageSourcesTheCmdlineHook() throws Exception {
    Path out = shell();
    Image image = Initramfs.reader().read(out);
    ImagePaths paths = new ImagePaths(image);
    assertThat(Injector.systemdInit(paths)).isFalse();
    String hook = paths.canonical(Layout.DRACUT_HOOKS) + "/" + Layout.DRACUT_HOOK;
    assertThat(hook).isEqualTo("usr/lib/dracut/hooks/cmdline/00-bootaudit.sh");
    assertThat(text(image, hook)).contains(Hooks.ownDracutHook(Injector.DEFAULT_BACKLOG));
    // dracut's init sources cmdline/*.sh in glob order: ours sorts first
    assertThat(image.effectiveEntries().stream()
            .map(Entry::path)
            .filter(p -> p.startsWith("usr/lib/dracut/hooks/cmdline/"))
            .sorted()
            .findFirst())
        .contains(hook);
    assertThat(paths.resolve("usr/lib/systemd/system/bootaudit.service"))
        .as("no unit without systemd")
        .isEmpty();
    assertTheImageHasAuditctlAndTheRules(image);
    Path twice = out.resolveSibling("twice.img");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Initramfs.injector().inject(out, twice, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("already starts auditing (/" + hook);
    assertThat(twice).doesNotExist();
    assertThat(paths.resolve("usr/lib/systemd/systemd-journald")).isEmpty();
    assertThat(paths.get("etc/systemd/journald.conf.d/zz-bootaudit.conf"))
        .as("no journald, no drop-in")
        .isEmpty();

    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks())
        .extracting(Verification.Check::name)
        .containsExactly("hook", "sh -n", "/bin/sh", "auditctl", "loader", "libraries", "rules");
    assertThat(v.checks().get(0).detail())
        .isEqualTo("/" + hook + " is the first cmdline hook (dracut)");
    assertThat(v.checks().get(3).detail())
        .isEqualTo("/usr/sbin/auditctl is x86_64 (64-bit) (the image's own; no /bootaudit)");
    assertThat(v.checks().get(5).detail())
        .endsWith(" libraries present in /usr/lib/x86_64-linux-gnu");

    if (asRootWith("chroot")) {
      Path extracted = dir.resolve("shell-root");
      Initramfs.reader().extract(out, extracted);
      assertThat(Fixtures.run(null, "chroot", extracted.toString(), "/bin/sh", "-n", "/" + hook))
          .as("the image's sh -n")
          .isPresent();
      assertThat(Fixtures.run(null, "chroot", extracted.toString(), "/usr/sbin/auditctl", "-v")
              .orElseThrow())
          .as("auditctl runs with the image's libraries")
          .startsWith("auditctl version");
      // sourced as dracut's init does, with an auditctl that records its arguments (the real one
      // would change
      // this machine's audit rules) and fails once: nothing stops, nothing stays defined
      Files.writeString(
          extracted.resolve("usr/sbin/auditctl"),
          "#!/bin/sh\necho \"$*\" >> /calls\n[ \"$1\" != -b ] || { echo busy; exit 1; }\n");
      Process p = new ProcessBuilder(
              "chroot",
              extracted.toString(),
              "/bin/sh",
              "-c",
              ". /" + hook
                  + "; echo \"sourced $?\"; command -v ba_log; echo \"ba_out=${ba_out-unset}\"")
          .redirectErrorStream(true)
          .start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(said).isZero();
      assertThat(said)
          .isEqualTo("bootaudit: auditctl -b 131072 failed: busy\nsourced 0\nba_out=unset\n");
      assertThat(Files.readString(extracted.resolve("calls")))
          .isEqualTo("-R /etc/bootaudit/audit.rules\n-b 131072\n-e 1\n");
    }
  }

  @Test
  void systemdImageStartsTheUnitFromSysinit() throws Exception {
    Path out = systemd();
    Image image = Initramfs.reader().read(out);
    ImagePaths paths = new ImagePaths(image);
    assertThat(Injector.systemdInit(paths)).isTrue();
    Entry unit = paths
        .resolve("lib/systemd/system/bootaudit.service")
        .or(() -> paths.resolve("usr/lib/systemd/system/bootaudit.service"))
        .orElseThrow();
    assertThat(text(image, unit.path())).contains(Hooks.ownUnit(Injector.DEFAULT_BACKLOG));
    // where systemctl add-wants puts the link, as for dracut's rngd module
    String wants = "etc/systemd/system/sysinit.target.wants/bootaudit.service";
    assertThat(paths.get(wants).orElseThrow().kind()).isEqualTo(Entry.Kind.SYMLINK);
    assertThat(paths.resolve(wants)).containsSame(unit);
    assertThat(paths.get(paths.canonical(Layout.DRACUT_HOOKS) + "/" + Layout.DRACUT_HOOK))
        .as("the unit, not also the cmdline hook dracut-cmdline.service would source")
        .isEmpty();
    assertTheImageHasAuditctlAndTheRules(image);
    assertThat(paths.resolve("usr/lib/systemd/systemd-journald")).isPresent();
    assertThat(text(image, "etc/systemd/journald.conf.d/zz-bootaudit.conf"))
        .contains(Injector.JOURNALD_CONF);

    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks())
        .extracting(Verification.Check::name)
        .containsExactly("hook", "unit", "journald", "auditctl", "loader", "libraries", "rules");
    assertThat(v.checks().get(0).detail()).isEqualTo("/" + unit.path() + " is a unit (systemd)");
    assertThat(v.checks().get(1).detail())
        .isEqualTo("/" + wants + " links to it, so sysinit.target starts it");

    if (Fixtures.hasTool("systemd-analyze")) {
      Path extracted = dir.resolve("systemd-root");
      Initramfs.reader().extract(out, extracted);
      Process p = new ProcessBuilder(
              "systemd-analyze", "verify", "--root=" + extracted, "bootaudit.service")
          .redirectErrorStream(true)
          .start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(said).isZero();
      assertThat(said)
          .as("systemd-analyze verify has nothing to say about the unit")
          .doesNotContain("bootaudit.service");
      if (asRootWith("chroot")) {
        assertThat(Fixtures.run(null, "chroot", extracted.toString(), "/usr/sbin/auditctl", "-v")
                .orElseThrow())
            .as("auditctl runs with the image's libraries")
            .startsWith("auditctl version");
      }
    }
  }

  @Test
  void verifyFailsWhatARebuiltImageLacks() throws Exception {
    Path built = shell();
    // later entries win: a segment appended after dracut's replaces a library by a dangling link
    // and the rules
    Path broken = tmp.resolve("broken.img");
    byte[] more = new NewcWriter(0)
        .symlink("usr/lib/x86_64-linux-gnu/libauparse.so.0", "nowhere")
        .file(Layout.OWN_RULES, 0644, "-e 2\n".getBytes(StandardCharsets.US_ASCII))
        .finish();
    byte[] image = Files.readAllBytes(built);
    Files.write(
        broken, Arrays.copyOf(image, (image.length + 3) / 4 * 4)); // a cpio header starts 4-aligned
    Files.write(broken, more, java.nio.file.StandardOpenOption.APPEND);
    Map<String, Verification.Check> checks = new HashMap<>();
    Initramfs.injector().verify(broken).checks().forEach(c -> checks.put(c.name(), c));
    assertThat(checks.get("hook").ok()).isTrue();
    assertThat(checks.get("auditctl").ok()).isTrue();
    assertThat(checks.get("libraries").ok()).isFalse();
    assertThat(checks.get("libraries").detail())
        .isEqualTo("missing from the image's library directories: libauparse.so.0");
    assertThat(checks.get("rules").ok()).isFalse();
    assertThat(checks.get("rules").detail()).contains("/" + Layout.OWN_RULES + ":1:");
  }

  private static void assertTheImageHasAuditctlAndTheRules(Image image) throws Exception {
    ImagePaths paths = new ImagePaths(image);
    assertThat(paths.get("bootaudit")).as("nothing of injection's /bootaudit").isEmpty();
    Entry ctl = paths.resolve("usr/sbin/auditctl").orElseThrow();
    assertThat(Initramfs.reader().readData(image, paths.dataHolder(ctl), 16 << 20))
        .isEqualTo(Files.readAllBytes(InjectTest.AUDITCTL));
    HostLibraries libs = HostLibraries.of(InjectTest.AUDITCTL);
    assertThat(libs.loader()).isPresent();
    assertThat(paths.resolve(libs.loader().get().toString())).as("the loader").isPresent();
    for (Map.Entry<String, Path> lib : libs.libraries().entrySet()) {
      Entry e = paths
          .resolve(lib.getValue().toString())
          .orElseThrow(() -> new AssertionError(lib.getValue() + " is not in the image"));
      assertThat(Initramfs.reader().readData(image, paths.dataHolder(e), 64 << 20))
          .as(lib.getKey())
          .isEqualTo(Files.readAllBytes(lib.getValue()));
    }
    assertThat(text(image, Layout.OWN_RULES))
        .contains(new String(Injector.defaultRules(), StandardCharsets.ISO_8859_1));
  }

  @Test
  void checkIncludesTheModuleByDefaultOnlyWithAuditctl() throws Exception {
    Path base = root();
    Path module = base.resolve(Layout.DRACUT_MODULE);
    // dracut's own require_binaries and find_binary, with and without auditctl in the PATH
    String script = ". \"$dracutbasedir/dracut-functions.sh\"\n"
        + "eval \"$(sed -n '/^require_binaries() {/,/^}/p' \"$dracutbasedir/dracut-init.sh\")\"\n"
        + "dinfo() { echo \"$*\"; }\n"
        + "moddir=\"$1\"\n"
        + ". \"$moddir/module-setup.sh\"\n"
        + "DRACUT_PATH=/nonexistent PATH=/nonexistent check; echo \"without: $?\"\n"
        + "check; echo \"with: $?\"\n";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script, "bash", module.toString())
        .redirectErrorStream(true);
    pb.environment().put("dracutbasedir", base.resolve("usr/lib/dracut").toString());
    Process p = pb.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(said)
        .isEqualTo(
            "dracut module 'bootaudit' will not be installed, because command 'auditctl' could not be found!\n"
                + "without: 1\nwith: 0\n");

    // dracut's default selection (every module whose check() passes): -M prints the modules it
    // includes
    Dracut all = dracut(base, "default", List.of("-M"), List.of());
    assertThat(all.exit()).as(all.log()).isZero();
    assertThat(all.log().lines()).contains("bootaudit");
    assertThat(new ImagePaths(Initramfs.reader().read(all.image())).resolve(Layout.OWN_RULES))
        .isPresent();
    if (asRootWith("unshare") && Fixtures.hasTool("mount")) {
      // the same with auditctl absent: deleted from an overlay over its directory in a private
      // mount namespace
      // (bash's type -P, which dracut's find_binary uses, still finds a file that is only not
      // executable)
      Path sbin = InjectTest.AUDITCTL.toRealPath().getParent();
      Path scratch = Files.createDirectory(dir.resolve("overlay"));
      List<String> without = List.of(
          "unshare",
          "-m",
          "sh",
          "-c",
          "mount -t tmpfs tmpfs \"$1\" && mkdir \"$1/u\" \"$1/w\""
              + " && mount -t overlay overlay -o \"lowerdir=$2,upperdir=$1/u,workdir=$1/w\" \"$2\" && rm \"$2/auditctl\""
              + " && shift 2 && exec \"$@\"",
          "sh",
          scratch.toString(),
          sbin.toString());
      List<String> probe = new ArrayList<>(without);
      probe.addAll(List.of("sh", "-c", "! command -v auditctl"));
      assumeTrue(
          new ProcessBuilder(probe)
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                  .start()
                  .waitFor()
              == 0,
          "no private mount namespace with an overlay here");
      Dracut none = dracut(base, "no-auditctl", List.of("-M"), without);
      assertThat(none.exit()).as(none.log()).isZero();
      assertThat(none.log())
          .contains(
              "dracut module 'bootaudit' will not be installed, because command 'auditctl' could not be found!");
      assertThat(none.log().lines()).contains("base").doesNotContain("bootaudit");
      Image image = Initramfs.reader().read(none.image());
      assertThat(new ImagePaths(image).resolve(Layout.OWN_RULES)).isEmpty();
      assertThat(Initramfs.injector().verify(none.image()).checks().get(0).ok())
          .as("no hook")
          .isFalse();
      assertThat(Files.isExecutable(InjectTest.AUDITCTL))
          .as("only hidden in the namespace")
          .isTrue();
    }
  }
}
