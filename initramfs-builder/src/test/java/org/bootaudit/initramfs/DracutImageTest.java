package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native dracut and systemd modes on images built by Debian's dracut (059, package
 * dracut-core) for the installed kernel: one with dracut's shell init, one with systemd as
 * {@code /init}. Skipped where dracut, a kernel or auditctl is missing (CI installs them). The
 * boot itself is proven by {@code BootIT} in the cli module.
 */
class DracutImageTest {
  @TempDir
  static Path dir;

  static Path shell;
  static Path systemd;

  @BeforeAll
  static void build() throws Exception {
    assumeTrue(Fixtures.hasTool("dracut"), "dracut not installed (apt-get install dracut-core)");
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    String[] kernels = new File("/lib/modules").list();
    assumeTrue(
        kernels != null && kernels.length > 0, "no kernel in /lib/modules (linux-image-amd64)");
    Arrays.sort(kernels);
    shell = dracut("shell.img", kernels[0], "base");
    systemd = dracut("systemd.img", kernels[0], "base systemd systemd-initrd dracut-systemd");
  }

  private static Path dracut(String name, String kernel, String modules) throws Exception {
    Path out = dir.resolve(name);
    // --no-kernel: no drivers, a few seconds; the hooks and init are what matter here
    Process p = new ProcessBuilder(
            "dracut",
            "-q",
            "--no-hostonly",
            "--no-kernel",
            "--force",
            "--kver",
            kernel,
            "--modules",
            modules,
            "--compress",
            "zstd",
            out.toString())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
    assumeTrue(p.waitFor() == 0, "dracut failed: " + Files.readString(dir.resolve(name + ".log")));
    return out;
  }

  private static String text(Image image, String path) throws Exception {
    return new String(
        Initramfs.reader().readData(image, image.findEntry(path).orElseThrow(), 1 << 20),
        StandardCharsets.UTF_8);
  }

  @Test
  void detectsDracutAndItsInit() throws Exception {
    Image s = Initramfs.reader().read(shell);
    Image d = Initramfs.reader().read(systemd);
    assertThat(Injector.detect(s)).isEqualTo(Injector.Generator.DRACUT);
    assertThat(Injector.detect(d)).isEqualTo(Injector.Generator.DRACUT);
    assertThat(Injector.systemdInit(new ImagePaths(s))).isFalse();
    assertThat(Injector.systemdInit(new ImagePaths(d))).isTrue();
  }

