package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's hostile images at the command line: an {@code /init} of 200 MiB (claimed, or real
 * in a 200 KiB gzip segment) and a symlink target with a NUL byte are exit 65 with the entry and
 * byte offset, never a stack trace. The images are made here.
 */
class HostileImageTest {
  private static final long MIB = 1 << 20;

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  private static byte[] header(String name, int mode, long size) {
    byte[] n = (name + "\0").getBytes(StandardCharsets.ISO_8859_1);
    StringBuilder h = new StringBuilder("070701");
    for (long f : new long[] {1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, n.length, 0}) {
      h.append(String.format("%08x", f));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(n);
    out.writeBytes(new byte[-out.size() & 3]);
    return out.toByteArray();
  }

  private static void entry(OutputStream out, String name, int mode, byte[] data)
      throws IOException {
    out.write(header(name, mode, data.length));
    out.write(data);
    out.write(new byte[-data.length & 3]);
  }

  /** bin, bin/sh, then /init of {@code size} newlines (a claim only if not {@code real}). */
  private Path image(String name, long size, boolean real) throws IOException {
    Path p = tmp.resolve(name);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      entry(out, "bin", 040755, new byte[0]);
      entry(out, "bin/sh", 0100755, "#!/bin/busybox\n".getBytes(StandardCharsets.US_ASCII));
      out.write(header("init", 0100755, size));
      if (real) {
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) '\n');
        for (long left = size; left > 0; left -= block.length) {
          out.write(block, 0, (int) Math.min(left, block.length));
        }
        entry(out, "TRAILER!!!", 0, new byte[0]);
      } else {
        out.write("#!/bin/sh\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    return p;
  }

  /** Where /init's header is in the decompressed segment: after bin and bin/sh. */
  private static final String INIT_AT = "decompressed byte 0xfc";

  @Test
  void anInitOf200MiBIsRefusedByVerifyAndInjectWithTheCap() throws IOException {
    Path image = image("big-init.img", 200 * MIB, true);
    assertThat(Files.size(image)).isLessThan(MIB);
    String refusal = "bootaudit: big-init.img: segment 1 (gzip) at byte 0x0, " + INIT_AT
        + ": entry 'init' claims 200 MiB, more than the 16 MiB of entry data read into memory"
        + " (raise maxBuffered if the image is genuine)\n";
    assertThat(cli.run("initramfs", "verify", image.toString())).isEqualTo(65);
    assertThat(cli.errors()).isEqualTo(refusal);
    Path out = tmp.resolve("out.img");
    assertThat(cli.run("initramfs", "inject", image.toString(), "-o", out.toString()))
        .isEqualTo(65);
    assertThat(cli.errors()).isEqualTo(refusal);
    assertThat(out).doesNotExist();
    // listing streams: 200 MiB is within --max-expanded-size
    assertThat(cli.run("initramfs", "ls", image.toString())).isEqualTo(0);
    assertThat(cli.out()).contains(" 209715200 1970-01-01 00:00 init\n");
  }

  @Test
  void theCapIsAnOption() throws IOException {
    Path image = image("init-2m.img", 2 * MIB, true);
    assertThat(cli.run("initramfs", "verify", "--max-buffered", "1048576", image.toString()))
        .isEqualTo(65);
    assertThat(cli.errors())
        .contains(INIT_AT + ": entry 'init' claims 2 MiB, more than the 1 MiB")
        .doesNotContain("\tat ");
    assertThat(cli.run("initramfs", "verify", "--max-buffered", "0", image.toString()))
        .isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --max-buffered must be a positive number of bytes, not 0\n");
    assertThat(cli.run("initramfs", "ls", "--max-expanded-size=-1", image.toString()))
        .isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --max-expanded-size must be a positive number of bytes, not -1\n");
  }

  @Test
  void aTruncatedImageClaiming200MiBIsALocatedError() throws IOException {
    Path image = image("claim.img", 200 * MIB, false);
    for (String command : new String[] {"ls", "verify", "extract"}) {
      String[] args = command.equals("extract")
          ? new String[] {
            "initramfs", command, image.toString(), tmp.resolve("x").toString()
          }
          : new String[] {"initramfs", command, image.toString()};
      assertThat(cli.run(args)).as(command).isEqualTo(65);
      assertThat(cli.errors())
          .as(command)
          .isEqualTo("bootaudit: claim.img: segment 1 (gzip) at byte 0x0, " + INIT_AT
              + ": data of 'init' is truncated: 200.0 MiB missing\n");
    }
    assertThat(cli.run(
            "initramfs", "inject", image.toString(), "-o", tmp.resolve("o").toString()))
        .isEqualTo(65);
    assertThat(cli.errors()).contains(INIT_AT + ": entry 'init' claims 200 MiB");
  }

  @Test
  void extractOfASymlinkTargetWithANulIsExit65() throws IOException {
    Path image = tmp.resolve("symlink-nul.cpio");
    try (OutputStream out = Files.newOutputStream(image)) {
      entry(out, "lib", 040755, new byte[0]);
      entry(out, "lib/l", 0120777, "a\0b".getBytes(StandardCharsets.ISO_8859_1));
      entry(out, "TRAILER!!!", 0, new byte[0]);
    }
    Path dir = tmp.resolve("x");
    assertThat(cli.run("initramfs", "extract", image.toString(), dir.toString()))
        .isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: symlink-nul.cpio: segment 1 (none) at byte 0x74: symlink 'lib/l'"
            + " -> 'a\\x00b' holds a NUL byte\n");
    assertThat(dir.resolve("lib/l")).doesNotExist();
  }
}
