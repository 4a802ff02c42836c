package org.bootaudit.initramfs;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;
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

  /** Whether a segment of this kind can follow one of the same kind as another member/frame. */
  static boolean canAppend(Compression c) {
    return c == Compression.GZIP || c == Compression.ZSTD || c == Compression.XZ || c == Compression.BZIP2;
  }

  static byte[] encode(Compression c, byte[] data) throws IOException {
    if (c == Compression.ZSTD) {
      return Zstd.compress(data, 19);
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
}
