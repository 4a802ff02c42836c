package org.bootaudit.initramfs;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.LZMAInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * One compressed stream starting at a known byte, decompressed on demand, whose exact
 * compressed length is known once {@link #stream()} has returned end of file.
 */
abstract class Compressed {
  /** xz and lzma dictionaries above this are refused (the kernel's own limit is far lower). */
  private static final int MEMORY_LIMIT_KIB = 512 * 1024;

  final ByteBuffer buf;
  final int start;
  final int limit;

  Compressed(ByteBuffer buf, int start, int limit) {
    this.buf = buf;
    this.start = start;
    this.limit = limit;
  }

  /** The decompressed bytes. */
  abstract InputStream stream() throws IOException;

  /** Compressed bytes consumed; exact once {@link #stream()} has reached its end. */
  abstract long consumed();

  static Compressed open(Compression c, ByteBuffer buf, int start, int limit) throws IOException {
    return switch (c) {
      case GZIP -> new Gzip(buf, start, limit);
      case ZSTD -> new Counted(buf, start, limit, c);
      case XZ, LZMA, BZIP2 -> new Counted(buf, start, limit, c);
      case LZ4_LEGACY -> new Lz4Legacy(buf, start, limit);
      case NONE, LZO -> throw new IOException("no decoder for " + c.label());
    };
  }

  /** Decoders that read their input exactly up to the stream's end: count what they took. */
  static final class Counted extends Compressed {
    private final Compression kind;
    private BufferInput in;
    private long frameLength = -1;

    Counted(ByteBuffer buf, int start, int limit, Compression kind) {
      super(buf, start, limit);
      this.kind = kind;
    }

    @Override
    InputStream stream() throws IOException {
      if (kind == Compression.ZSTD) {
        // zstd-jni reads ahead; the frame's length comes from its headers instead.
        frameLength = zstdFrameLength(buf, start, limit);
        in = new BufferInput(buf, start, start + Math.toIntExact(frameLength));
        return new ZstdInputStreamNoFinalizer(in);
      }
      in = new BufferInput(buf, start, limit);
      return switch (kind) {
        case XZ -> new SingleXZInputStream(in, MEMORY_LIMIT_KIB);
        case LZMA -> new LZMAInputStream(in, MEMORY_LIMIT_KIB);
        case BZIP2 -> new BZip2CompressorInputStream(in, false);
        default -> throw new IllegalStateException(kind.toString());
      };
    }

    @Override
    long consumed() {
      return frameLength >= 0 ? frameLength : in.position() - start;
    }
  }

  /**
   * Length of the zstd frame at {@code start}, walked through its block headers without
   * decompressing (RFC 8878 §3.1.1).
   */
  static long zstdFrameLength(ByteBuffer b, int start, int limit) throws IOException {
    int p = start + 4;
    need(p + 1, limit, "zstd frame header");
    int fhd = b.get(p++) & 0xff;
    if ((fhd & 0x08) != 0) {
      throw new IOException("zstd frame header has its reserved bit set");
    }
    boolean single = (fhd & 0x20) != 0;
    p += single ? 0 : 1;
    p += new int[] {0, 1, 2, 4}[fhd & 3];
    p += switch (fhd >>> 6) {
      case 0 -> single ? 1 : 0;
      case 1 -> 2;
      case 2 -> 4;
      default -> 8;
    };
    boolean last = false;
    while (!last) {
      need(p + 3, limit, "zstd block header");
      int h = (b.get(p) & 0xff) | (b.get(p + 1) & 0xff) << 8 | (b.get(p + 2) & 0xff) << 16;
      p += 3;
      last = (h & 1) != 0;
      int size = h >>> 3;
      p = switch ((h >>> 1) & 3) {
        case 0, 2 -> Math.addExact(p, size);
        case 1 -> p + 1;
        default -> throw new IOException("zstd block of reserved type at byte " + (p - 3));
      };
    }
    p += (fhd & 0x04) != 0 ? 4 : 0;
    need(p, limit, "zstd frame");
    return p - (long) start;
  }

  private static void need(long end, int limit, String what) throws EOFException {
    if (end > limit) {
      throw new EOFException(
          "truncated " + what + ": needs byte " + (end - 1) + ", file ends at " + limit);
    }
  }

  /** One gzip member, inflated straight from the file bytes so its end is exact. */
  static final class Gzip extends Compressed {
    private int end = -1;

    Gzip(ByteBuffer buf, int start, int limit) {
      super(buf, start, limit);
    }

    @Override
    InputStream stream() throws IOException {
      need(start + 10L, limit, "gzip header");
      if (buf.get(start + 2) != 8) {
        throw new IOException("gzip method " + buf.get(start + 2) + " is not deflate");
      }
      int flags = buf.get(start + 3) & 0xff;
      int p = start + 10;
      if ((flags & 4) != 0) {
        need(p + 2L, limit, "gzip extra field");
        p += 2 + ((buf.get(p) & 0xff) | (buf.get(p + 1) & 0xff) << 8);
      }
      for (int bit : new int[] {8, 16}) {
        if ((flags & bit) != 0) {
          while (true) {
            need(p + 1L, limit, "gzip header");
            if (buf.get(p++) == 0) {
              break;
            }
          }
        }
      }
      p += (flags & 2) != 0 ? 2 : 0;
      need(p, limit, "gzip header");
      Inflater inflater = new Inflater(true);
      inflater.setInput(buf.slice(p, limit - p));
      int deflateStart = p;
      CRC32 crc = new CRC32();
      return new InputStream() {
        private long total;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (len == 0) {
            return 0;
          }
          while (true) {
            if (inflater.finished()) {
              finish();
              return -1;
            }
            int n;
            try {
              n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
              throw new IOException("corrupt deflate data: " + e.getMessage(), e);
            }
            if (n > 0) {
              crc.update(b, off, n);
              total += n;
              return n;
            }
            if (inflater.needsInput() || inflater.needsDictionary()) {
              throw new EOFException("truncated gzip stream");
            }
          }
        }

        private void finish() throws IOException {
          if (end >= 0) {
            return;
          }
          int trailer = deflateStart + (int) inflater.getBytesRead();
          inflater.end();
          need(trailer + 8L, limit, "gzip trailer");
          long storedCrc = le32(trailer);
          long storedSize = le32(trailer + 4);
          if (storedCrc != crc.getValue() || storedSize != (total & 0xffffffffL)) {
            throw new IOException("gzip trailer does not match the data (CRC or size)");
          }
          end = trailer + 8;
        }
      };
    }

    private long le32(int p) {
      return (buf.get(p) & 0xffL)
          | (buf.get(p + 1) & 0xffL) << 8
          | (buf.get(p + 2) & 0xffL) << 16
          | (buf.get(p + 3) & 0xffL) << 24;
    }

    @Override
    long consumed() {
      return end - start;
    }
  }

  /**
   * The lz4 legacy framing ({@code lz4 -l}, the kernel's unlz4): a magic, then blocks of
   * [le32 compressed size][data], each expanding to at most 8 MiB. It has no end marker: the
   * stream ends at the file's end, at a zero size, or at a size no block can have. Another magic
   * (the next {@code lz4 -l} frame) ends it too: the kernel's unlz4 skips the magic and goes on
   * decompressing, which unpacks the same entries in the same order as a new segment does.
   */
  static final class Lz4Legacy extends Compressed {
    static final int MAGIC = 0x184C2102;
    static final int CHUNK = 8 << 20;
    static final int BOUND = CHUNK + CHUNK / 255 + 16;
    private int pos;
    private boolean done;

    Lz4Legacy(ByteBuffer buf, int start, int limit) {
      super(buf, start, limit);
      this.pos = start + 4;
    }

    @Override
    InputStream stream() {
      LZ4SafeDecompressor lz4 = LZ4Factory.safeInstance().safeDecompressor();
      return new InputStream() {
        private byte[] out = new byte[0];
        private int outPos;
        private int outLen;

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          while (outPos == outLen) {
            if (!nextBlock()) {
              return -1;
            }
          }
          int n = Math.min(len, outLen - outPos);
          System.arraycopy(out, outPos, b, off, n);
          outPos += n;
          return n;
        }

        private boolean nextBlock() throws IOException {
          while (!done) {
            if (limit - pos < 4) {
              done = true;
              break;
            }
            long size = (buf.get(pos) & 0xffL)
                | (buf.get(pos + 1) & 0xffL) << 8
                | (buf.get(pos + 2) & 0xffL) << 16
                | (buf.get(pos + 3) & 0xffL) << 24;
            if (size == MAGIC) {
              if (pos > start + 4) {
                // the kernel skips it and goes on; as a file, it is the next frame: a new segment
                done = true;
                break;
              }
              pos += 4;
              continue;
            }
            if (size == 0) {
              pos += 4;
              done = true;
              break;
            }
            if (size > BOUND) {
              done = true;
              break;
            }
            need(pos + 4L + size, limit, "lz4 block");
            byte[] in = new byte[(int) size];
            buf.get(pos + 4, in);
            if (out.length == 0) {
              out = new byte[CHUNK];
            }
            try {
              outLen = lz4.decompress(in, 0, in.length, out, 0, CHUNK);
            } catch (LZ4Exception e) {
              throw new IOException("corrupt lz4 block at byte " + pos + ": " + e.getMessage(), e);
            }
            outPos = 0;
            pos += 4 + (int) size;
            return true;
          }
          return false;
        }
      };
    }

    @Override
    long consumed() {
      return pos - start;
    }
  }
}
