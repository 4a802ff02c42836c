package org.bootaudit.initramfs;

import java.nio.ByteBuffer;
import java.util.Optional;

/** How one segment of an image is stored; the magic numbers are those the kernel checks. */
public enum Compression {
  /** An uncompressed newc cpio archive. */
  NONE("none"),
  /** One gzip member. */
  GZIP("gzip"),
  /** One zstd frame. */
  ZSTD("zstd"),
  /** One xz stream. */
  XZ("xz"),
  /** A legacy {@code .lzma} (LZMA-alone) stream. */
  LZMA("lzma"),
  /** One bzip2 stream. */
  BZIP2("bzip2"),
  /** The lz4 legacy framing written by {@code lz4 -l}. */
  LZ4_LEGACY("lz4-legacy"),
  /** lzo (lzop); recognised so that the error names it, not read. */
  LZO("lzo");

  private final String label;

  Compression(String label) {
    this.label = label;
  }

  /** The short name used in listings and error messages, e.g. {@code zstd}. */
  public String label() {
    return label;
  }

  /** Identifies a compressed stream by its first bytes, as the kernel's decompress_method does. */
  static Optional<Compression> sniff(ByteBuffer buf, int pos) {
    int left = buf.limit() - pos;
    if (left < 3) {
      return Optional.empty();
    }
    int b0 = buf.get(pos) & 0xff;
    int b1 = buf.get(pos + 1) & 0xff;
    int b2 = buf.get(pos + 2) & 0xff;
    int b3 = left > 3 ? buf.get(pos + 3) & 0xff : -1;
    if (b0 == 0x1f && (b1 == 0x8b || b1 == 0x9e)) {
      return Optional.of(GZIP);
    }
    if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
      return Optional.of(BZIP2);
    }
    if (b0 == 0x5d && b1 == 0 && b2 == 0) {
      return Optional.of(LZMA);
    }
    if (b0 == 0x89 && b1 == 'L' && b2 == 'Z') {
      return Optional.of(LZO);
    }
    if (b0 == 0x02 && b1 == 0x21 && b2 == 0x4c && b3 == 0x18) {
      return Optional.of(LZ4_LEGACY);
    }
    if (b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd) {
      return Optional.of(ZSTD);
    }
    if (b0 == 0xfd
        && b1 == '7'
        && b2 == 'z'
        && b3 == 'X'
        && left > 5
        && buf.get(pos + 4) == 'Z'
        && buf.get(pos + 5) == 0) {
      return Optional.of(XZ);
    }
    return Optional.empty();
  }
}
