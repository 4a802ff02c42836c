package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injection with this machine's auditctl (CI: apt-get install auditd) into the small fixtures:
 * where the new segments go, original bytes untouched, refusals with reasons, verify before and
 * after. The real images are in {@link DebianImageTest} and {@link DracutImageTest}.
 */
class InjectTest {
  static final Path AUDITCTL = Path.of("/usr/sbin/auditctl");

  @TempDir
  Path tmp;

  @BeforeAll
  static void needsAuditctl() {
    assumeTrue(Files.isRegularFile(AUDITCTL), "auditctl not installed (package auditd)");
  }

  private static byte[] hostShell() throws IOException {
    return Files.readAllBytes(Path.of("/bin/sh").toRealPath());
  }

  private Path image(String name, NewcWriter w) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, w.finish());
    return p;
  }

  @Test
  void newFilesGoBeforeTheCompressedSegmentAndTheNewInitAfterItEveryByteKept() throws IOException {
    Path in = Fixtures.get("early-zstd.img");
    Path out = tmp.resolve("out.img");
    InjectResult r = Initramfs.injector().inject(in, out, false);
    byte[] original = Files.readAllBytes(in);
    byte[] written = Files.readAllBytes(out);
    List<Segment> segs = r.image().segments();
    assertThat(segs)
        .extracting(Segment::compression)
        .containsExactly(Compression.NONE, Compression.NONE, Compression.ZSTD, Compression.ZSTD);
    assertThat(r.newSegments()).containsExactly(segs.get(1), segs.get(3));
    // the early cpio stays first and in place; the zstd segment moved by the inserted bytes only
    Segment early = segs.get(0);
    Segment inserted = segs.get(1);
    Segment main = segs.get(2);
    assertThat(Arrays.mismatch(written, 0, 0x400, original, 0, 0x400)).isEqualTo(-1);
    assertThat(inserted.offset()).isEqualTo(0x400);
    assertThat(main.offset() % 512).isZero();
    assertThat(Arrays.mismatch(
            written, (int) inserted.end(), (int) main.offset(), new byte[512], 0, (int)
                (main.offset() - inserted.end())))
        .as("zero padding")
        .isEqualTo(-1);
    assertThat(Arrays.mismatch(
            written, (int) main.offset(), (int) main.end(), original, 0x400, original.length))
        .isEqualTo(-1);
    assertThat(segs.get(3).offset()).isEqualTo(main.end());
    assertThat(segs.get(3).end()).isEqualTo(written.length);
    assertThat(early.entries())
        .isEqualTo(Initramfs.reader().read(in).segments().get(0).entries());
    assertThat(inserted.entries())
        .extracting(Entry::name)
        .contains(
            "bootaudit/auditctl", "bootaudit/audit.rules", "bootaudit/lib/libc.so.6", "init.orig")
        .doesNotContain("init");
    assertThat(segs.get(3).entries()).extracting(Entry::name).containsExactly("init");
    assertThat(r.added())
        .contains(
            "init",
            "init.orig",
            "bootaudit/auditctl",
            "bootaudit/audit.rules",
            "bootaudit/lib/libc.so.6");
    assertThat(r.kernelArguments()).isEqualTo("audit=1 audit_backlog_limit=131072");
    assertThat(r.warnings())
        .singleElement()
        .asString()
        .contains("cannot tell the image's architecture");
    assertThat(r.mode()).isEqualTo(Injector.Mode.WRAP);
    assertThat(r.generator()).isEqualTo(Injector.Generator.UNKNOWN);
    Image img = r.image();
    Entry init = img.findEntry("init").orElseThrow();
    Entry orig = img.findEntry("init.orig").orElseThrow();
    assertThat(new String(Initramfs.reader().readData(img, init, 10000), StandardCharsets.UTF_8))
        .startsWith("#!/bin/sh\n" + Layout.WRAPPER_MARKER)
        .contains("exec /init.orig \"$@\"");
    assertThat(Initramfs.reader().readData(img, orig, 10000))
        .asString()
        .isEqualTo("#!/bin/sh\necho hello from init\n");
    assertThat(orig.modeString()).isEqualTo("-rwxr-xr-x");
    assertThat(Initramfs.reader().read(out)).isEqualTo(new Image(out, written.length, segs));
  }

  @Test
  void theReplacingSegmentIsCompressedLikeTheLastOne() throws Exception {
    for (String name : List.of(
        "plain.cpio.gz", "plain.cpio.xz", "plain.cpio.bz2", "plain.cpio.zst", "plain.cpio.lzma")) {
      Path out = tmp.resolve(name + ".out");
      InjectResult r = Initramfs.injector().inject(Fixtures.get(name), out, false);
      List<Segment> segs = r.image().segments();
      Compression c = segs.get(1).compression();
      assertThat(segs).as(name).hasSize(3);
      assertThat(segs.get(0).offset()).isZero();
      assertThat(segs.get(2).entries()).extracting(Entry::name).containsExactly("init");
      if (c == Compression.LZMA) {
        assertThat(segs.get(2).compression()).isEqualTo(Compression.NONE);
        assertThat(r.warnings()).anyMatch(w -> w.contains("the last segment is lzma"));
      } else {
        assertThat(segs.get(2).compression()).as(name).isEqualTo(c);
        // what unmkinitramfs does: the rest after the leading cpio is one multi-member stream
        String tool = switch (c) {
          case GZIP -> "gzip";
          case XZ -> "xz";
          case BZIP2 -> "bzip2";
          default -> "zstd";
        };
        if (Fixtures.hasTool(tool)) {
          Path rest = tmp.resolve(name + ".rest");
          byte[] all = Files.readAllBytes(out);
          Files.write(rest, Arrays.copyOfRange(all, (int) segs.get(1).offset(), all.length));
          assertThat(Fixtures.run(null, tool, "-t", rest.toString()))
              .as(tool + " -t accepts both members")
              .isPresent();
        }
      }
      assertThat(Initramfs.injector().verify(out).ok()).as(name).isTrue();
    }
  }

  /**
   * The kernel reads lz4 legacy data to the image's end and skips a frame magic between chunks,
   * so the replacing segment continues that stream as a second frame (booted in BootIT).
   */
  @Test
  void afterAnLz4LegacySegmentTheReplacementIsASecondLz4Frame() throws Exception {
    Path out = tmp.resolve("lz4.img");
    InjectResult r = Initramfs.injector().inject(Fixtures.get("lz4-last.img"), out, false);
    List<Segment> segs = r.image().segments();
    Segment last = segs.get(segs.size() - 1);
    assertThat(last.compression()).isEqualTo(Compression.LZ4_LEGACY);
    assertThat(last.entries()).extracting(Entry::name).containsExactly("init");
    assertThat(segs.get(segs.size() - 2).compression()).isEqualTo(Compression.LZ4_LEGACY);
    assertThat(segs.get(segs.size() - 2).end()).isEqualTo(last.offset());
    assertThat(Initramfs.reader().read(out).segments()).isEqualTo(segs);
    assertThat(Initramfs.injector().verify(out).ok()).isTrue();
    if (Fixtures.hasTool("lz4")) {
      Segment first = segs.stream()
          .filter(x -> x.compression() == Compression.LZ4_LEGACY)
          .findFirst()
          .orElseThrow();
      Path rest = tmp.resolve("rest.lz4");
      byte[] all = Files.readAllBytes(out);
      Files.write(rest, Arrays.copyOfRange(all, (int) first.offset(), all.length));
      assertThat(Fixtures.run(rest, "lz4", "-d", "-c"))
          .as("lz4 reads both frames as one stream")
          .isPresent();
    }
  }

  @Test
  void verifyPassesAfterAndFailsBefore() throws IOException {
    Path out = tmp.resolve("out.img");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Verification after = Initramfs.injector().verify(out);
    assertThat(after.checks())
        .allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(after.checks())
        .extracting(Verification.Check::name)
        .containsExactly(
            "hook", "sh -n", "init.orig", "/bin/sh", "auditctl", "loader", "libraries", "rules");
    Verification before = Initramfs.injector().verify(Fixtures.get("early-zstd.img"));
    assertThat(before.ok()).isFalse();
    assertThat(before.checks().get(0).detail())
        .isEqualTo("no bootaudit hook (wrapper /init, init-top script,"
            + " dracut cmdline hook or systemd unit): this image is not injected");
  }

  @Test
  void gnuCpioAndLsinitramfsReadTheResult() throws Exception {
    assumeTrue(Fixtures.hasTool("cpio"), "GNU cpio not installed");
    Path out = tmp.resolve("out.img");
    InjectResult r = Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Segment inserted = r.image().segments().get(1);
    Path alone = tmp.resolve("inserted.cpio");
    byte[] all = Files.readAllBytes(out);
    Files.write(alone, Arrays.copyOfRange(all, (int) inserted.offset(), (int) inserted.end()));
    String listed = Fixtures.run(alone, "cpio", "-t", "--quiet").orElseThrow();
    assertThat(listed.split("\n"))
        .containsExactlyElementsOf(inserted.entries().stream().map(Entry::name).toList());
    assumeTrue(
        Fixtures.hasTool("lsinitramfs") && Fixtures.hasTool("zstd"),
        "lsinitramfs (initramfs-tools) not installed");
    List<String> theirs =
        List.of(Fixtures.run(null, "lsinitramfs", out.toString()).orElseThrow().split("\n"));
    assertThat(theirs)
        .contains(
            "kernel/x86/microcode/GenuineIntel.bin",
            "bootaudit/auditctl",
            "bootaudit/audit.rules",
            "init.orig",
            "lib/modules/blob.ko");
  }

  @Test
  void symlinkInitStaysASymlinkAndArchIsChecked() throws IOException {
    Path in = image(
        "systemd.img",
        new NewcWriter(0)
            .dir("bin", 0755)
            .file("bin/sh", 0755, hostShell())
            .dir("lib", 0755)
            .file("lib/systemd", 0755, hostShell())
            .symlink("init", "lib/systemd"));
    InjectResult r = Initramfs.injector().inject(in, tmp.resolve("out.img"), false);
    assertThat(r.image().segments())
        .as("an uncompressed image gets one appended segment")
        .hasSize(2);
    assertThat(r.newSegments()).containsExactly(r.image().segments().get(1));
    assertThat(r.image().segments().get(1).entries())
        .extracting(Entry::name)
        .contains("init", "init.orig");
    Entry orig = r.image().findEntry("init.orig").orElseThrow();
    assertThat(orig.kind()).isEqualTo(Entry.Kind.SYMLINK);
    assertThat(orig.linkTarget()).isEqualTo("lib/systemd");
    assertThat(r.warnings()).isEmpty();
    assertThat(Initramfs.injector().verify(tmp.resolve("out.img")).ok()).isTrue();
  }

  @Test
  void rulesAreLintedForEarlyBootBeforeTheImageIsRead() throws IOException {
    Path out = tmp.resolve("out.img");
    Path rules = Files.writeString(
        tmp.resolve("bad.rules"), "-a always,exit -F arch=b64 -S openat -k x\n-e 2\n");
    assertThatThrownBy(() ->
            Initramfs.injector().rules(rules).inject(Fixtures.get("early-zstd.img"), out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageStartingWith(rules + ":2:")
        .hasMessageEndingWith("(rules for early boot; nothing written)");
    assertThat(out).doesNotExist();
    InjectResult r = Initramfs.injector()
        .rulesText("-w /etc/passwd -p wa -k passwd\n")
        .inject(Fixtures.get("early-zstd.img"), out, false);
    assertThat(r.warnings()).first().asString().startsWith("rules:1:");
  }

  @Test
  void refusesWhatCannotWork() throws IOException {
    Path out = tmp.resolve("out.img");
    Path noSh = image(
        "nosh.img",
        new NewcWriter(0).file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> Initramfs.injector().inject(noSh, out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageEndingWith("has no /bin/sh to run the wrapper");
    Path noInit =
        image("noinit.img", new NewcWriter(0).dir("bin", 0755).file("bin/sh", 0755, hostShell()));
    assertThatThrownBy(() -> Initramfs.injector().inject(noInit, out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("has no /init");
    byte[] arm = Arrays.copyOf(hostShell(), 64);
    arm[18] = (byte) 183;
    arm[19] = 0;
    Path aarch64 = image(
        "arm.img",
        new NewcWriter(0)
            .dir("bin", 0755)
            .file("bin/sh", 0755, arm)
            .file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> Initramfs.injector().inject(aarch64, out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining(
            "its /bin/sh is aarch64 (64-bit) but /usr/sbin/auditctl is x86_64 (64-bit)");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    assertThatThrownBy(() -> Initramfs.injector().inject(out, tmp.resolve("twice.img"), false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("already injected");
    assertThat(tmp.resolve("twice.img")).doesNotExist();
  }

  @Test
  void outputEqualToInputNeedsInPlaceAndKeepsABackup() throws IOException {
    Path in = tmp.resolve("in.img");
    Files.copy(Fixtures.get("early-zstd.img"), in);
    assertThatThrownBy(() -> Initramfs.injector().inject(in, in, false))
        .hasMessageContaining("is the input image");
    assertThat(Files.mismatch(in, Fixtures.get("early-zstd.img"))).isEqualTo(-1L);
    Initramfs.injector().inject(in, in, true);
    assertThat(
            Files.mismatch(tmp.resolve("in.img.bootaudit-backup"), Fixtures.get("early-zstd.img")))
        .isEqualTo(-1L);
    assertThat(Initramfs.injector().verify(in).ok()).isTrue();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in.img", "in.img.bootaudit-backup");
    }
  }

  @Test
  void shippedAuditctlRunsThroughItsPrivateLoader() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && Fixtures.hasTool("chroot"),
        "needs root and chroot");
    Path out = tmp.resolve("out.img");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Path root = tmp.resolve("root");
    Initramfs.reader().extract(out, root);
    String version = Fixtures.run(
            null,
            "chroot",
            root.toString(),
            "/bootaudit/lib/ld-linux-x86-64.so.2",
            "--inhibit-cache",
            "--library-path",
            "/bootaudit/lib",
            "/bootaudit/auditctl",
            "-v")
        .orElseThrow();
    assertThat(version).startsWith("auditctl version");
  }

  @Test
  void initramfsToolsModeRunsTheHookFirstFromOrder() throws IOException {
    String order = "/scripts/init-top/udev \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n";
    Path in = image(
        "itools.img",
        new NewcWriter(0)
            .dir("bin", 0755)
            .file("bin/sh", 0755, hostShell())
            .dir("conf", 0755)
            .file("conf/initramfs.conf", 0644, new byte[0])
            .dir("scripts", 0755)
            .dir("scripts/init-top", 0755)
            .file("scripts/init-top/ORDER", 0644, order.getBytes(StandardCharsets.UTF_8))
            .file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    Path out = tmp.resolve("out.img");
    InjectResult r =
        Initramfs.injector().mode(Injector.Mode.INITRAMFS_TOOLS).inject(in, out, false);
    assertThat(r.generator()).isEqualTo(Injector.Generator.INITRAMFS_TOOLS);
    assertThat(r.added())
        .contains("scripts/init-top/bootaudit", "scripts/init-top/ORDER")
        .doesNotContain("init", "init.orig");
    Image img = r.image();
    assertThat(Initramfs.reader()
            .readData(img, img.findEntry("scripts/init-top/ORDER").orElseThrow(), 1000))
        .asString()
        .isEqualTo(
            "/scripts/init-top/bootaudit \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n"
                + order);
    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks().get(0).detail()).contains("runs first from ORDER");
    assertThatThrownBy(() -> Initramfs.injector()
            .mode(Injector.Mode.INITRAMFS_TOOLS)
            .inject(Fixtures.get("early-zstd.img"), tmp.resolve("x.img"), false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("is not an initramfs-tools image");
  }

  @Test
  void defaultRulesAreTheEarlyBootProfileWithoutPathFilters() {
    String rules = new String(Injector.defaultRules(), StandardCharsets.UTF_8)
        .lines()
        .filter(l -> !l.startsWith("#"))
        .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(rules)
        .contains("-b 131072")
        .doesNotContain("-e 2")
        .doesNotContain("-w ")
        .doesNotContain("path=");
    assertThat(rules).contains("arch=b64").contains("arch=b32");
  }
}
