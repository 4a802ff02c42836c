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
 * Wrap-mode injection with this machine's auditctl (CI: apt-get install auditd): one appended
 * segment, original bytes untouched, refusals with reasons, verify before and after.
 */
class InjectTest {
  static final Path AUDITCTL = Path.of("/usr/sbin/auditctl");
  @TempDir Path tmp;

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
  void appendsOneAlignedUncompressedSegmentAndKeepsEveryByte() throws IOException {
    Path in = Fixtures.get("early-zstd.img");
    Path out = tmp.resolve("out.img");
    InjectResult r = Initramfs.injector().inject(in, out, false);
    long size = Files.size(in);
    byte[] written = Files.readAllBytes(out);
    assertThat(Arrays.mismatch(written, 0, (int) size, Files.readAllBytes(in), 0, (int) size)).isEqualTo(-1);
    List<Segment> segs = r.image().segments();
    assertThat(segs).hasSize(3);
    Segment added = segs.get(2);
    assertThat(added.compression()).isEqualTo(Compression.NONE);
    assertThat(added.offset() % 4).isZero();
    assertThat(added.offset() - size).isLessThan(4);
    assertThat(added.end()).isEqualTo(written.length);
    assertThat(r.added()).contains("init", "init.orig", "bootaudit/auditctl", "bootaudit/audit.rules", "bootaudit/lib/libc.so.6");
    assertThat(r.kernelArguments()).isEqualTo("audit=1 audit_backlog_limit=65536");
    assertThat(r.warnings()).singleElement().asString().contains("cannot tell the image's architecture");
    assertThat(r.mode()).isEqualTo(Injector.Mode.WRAP);
    assertThat(r.generator()).isEqualTo(Injector.Generator.UNKNOWN);
    Image img = r.image();
    Entry init = img.findEntry("init").orElseThrow();
    Entry orig = img.findEntry("init.orig").orElseThrow();
    assertThat(new String(Initramfs.reader().readData(img, init, 10000), StandardCharsets.UTF_8))
        .startsWith("#!/bin/sh\n" + Injector.MARKER).contains("exec /init.orig \"$@\"");
    assertThat(Initramfs.reader().readData(img, orig, 10000)).asString().isEqualTo("#!/bin/sh\necho hello from init\n");
    assertThat(orig.modeString()).isEqualTo("-rwxr-xr-x");
  }

