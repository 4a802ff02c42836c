package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: what verify and inject read into memory is capped ({@link Reader#maxBuffered}), so
 * an entry that claims 200 MiB is a located error, not an OutOfMemoryError; and a symlink target
 * with a NUL byte is a located error in extract. The images are made here, a header at a time.
 */
class BufferCapTest {
  private static final int MIB = 1 << 20;

  @TempDir
  Path tmp;

  /** One newc header claiming {@code size} bytes, with the name and its padding. */
  static byte[] header(String name, int mode, long size) {
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

  /** A whole entry: header, data, padding. */
  static byte[] entry(String name, int mode, byte[] data) {
    byte[] h = header(name, mode, data.length);
    byte[] e = new byte[h.length + data.length + (-data.length & 3)];
    System.arraycopy(h, 0, e, 0, h.length);
    System.arraycopy(data, 0, e, h.length, data.length);
    return e;
  }

  static byte[] gzip(byte[]... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      for (byte[] p : parts) {
        z.write(p);
      }
    }
    return out.toByteArray();
  }

  private static final byte[] SHELL = entry("bin/sh", 0100755, "#!/bin/busybox\n".getBytes());
  private static final byte[] TRAILER = entry(NewcParser.TRAILER, 0, new byte[0]);

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(tmp.resolve(name), bytes);
  }

  @Test
  void verifyRefusesAnInitPastTheCapNamingEntryAndOffset() throws IOException {
    byte[] bin = entry("bin", 040755, new byte[0]);
    Path image =
        write("big-init.gz", gzip(bin, SHELL, entry("init", 0100755, new byte[2 * MIB]), TRAILER));
    InitramfsFormatException e = catchThrowableOfType(
        InitramfsFormatException.class,
        () -> Initramfs.injector().reader(Initramfs.reader().maxBuffered(MIB)).verify(image));
    assertThat(e).isNotNull();
    long at = bin.length + SHELL.length;
    assertThat(e.getMessage())
        .isEqualTo("big-init.gz: segment 1 (gzip) at byte 0x0, decompressed byte 0x"
            + Long.toHexString(at)
            + ": entry 'init' claims 2 MiB, more than the 1 MiB of entry data read into memory"
            + " (raise maxBuffered if the image is genuine)");
    assertThat(e.location().entry()).contains("init");
    assertThat(e.location().decompressedOffset()).hasValue(at);
  }

  @Test
  void injectRefusesAnInitClaiming200MiBBeforeReadingIt() throws IOException {
    // the stream ends after the header: only a header's worth of bytes claims 200 MiB
    byte[] claim = header("init", 0100755, 200L * MIB);
    Path image = write("claim.gz", gzip(SHELL, claim, "#!/bin/sh\n".getBytes()));
    InitramfsFormatException e = catchThrowableOfType(
        InitramfsFormatException.class,
        () -> Initramfs.injector().inject(image, tmp.resolve("out.img"), false));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .isEqualTo("claim.gz: segment 1 (gzip) at byte 0x0, decompressed byte 0x"
            + Integer.toHexString(SHELL.length)
            + ": entry 'init' claims 200 MiB, more than the 16 MiB of entry data read into memory"
            + " (raise maxBuffered if the image is genuine)");
    assertThat(tmp.resolve("out.img")).doesNotExist();
  }

  @Test
  void aTruncatedStreamClaiming200MiBIsALocatedTruncation() throws IOException {
    byte[] claim = header("init", 0100755, 200L * MIB);
    Path image = write("claim.gz", gzip(SHELL, claim, "#!/bin/sh\n".getBytes()));
    for (Runnable op :
        List.<Runnable>of(() -> read(image), () -> verify(image), () -> extract(image))) {
      InitramfsFormatException e = catchThrowableOfType(InitramfsFormatException.class, op::run);
      assertThat(e).isNotNull();
      assertThat(e.getMessage())
          .isEqualTo("claim.gz: segment 1 (gzip) at byte 0x0, decompressed byte 0x"
              + Integer.toHexString(SHELL.length)
              + ": data of 'init' is truncated: 200.0 MiB missing");
    }
  }

  @Test
  void theEntriesReadTogetherAreCappedToo() throws IOException {
    Path image = write(
        "two.cpio",
        concat(
            entry("a", 0100644, new byte[600 << 10]),
            entry("b", 0100644, new byte[600 << 10]),
            TRAILER));
    Reader reader = Initramfs.reader().maxBuffered(MIB);
    Image read = reader.read(image);
    List<Entry> both =
        read.allEntries().stream().filter(x -> x.kind() == Entry.Kind.FILE).toList();
    assertThat(reader.readData(read, both.subList(0, 1), Integer.MAX_VALUE)).hasSize(1);
    InitramfsFormatException e = catchThrowableOfType(
        InitramfsFormatException.class, () -> reader.readData(read, both, Integer.MAX_VALUE));
    assertThat(e.getMessage())
        .isEqualTo("two.cpio: segment 1 (none) at byte 0x"
            + Long.toHexString(both.get(1).headerOffset())
            + ": entry 'b' (600 KiB) would bring the entry data read into memory to 1.2 MiB, past"
            + " the cap of 1 MiB (raise maxBuffered if the image is genuine)");
    assertThat(e.location().entry()).isEqualTo(Optional.of("b"));
  }

  @Test
  void extractRefusesASymlinkTargetWithANulByte() throws IOException {
    byte[] lib = entry("lib", 040755, new byte[0]);
    Path image = write(
        "symlink-nul.cpio",
        concat(
            lib, entry("lib/l", 0120777, "a\0b".getBytes(StandardCharsets.ISO_8859_1)), TRAILER));
    InitramfsFormatException e = catchThrowableOfType(
        InitramfsFormatException.class,
        () -> Initramfs.reader().extract(image, tmp.resolve("out")));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .isEqualTo("symlink-nul.cpio: segment 1 (none) at byte 0x" + Integer.toHexString(lib.length)
            + ": symlink 'lib/l' -> 'a\\x00b' holds a NUL byte");
    assertThat(e.location().entry()).contains("lib/l");
    assertThat(tmp.resolve("out/lib/l")).doesNotExist();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void read(Path image) {
    try {
      Initramfs.reader().read(image);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void verify(Path image) {
    try {
      Initramfs.injector().verify(image);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void extract(Path image) {
    try {
      Initramfs.reader().extract(image, tmp.resolve("x"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
