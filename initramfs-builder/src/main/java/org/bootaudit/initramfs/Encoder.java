package org.bootaudit.initramfs;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Compresses a small new segment the way the segment it follows is compressed, so that the
 * kernel (which already decompresses that format for this image) and tools that read "the rest
 * of the file" as one multi-member stream ({@code unmkinitramfs}) both accept it.
 */
final class Encoder {
  private Encoder() {}

  /** The lz4 legacy frame's magic, little-endian 0x184C2102. */
  private static final byte[] LZ4_LEGACY_MAGIC = {0x02, 0x21, 0x4c, 0x18};
  /** The largest uncompressed chunk of the lz4 legacy format. */
  private static final int LZ4_LEGACY_CHUNK = 8 << 20;

  /** Whether a segment of this kind can follow one of the same kind as another member/frame. */
  static boolean canAppend(Compression c) {
    return c == Compression.GZIP
        || c == Compression.ZSTD
        || c == Compression.XZ
        || c == Compression.BZIP2
        || c == Compression.LZ4_LEGACY;
  }

  static byte[] encode(Compression c, byte[] data) throws IOException {
    if (c == Compression.ZSTD) {
      return Zstd.compress(data, 19);
    }
    if (c == Compression.LZ4_LEGACY) {
      return lz4Legacy(data);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(data.length / 2 + 64);
    try (OutputStream out = switch (c) {
      case GZIP -> new GZIPOutputStream(bytes);
      // the kernel's xz decoder checks CRC32 or nothing, not xz's default CRC64
      case XZ -> new XZOutputStream(bytes, new LZMA2Options(), XZ.CHECK_CRC32);
      case BZIP2 -> new BZip2CompressorOutputStream(bytes);
      default -> throw new IllegalArgumentException("cannot append a " + c.label() + " segment");
    }) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  /**
   * The lz4 legacy format ({@code lz4 -l}): the magic, then chunks of at most 8 MiB, each its
   * compressed length (little-endian) and an lz4 block. The kernel's unlz4 reads such data to the
   * end of the image and skips a magic met between chunks, so a frame appended to an lz4 legacy
   * segment continues its stream; {@code lz4 -t} accepts the concatenation too.
   */
  private static byte[] lz4Legacy(byte[] data) {
    LZ4Compressor lz4 = LZ4Factory.fastestJavaInstance().highCompressor();
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    out.writeBytes(LZ4_LEGACY_MAGIC);
    for (int at = 0; at < data.length; at += LZ4_LEGACY_CHUNK) {
      int n = Math.min(LZ4_LEGACY_CHUNK, data.length - at);
      byte[] block = lz4.compress(java.util.Arrays.copyOfRange(data, at, at + n));
      out.write(block.length);
      out.write(block.length >>> 8);
      out.write(block.length >>> 16);
      out.write(block.length >>> 24);
      out.writeBytes(block);
    }
    return out.toByteArray();
  }
}
