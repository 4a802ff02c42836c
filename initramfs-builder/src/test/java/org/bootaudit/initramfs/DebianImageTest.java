package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: an initramfs built by Debian's mkinitramfs for the installed kernel (zstd),
 * plain and with an early (uncompressed) cpio prepended. Skipped where initramfs-tools or a
 * kernel is not installed (CI: apt-get install initramfs-tools linux-image-amd64 zstd cpio).
 */
class DebianImageTest {
  @TempDir
  static Path dir;

  static Path image;
  static Path withEarly;

  @BeforeAll
  static void build() throws Exception {
    String[] kernels = new File("/lib/modules").list();
    assumeTrue(Fixtures.hasTool("mkinitramfs"), "mkinitramfs (initramfs-tools) not installed");
    assumeTrue(
        kernels != null && kernels.length > 0, "no kernel in /lib/modules (linux-image-amd64)");
    Arrays.sort(kernels);
    image = dir.resolve("initrd.img");
    Process p = new ProcessBuilder("mkinitramfs", "-o", image.toString(), kernels[0])
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    assumeTrue(p.waitFor() == 0, "mkinitramfs failed");
    withEarly = dir.resolve("early.img");
    try (OutputStream out = Files.newOutputStream(withEarly)) {
      out.write(Files.readAllBytes(Fixtures.DIR.resolve("early-zstd.img")), 0, 1024);
      Files.copy(image, out);
    }
  }

  @Test
  void readsTheWholeZstdImageLikeLsinitramfs() throws Exception {
    Image read = Initramfs.reader().read(image);
    assertThat(read.segments()).extracting(Segment::compression).containsExactly(Compression.ZSTD);
    assertThat(read.segments().get(0).end()).isEqualTo(read.size());
    assertThat(read.findEntry("init")).isPresent();
    assumeTrue(Fixtures.hasTool("lsinitramfs"), "lsinitramfs not installed");
    Set<String> theirs = new TreeSet<>(Arrays.asList(
        Fixtures.run(null, "lsinitramfs", image.toString()).orElseThrow().split("\n")));
    Set<String> ours =
        read.allEntries().stream().map(Entry::name).collect(Collectors.toCollection(TreeSet::new));
    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void earlyCpioThenZstd() throws IOException {
    Image read = Initramfs.reader().read(withEarly);
    assertThat(read.segments())
        .extracting(Segment::compression)
        .containsExactly(Compression.NONE, Compression.ZSTD);
    assertThat(read.findEntry("kernel/x86/microcode/GenuineIntel.bin")).isPresent();
  }

  @Test
  void roundTripIsByteIdentical() throws IOException {
    for (Path p : new Path[] {image, withEarly}) {
      Path out = dir.resolve(p.getFileName() + ".copy");
      Initramfs.write(Initramfs.reader().read(p), out);
      assertThat(Files.mismatch(out, p)).isEqualTo(-1L);
    }
  }

  @Test
  void injectKeepsEveryOriginalByteAndVerifies() throws Exception {
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    for (Path p : new Path[] {image, withEarly}) {
      Path out = dir.resolve(p.getFileName() + ".injected");
      InjectResult r = Initramfs.injector().inject(p, out, false);
      assertThat(r.warnings()).isEmpty();
      assertThat(r.generator()).isEqualTo(Injector.Generator.INITRAMFS_TOOLS);
      assertThat(r.mode()).isEqualTo(Injector.Mode.WRAP);
      Image before = Initramfs.reader().read(p);
      List<Segment> kept = r.image().segments().stream()
          .filter(x -> !r.newSegments().contains(x))
          .toList();
      assertThat(kept).hasSameSizeAs(before.segments());
      byte[] from = Files.readAllBytes(p);
      byte[] to = Files.readAllBytes(out);
      for (int i = 0; i < kept.size(); i++) {
        Segment was = before.segments().get(i);
        Segment now = kept.get(i);
        assertThat(now.entries()).isEqualTo(was.entries());
        assertThat(Arrays.mismatch(
                to, (int) now.offset(), (int) now.end(), from, (int) was.offset(), (int) was.end()))
            .as("segment %d byte-identical", was.number())
            .isEqualTo(-1);
      }
      assertThat(r.newSegments())
          .extracting(Segment::compression)
          .containsExactly(Compression.NONE, Compression.ZSTD);
      assertThat(r.newSegments().get(1).end()).isEqualTo(to.length);
      if (Fixtures.hasTool("lsinitramfs")) {
        Set<String> theirs = new TreeSet<>(Arrays.asList(
            Fixtures.run(null, "lsinitramfs", out.toString()).orElseThrow().split("\n")));
        assertThat(theirs)
            .as("lsinitramfs reads the injected image and shows the new files")
            .contains(
                "bootaudit/auditctl",
                "bootaudit/lib/libaudit.so.1",
                "bootaudit/audit.rules",
                "init.orig",
                "scripts/init-top/udev");
      }
      if (p == image && Fixtures.hasTool("cpio")) {
        assertThat(Fixtures.run(out, "cpio", "-t", "--quiet").orElseThrow().split("\n"))
            .as("cpio -t reads the first archive, the new one")
            .contains("bootaudit/auditctl", "init.orig");
      }
      assertThat(Initramfs.injector().verify(out).checks())
          .allSatisfy(c -> assertThat(c.ok()).as(c.toString()).isTrue());
    }
  }

  @Test
  void initramfsToolsModeOnTheRealImage() throws Exception {
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    Path out = dir.resolve("itools.img");
    InjectResult r =
        Initramfs.injector().mode(Injector.Mode.INITRAMFS_TOOLS).inject(image, out, false);
    assertThat(r.mode()).isEqualTo(Injector.Mode.INITRAMFS_TOOLS);
    assertThat(Initramfs.injector().verify(out).ok()).isTrue();
    assertThat(r.newSegments().get(0).entries())
        .extracting(Entry::name)
        .contains("scripts/init-top/bootaudit");
    assertThat(r.newSegments().get(1).entries())
        .extracting(Entry::name)
        .containsExactly("scripts/init-top/ORDER");
    if (Fixtures.hasTool("lsinitramfs")) {
      assertThat(Fixtures.run(null, "lsinitramfs", out.toString()).orElseThrow().split("\n"))
          .contains("scripts/init-top/bootaudit");
    }
  }

  @Test
  void theImagesOwnShellParsesTheWrapper() throws Exception {
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    assumeTrue(
        "root".equals(System.getProperty("user.name")) && Fixtures.hasTool("chroot"),
        "needs root and chroot");
    Path out = dir.resolve("chroot.img");
    Initramfs.injector().inject(image, out, false);
    Path root = dir.resolve("chroot");
    Initramfs.reader().extract(out, root);
    assertThat(Fixtures.run(null, "chroot", root.toString(), "/bin/sh", "-n", "/init"))
        .as("busybox sh -n /init")
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

  @Test
  void extractsLikeUnmkinitramfs() throws Exception {
    Path out = dir.resolve("x");
    ExtractResult r = Initramfs.reader().extract(image, out);
    assertThat(r.written()).isGreaterThan(500);
    assertThat(out.resolve("init")).isRegularFile();
    assertThat(out.resolve("scripts/init-top")).isDirectory();
  }
}
