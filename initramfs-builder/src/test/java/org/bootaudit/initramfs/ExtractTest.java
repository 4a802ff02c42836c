package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Extraction matches GNU cpio's, keeps links, skips device nodes, lets later entries win. */
class ExtractTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain.cpio",
        "plain.cpio.gz",
        "plain.cpio.zst",
        "plain.cpio.xz",
        "plain.cpio.lzma",
        "plain.cpio.bz2",
        "plain.cpio.lz4",
        "crc.cpio"
      })
  void extractsEveryKind(String fixture) throws IOException {
    Path out = tmp.resolve("out");
    ExtractResult r = Initramfs.reader().extract(Fixtures.get(fixture), out);
    assertThat(Files.readString(out.resolve("init")))
        .isEqualTo("#!/bin/sh\necho hello from init\n");
    assertThat(Files.readSymbolicLink(out.resolve("bin/sh"))).isEqualTo(Path.of("busybox"));
    assertThat(Files.readSymbolicLink(out.resolve("bin/ls"))).isEqualTo(Path.of("/bin/busybox"));
    assertThat(Files.getAttribute(out.resolve("bin/sh-hard"), "unix:ino"))
        .isEqualTo(Files.getAttribute(out.resolve("bin/busybox"), "unix:ino"));
    assertThat(Files.readString(out.resolve("bin/busybox"))).isEqualTo("busybox\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("init"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.getLastModifiedTime(out.resolve("init")).toMillis())
        .isEqualTo(1700000000_000L);
    assertThat(r.skipped()).containsExactly("dev/console", "dev/fifo", "etc/caf\\xE9");
    assertThat(Files.exists(out.resolve("dev/console"), LinkOption.NOFOLLOW_LINKS))
        .isFalse();
  }

  @Test
  void laterSegmentsWin() throws IOException {
    Path out = tmp.resolve("out");
    Initramfs.reader().extract(Fixtures.get("multi.img"), out);
    assertThat(Files.readString(out.resolve("etc/passwd"))).isEqualTo("second\n");
    assertThat(out.resolve("kernel/x86/microcode/GenuineIntel.bin")).exists();
  }

  @Test
  void sameTreeAsGnuCpio() throws Exception {
    assumeTrue(Fixtures.hasTool("cpio"), "GNU cpio not installed");
    Path ours = tmp.resolve("ours");
    Path theirs = tmp.resolve("theirs");
    Files.createDirectories(theirs);
    Initramfs.reader().extract(Fixtures.get("plain.cpio"), ours);
    Process p = new ProcessBuilder("cpio", "-idm", "--quiet", "--no-absolute-filenames")
        .directory(theirs.toFile())
        .redirectInput(Fixtures.get("plain.cpio").toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor()).isZero();
    Map<String, String> expected = without(tree(theirs), "dev/console", "dev/fifo");
    expected.keySet().removeIf(k -> !k.matches("\\p{ASCII}*")); // not valid UTF-8: skipped by us
    assertThat(tree(ours)).isEqualTo(expected);
  }

  private static Map<String, String> without(Map<String, String> m, String... keys) {
    for (String k : keys) {
      m.remove(k);
    }
    return m;
  }

  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String k = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          m.put(k, "-> " + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          m.put(k, Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1));
        } else {
          m.put(k, Files.isDirectory(p) ? "dir" : "special");
        }
      }
    }
    return m;
  }
}