  @Test
  void dracutModeAddsTheFirstCmdlineHookWithoutReplacingAnything() throws Exception {
    Path out = dir.resolve("shell.dracut.img");
    InjectResult r = Initramfs.injector().mode(Injector.Mode.DRACUT).inject(shell, out, false);
    String hook = "usr/lib/dracut/hooks/cmdline/00-bootaudit.sh";
    assertThat(r.added()).contains(hook, "bootaudit/auditctl").doesNotContain("init", "init.orig");
    assertThat(r.newSegments()).as("new names only: one segment, first").hasSize(1);
    Segment added = r.newSegments().get(0);
    assertThat(added.offset()).isZero();
    // lib is a symlink to usr/lib here: the directories are the image's own, never a new "lib"
    assertThat(added.entries())
        .extracting(Entry::name)
        .contains("usr", "usr/lib", "usr/lib/dracut/hooks/cmdline")
        .doesNotContain("lib", "lib/dracut");
    Image original = Initramfs.reader().read(shell);
    Segment kept = r.image().segments().get(1);
    assertThat(kept.entries()).isEqualTo(original.segments().get(0).entries());
    byte[] from = Files.readAllBytes(shell);
    byte[] to = Files.readAllBytes(out);
    assertThat(Arrays.mismatch(to, (int) kept.offset(), to.length, from, 0, from.length))
        .isEqualTo(-1);
    assertThat(r.image().findEntry("lib").orElseThrow().kind()).isEqualTo(Entry.Kind.SYMLINK);
    String script = text(r.image(), hook);
    assertThat(script)
        .startsWith("#!/bin/sh\n" + Layout.DRACUT_MARKER)
        .doesNotContainPattern("(?m)^\\s*exit\\b")
        .contains("unset -f ba_log ba_ctl");
    // dracut's init sources cmdline/*.sh in glob order: ours sorts first
    List<String> hooks = original.effectiveEntries().stream()
        .map(Entry::path)
        .filter(p -> p.startsWith("usr/lib/dracut/hooks/cmdline/"))
        .sorted()
        .toList();
    assertThat(hook).isLessThan(hooks.isEmpty() ? "~" : hooks.get(0));
    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks().get(0).detail())
        .isEqualTo("/" + hook + " is the first cmdline hook (dracut)");
    if (Fixtures.hasTool("lsinitramfs")) {
      assertThat(Fixtures.run(null, "lsinitramfs", out.toString()).orElseThrow().split("\n"))
          .contains(hook, "bootaudit/auditctl", "bootaudit/audit.rules", "init");
    }
    if ("root".equals(System.getProperty("user.name")) && Fixtures.hasTool("chroot")) {
      Path root = dir.resolve("shell-root");
      Initramfs.reader().extract(out, root);
      assertThat(Fixtures.run(null, "chroot", root.toString(), "/bin/sh", "-n", "/" + hook))
          .as("the image's sh -n")
          .isPresent();
      assertThat(Fixtures.run(
                  null,
                  "chroot",
                  root.toString(),
                  "/bootaudit/lib/ld-linux-x86-64.so.2",
                  "--inhibit-cache",
                  "--library-path",
                  "/bootaudit/lib",
                  "/bootaudit/auditctl",
                  "-v")
              .orElseThrow())
          .startsWith("auditctl version");
    }
  }

  @Test
  void systemdModeAddsAUnitBeforeSysinit() throws Exception {
    Path out = dir.resolve("systemd.systemd.img");
    InjectResult r = Initramfs.injector().mode(Injector.Mode.SYSTEMD).inject(systemd, out, false);
    assertThat(r.added())
        .contains(
            "etc/systemd/system/bootaudit.service",
            "etc/systemd/system/sysinit.target.wants/bootaudit.service");
    assertThat(r.newSegments()).hasSize(1);
    Entry wants = r.image()
        .findEntry("etc/systemd/system/sysinit.target.wants/bootaudit.service")
        .orElseThrow();
    assertThat(wants.linkTarget()).isEqualTo("../bootaudit.service");
    String unit = text(r.image(), "etc/systemd/system/bootaudit.service");
    assertThat(unit)
        .contains(
            "DefaultDependencies=no",
            "Before=sysinit.target",
            "Type=oneshot",
            "ExecStart=-/bootaudit/lib/ld-linux-x86-64.so.2 --inhibit-cache --library-path /bootaudit/lib"
                + " /bootaudit/auditctl -R /bootaudit/audit.rules");
    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks())
        .extracting(Verification.Check::name)
        .contains("unit")
        .doesNotContain("sh -n", "init.orig");
    if (Fixtures.hasTool("systemd-analyze")) {
      Path root = dir.resolve("systemd-root");
      Initramfs.reader().extract(out, root);
      Process p = new ProcessBuilder(
              "systemd-analyze", "verify", "--root=" + root, "bootaudit.service")
          .redirectErrorStream(true)
          .start();
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(said).isZero();
      assertThat(said)
          .as("systemd-analyze verify has nothing to say about the unit")
          .doesNotContain("bootaudit.service");
    }
  }

  @Test
  void wrapKeepsSystemdAsASymlinkedOriginalInit() throws Exception {
    Path out = dir.resolve("systemd.wrap.img");
    InjectResult r = Initramfs.injector().inject(systemd, out, false);
    assertThat(r.mode()).isEqualTo(Injector.Mode.WRAP);
    assertThat(r.image().findEntry("init.orig").orElseThrow().linkTarget())
        .isEqualTo("usr/lib/systemd/systemd");
    assertThat(r.newSegments())
        .extracting(Segment::compression)
        .containsExactly(Compression.NONE, Compression.ZSTD);
    assertThat(Initramfs.injector().verify(out).ok()).isTrue();
  }

  @Test
  void nativeModesRefuseImagesTheyDoNotFit() {
    assertThatThrownBy(() -> Initramfs.injector()
            .mode(Injector.Mode.SYSTEMD)
            .inject(shell, dir.resolve("x.img"), false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("/init is not systemd");
    assertThatThrownBy(() -> Initramfs.injector()
            .mode(Injector.Mode.DRACUT)
            .inject(Fixtures.get("early-zstd.img"), dir.resolve("x.img"), false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("is not a dracut image");
    assertThatThrownBy(() -> Initramfs.injector()
            .mode(Injector.Mode.INITRAMFS_TOOLS)
            .inject(shell, dir.resolve("x.img"), false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("is not an initramfs-tools image (it looks like dracut)");
    assertThat(dir.resolve("x.img")).doesNotExist();
  }
}