  @Test
  void verifyPassesAfterAndFailsBefore() throws IOException {
    Path out = tmp.resolve("out.img");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Verification after = Initramfs.injector().verify(out);
    assertThat(after.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(after.checks()).extracting(Verification.Check::name)
        .containsExactly("hook", "sh -n", "init.orig", "/bin/sh", "auditctl", "loader", "libraries", "rules");
    Verification before = Initramfs.injector().verify(Fixtures.get("early-zstd.img"));
    assertThat(before.ok()).isFalse();
    assertThat(before.checks().get(0).detail()).isEqualTo("/init is not the bootaudit wrapper and no init-top hook is listed: this image is not injected");
  }

  @Test
  void gnuCpioReadsTheNewSegment() throws Exception {
    assumeTrue(Fixtures.hasTool("cpio"), "GNU cpio not installed");
    Path out = tmp.resolve("out.img");
    InjectResult r = Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Segment added = r.image().segments().get(2);
    Path tail = tmp.resolve("tail.cpio");
    byte[] all = Files.readAllBytes(out);
    Files.write(tail, Arrays.copyOfRange(all, (int) added.offset(), all.length));
    String listed = Fixtures.run(tail, "cpio", "-t", "--quiet").orElseThrow();
    assertThat(listed.split("\n")).containsExactlyElementsOf(
        added.entries().stream().map(Entry::name).toList());
  }

  @Test
  void symlinkInitStaysASymlinkAndArchIsChecked() throws IOException {
    Path in = image("systemd.img", new NewcWriter(0).dir("bin", 0755).file("bin/sh", 0755, hostShell())
        .dir("lib", 0755).file("lib/systemd", 0755, hostShell()).symlink("init", "lib/systemd"));
    InjectResult r = Initramfs.injector().inject(in, tmp.resolve("out.img"), false);
    Entry orig = r.image().findEntry("init.orig").orElseThrow();
    assertThat(orig.kind()).isEqualTo(Entry.Kind.SYMLINK);
    assertThat(orig.linkTarget()).isEqualTo("lib/systemd");
    assertThat(r.warnings()).isEmpty();
    assertThat(Initramfs.injector().verify(tmp.resolve("out.img")).ok()).isTrue();
  }

  @Test
  void refusesWhatCannotWork() throws IOException {
    Path out = tmp.resolve("out.img");
    assertThatThrownBy(() -> Initramfs.injector().inject(Fixtures.get("lz4-last.img"), out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("segment 2 (lz4-legacy) is last").hasMessageContaining("Re-encode that segment");
    Path noSh = image("nosh.img", new NewcWriter(0).file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> Initramfs.injector().inject(noSh, out, false))
        .isInstanceOf(InjectionRefusedException.class).hasMessageEndingWith("has no /bin/sh to run the wrapper");
    Path noInit = image("noinit.img", new NewcWriter(0).dir("bin", 0755).file("bin/sh", 0755, hostShell()));
    assertThatThrownBy(() -> Initramfs.injector().inject(noInit, out, false))
        .isInstanceOf(InjectionRefusedException.class).hasMessageContaining("has no /init");
    byte[] arm = Arrays.copyOf(hostShell(), 64);
    arm[18] = (byte) 183;
    arm[19] = 0;
    Path aarch64 = image("arm.img", new NewcWriter(0).dir("bin", 0755).file("bin/sh", 0755, arm)
        .file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> Initramfs.injector().inject(aarch64, out, false))
        .isInstanceOf(InjectionRefusedException.class)
        .hasMessageContaining("its /bin/sh is aarch64 (64-bit) but /usr/sbin/auditctl is x86_64 (64-bit)");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    assertThatThrownBy(() -> Initramfs.injector().inject(out, tmp.resolve("twice.img"), false))
        .isInstanceOf(InjectionRefusedException.class).hasMessageContaining("already injected");
    assertThat(tmp.resolve("twice.img")).doesNotExist();
  }

  @Test
  void outputEqualToInputNeedsInPlaceAndKeepsABackup() throws IOException {
    Path in = tmp.resolve("in.img");
    Files.copy(Fixtures.get("early-zstd.img"), in);
    assertThatThrownBy(() -> Initramfs.injector().inject(in, in, false)).hasMessageContaining("is the input image");
    assertThat(Files.mismatch(in, Fixtures.get("early-zstd.img"))).isEqualTo(-1L);
    Initramfs.injector().inject(in, in, true);
    assertThat(Files.mismatch(tmp.resolve("in.img.bootaudit-backup"), Fixtures.get("early-zstd.img"))).isEqualTo(-1L);
    assertThat(Initramfs.injector().verify(in).ok()).isTrue();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in.img", "in.img.bootaudit-backup");
    }
  }

  @Test
  void shippedAuditctlRunsThroughItsPrivateLoader() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Fixtures.hasTool("chroot"), "needs root and chroot");
    Path out = tmp.resolve("out.img");
    Initramfs.injector().inject(Fixtures.get("early-zstd.img"), out, false);
    Path root = tmp.resolve("root");
    Initramfs.reader().extract(out, root);
    String version = Fixtures.run(null, "chroot", root.toString(), "/bootaudit/lib/ld-linux-x86-64.so.2",
        "--inhibit-cache", "--library-path", "/bootaudit/lib", "/bootaudit/auditctl", "-v").orElseThrow();
    assertThat(version).startsWith("auditctl version");
  }

  @Test
  void initramfsToolsModeRunsTheHookFirstFromOrder() throws IOException {
    String order = "/scripts/init-top/udev \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n";
    Path in = image("itools.img", new NewcWriter(0).dir("bin", 0755).file("bin/sh", 0755, hostShell())
        .dir("conf", 0755).file("conf/initramfs.conf", 0644, new byte[0]).dir("scripts", 0755)
        .dir("scripts/init-top", 0755).file("scripts/init-top/ORDER", 0644, order.getBytes(StandardCharsets.UTF_8))
        .file("init", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)));
    Path out = tmp.resolve("out.img");
    InjectResult r = Initramfs.injector().mode(Injector.Mode.INITRAMFS_TOOLS).inject(in, out, false);
    assertThat(r.generator()).isEqualTo(Injector.Generator.INITRAMFS_TOOLS);
    assertThat(r.added()).contains("scripts/init-top/bootaudit", "scripts/init-top/ORDER").doesNotContain("init", "init.orig");
    Image img = r.image();
    assertThat(Initramfs.reader().readData(img, img.findEntry("scripts/init-top/ORDER").orElseThrow(), 1000)).asString()
        .isEqualTo("/scripts/init-top/bootaudit \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n" + order);
    Verification v = Initramfs.injector().verify(out);
    assertThat(v.checks()).allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    assertThat(v.checks().get(0).detail()).contains("runs first from ORDER");
    assertThatThrownBy(() -> Initramfs.injector().mode(Injector.Mode.INITRAMFS_TOOLS)
            .inject(Fixtures.get("early-zstd.img"), tmp.resolve("x.img"), false))
        .isInstanceOf(InjectionRefusedException.class).hasMessageContaining("is not an initramfs-tools image");
  }

  @Test
  void builtInRulesPassTheLintAndHaveNoPathFilters() throws IOException {
    String rules = new String(Injector.defaultRules(), StandardCharsets.UTF_8).lines()
        .filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
    assertThat(rules).contains("-b 65536").doesNotContain("-e 2").doesNotContain("-w ").doesNotContain("path=");
    assertThat(rules).contains("arch=b64").contains("arch=b32");
  }
}
