package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootaudit initramfs ls|extract} as a user meets them. */
class InitramfsCommandTest {
  static final String FIXTURES = "../initramfs-builder/src/test/resources/cpio/";

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void lsShowsSegmentsAndEntries() {
    assertThat(cli.run("initramfs", "ls", FIXTURES + "early-zstd.img")).isEqualTo(0);
    assertThat(cli.out())
        .contains("early-zstd.img: 6,421 bytes, 2 segments")
        .contains("segment 1  offset 0x0  length 784  none  expanded 784  entries 5")
        .contains("segment 2  offset 0x400  length 5,397  zstd  expanded 7,168  entries 16")
        .contains("-rwxr-xr-x  1    0    0        31 2023-11-14 22:13 init\n")
        .contains("lrwxrwxrwx  1    0    0         7 2023-11-14 22:13 bin/sh -> busybox\n")
        .contains("crw-r--r--  1    0    0      5, 1 2023-11-14 22:13 dev/console\n")
        .contains(" etc/caf\\xE9\n");
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void lsMarksReplacedEntries() {
    assertThat(cli.run("initramfs", "ls", FIXTURES + "multi.img")).isEqualTo(0);
    assertThat(cli.out()).contains("etc/passwd  (replaced)").containsPattern("\\d etc/passwd\n");
  }

  @Test
  void hostileImageExits65WithSegmentAndOffset() {
    assertThat(cli.run("initramfs", "ls", FIXTURES + "hostile/dotdot.cpio")).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo(
            "bootaudit: dotdot.cpio: segment 1 (none) at byte 0x0: name '../evil' climbs out with '..'\n");
  }

  @Test
  void bombCapIsAnOption() {
    assertThat(cli.run(
            "initramfs",
            "ls",
            "--max-expanded-size",
            "1048576",
            FIXTURES + "hostile/bomb-stream.zst"))
        .isEqualTo(65);
    assertThat(cli.errors()).contains("expands past the cap of 1 MiB");
  }

  @Test
  void extractWritesTheTree() throws Exception {
    Path dir = tmp.resolve("x");
    assertThat(cli.run("initramfs", "extract", FIXTURES + "multi.img", dir.toString()))
        .isEqualTo(0);
    assertThat(Files.readString(dir.resolve("etc/passwd"))).isEqualTo("second\n");
    assertThat(cli.out()).contains("8 segments").contains("not created: dev/console");
  }

  @Test
  void extractRefusesEscapes() {
    Path dir = tmp.resolve("x");
    assertThat(cli.run(
            "initramfs", "extract", FIXTURES + "hostile/symlink-through.cpio", dir.toString()))
        .isEqualTo(65);
    assertThat(cli.errors())
        .contains("segment 1 (none) at byte 0x74: 'd/x' passes through the symlink 'd'");
  }

  @Test
  void injectThenVerify() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(Path.of("/usr/sbin/auditctl")), "auditd not installed");
    Path out = tmp.resolve("out.img");
    assertThat(cli.run("initramfs", "inject", FIXTURES + "early-zstd.img", "-o", out.toString()))
        .isEqualTo(0);
    assertThat(cli.out())
        .contains("detected: unknown\nmode: wrap (auto: ")
        .contains("wrote " + out + ": ")
        .contains("\n  new segment 2 (none) at byte 0x400, ")
        .contains("    /bootaudit/lib/libc.so.6\n")
        .contains("    /bootaudit/audit.rules\n    /init.orig\n  new segment 4 (zstd) at byte ")
        .contains(" bytes:\n    /init\n")
        .contains("kernel arguments needed (not applied): audit=1 audit_backlog_limit=131072");
    assertThat(cli.errors()).contains("bootaudit: warning: cannot tell the image's architecture");
    assertThat(cli.run("initramfs", "verify", out.toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains("ok   hook      /init is the bootaudit wrapper")
        .endsWith(": injected and ready\n");
    assertThat(cli.run("initramfs", "verify", FIXTURES + "early-zstd.img")).isEqualTo(65);
    assertThat(cli.out())
        .contains(
            "FAIL hook      no bootaudit hook (wrapper /init, init-top script, dracut cmdline hook or"
                + " systemd unit): this image is not injected");
  }

  @Test
  void injectRefusals() throws Exception {
    Path in = tmp.resolve("in.img");
    Files.copy(Path.of(FIXTURES + "early-zstd.img"), in);
    assertThat(cli.run("initramfs", "inject", in.toString())).isEqualTo(2);
    assertThat(cli.errors()).contains("give -o OUT (or --in-place");
    assertThat(cli.run("initramfs", "inject", in.toString(), "-o", in.toString()))
        .isEqualTo(2);
    assertThat(cli.errors()).contains("is the input image; add --in-place");
    assertThat(cli.run(
            "initramfs",
            "inject",
            in.toString(),
            "-o",
            tmp.resolve("x").toString(),
            "--mode",
            "grub"))
        .isEqualTo(2);
    assertThat(cli.errors())
        .contains("--mode grub: expected auto, wrap, initramfs-tools, dracut or systemd");
    assertThat(cli.run(
            "initramfs",
            "inject",
            in.toString(),
            "-o",
            tmp.resolve("x").toString(),
            "--mode",
            "dracut"))
        .isEqualTo(65);
    assertThat(cli.errors())
        .contains("is not a dracut image (it looks like unknown); use the wrap mode");
    assertThat(cli.run(
            "initramfs",
            "inject",
            in.toString(),
            "-o",
            tmp.resolve("x").toString(),
            "--mode",
            "systemd"))
        .isEqualTo(65);
    assertThat(cli.errors()).contains("/init is not systemd, so no unit would run");
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "hostile/garbage-magic.img",
            "-o",
            tmp.resolve("x").toString()))
        .isEqualTo(65);
    assertThat(cli.errors()).contains("Unknown magic");
    assertThat(Files.mismatch(in, Path.of(FIXTURES + "early-zstd.img"))).isEqualTo(-1L);
  }

  @Test
  void targetRootNeedsInitramfsToolsMode() {
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "early-zstd.img",
            "-o",
            tmp.resolve("o").toString(),
            "--target-root",
            tmp.toString()))
        .isEqualTo(2);
    assertThat(cli.errors()).contains("--target-root needs --mode initramfs-tools");
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "early-zstd.img",
            "-o",
            tmp.resolve("o").toString(),
            "--mode",
            "initramfs-tools"))
        .isEqualTo(65);
    assertThat(cli.errors()).contains("is not an initramfs-tools image");
  }

  @Test
  void kernelArgumentsAreAppliedOnlyWhenAsked() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(Path.of("/usr/sbin/auditctl")), "auditd not installed");
    Path grub = tmp.resolve("root/etc/default/grub");
    Files.createDirectories(grub.getParent());
    Files.writeString(grub, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "early-zstd.img",
            "-o",
            tmp.resolve("a.img").toString()))
        .isEqualTo(0);
    assertThat(Files.readString(grub)).isEqualTo("GRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "early-zstd.img",
            "-o",
            tmp.resolve("b.img").toString(),
            "--apply-kernel-args",
            tmp.resolve("root").toString()))
        .isEqualTo(0);
    assertThat(Files.readString(grub))
        .isEqualTo("GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=131072\"\n");
    assertThat(cli.out())
        .contains(
            "\nchanged " + grub + " (backup: " + grub
                + ".bootaudit-backup): GRUB_CMDLINE_LINUX=\"quiet"
                + " audit=1 audit_backlog_limit=131072\"\n"
                + "  run update-grub in that root to make the change to etc/default/grub take effect\n");
  }

  @Test
  void shipsTheRulesModulesProfileAndRefusesRulesThatFailTheLint() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(Path.of("/usr/sbin/auditctl")), "auditd not installed");
    Path out = tmp.resolve("out.img");
    assertThat(cli.run("initramfs", "inject", FIXTURES + "early-zstd.img", "-o", out.toString()))
        .isEqualTo(0);
    var img = org.bootaudit.initramfs.Initramfs.reader().read(out);
    var rules = img.findEntry("bootaudit/audit.rules").orElseThrow();
    assertThat(org.bootaudit.initramfs.Initramfs.reader().readData(img, rules, 1 << 20))
        .asString()
        .isEqualTo(org.bootaudit.rules.AuditRules.profileText("early-boot").orElseThrow());
    Path bad = tmp.resolve("bad.rules");
    Files.writeString(bad, "-e 2\n");
    assertThat(cli.run(
            "initramfs",
            "inject",
            FIXTURES + "early-zstd.img",
            "-o",
            tmp.resolve("x.img").toString(),
            "--rules",
            bad.toString()))
        .isEqualTo(65);
    assertThat(tmp.resolve("x.img")).doesNotExist();
  }

  @Test
  void missingImageIsAnIoError() {
    assertThat(cli.run("initramfs", "ls", tmp.resolve("nope.img").toString())).isEqualTo(74);
  }

  @Test
  void lsNamesPrintsWhatLsinitramfsPrints() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/lsinitramfs")),
        "needs lsinitramfs (initramfs-tools, see .ci/run)");
    String image = FIXTURES + "early-zstd.img";
    Process p = new ProcessBuilder("/usr/bin/lsinitramfs", image)
        .redirectErrorStream(true)
        .start();
    String theirs =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    assertThat(cli.run("initramfs", "ls", "--names", image)).isEqualTo(0);
    // both segments, the early microcode cpio first, and etc/caf\xe9's own byte
    assertThat(cli.out()).isEqualTo(theirs).startsWith(".\nkernel\n").contains("\n.\nbin\n");
  }
}
