package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads images; made by {@link Initramfs#reader()}. Holds the limits that protect against
 * hostile images. Not thread-safe while being configured; reusable afterwards.
 */
public final class Reader {
  /** Default for {@link #maxExpandedSize(long)}: 2 GiB. */
  public static final long DEFAULT_MAX_EXPANDED_SIZE = 2L << 30;

  private long maxExpandedSize = DEFAULT_MAX_EXPANDED_SIZE;

  Reader() {}

  /**
   * Caps the total decompressed size of all segments (and so of any one entry); an image that
   * expands past it is refused as a decompression bomb.
   */
  public Reader maxExpandedSize(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxExpandedSize must be positive: " + bytes);
    }
    this.maxExpandedSize = bytes;
    return this;
  }

  /** Lists every segment and entry of {@code image}. */
  public Image read(Path image) throws IOException {
    return scan(image, (segment, entry, data) -> {});
  }

  /**
   * Extracts {@code image} into {@code dir} (created if missing) in stored order, later
   * entries replacing earlier ones as in the kernel. Never writes outside {@code dir} and
   * never follows a symlink while writing; device nodes, FIFOs and sockets are listed in the
   * result, not created, and so are names whose bytes the platform's file-name encoding
   * ({@code sun.jnu.encoding}, usually UTF-8) cannot represent exactly; owners are not applied.
   */
  public ExtractResult extract(Path image, Path dir) throws IOException {
    Extractor x = new Extractor(dir);
    Image read = scan(image, x);
    x.finish();
    return new ExtractResult(read, x.root(), x.written(), x.skipped());
  }

  /** The data of {@code entry} (from {@code image} as read before), at most {@code max} bytes. */
  public byte[] readData(Image image, Entry entry, int max) throws IOException {
    Segment seg = image.findSegment(entry).orElseThrow(() -> new IllegalArgumentException("entry not in image"));
    byte[][] found = new byte[1][];
    scan(image.path(), (number, e, data) -> {
      if (number == seg.number() && e.headerOffset() == entry.headerOffset()) {
        found[0] = data.readNBytes(max);
      }
    });
    return Optional.ofNullable(found[0]).orElseThrow(() -> new IOException(image.path() + ": changed while read"));
  }

  /** The data of several entries of {@code image} in one pass, at most {@code max} bytes each. */
  public Map<Entry, byte[]> readData(Image image, Collection<Entry> entries, int max) throws IOException {
    Map<String, Entry> wanted = new HashMap<>();
    for (Entry e : entries) {
      Segment seg = image.findSegment(e).orElseThrow(() -> new IllegalArgumentException("entry not in image"));
      wanted.put(seg.number() + ":" + e.headerOffset(), e);
    }
    Map<Entry, byte[]> found = new IdentityHashMap<>();
    scan(image.path(), (number, e, data) -> {
      Entry w = wanted.get(number + ":" + e.headerOffset());
      if (w != null) {
        found.put(w, data.readNBytes(max));
      }
    });
    return found;
  }

  /** Receives each entry and its data while an image is scanned. */
  interface Visitor {
    void visit(int segment, Entry entry, InputStream data) throws IOException;
  }

  Image scan(Path path, Visitor visitor) throws IOException {
    return scan(path, visitor, Map.of());
  }

  /**
   * Scans {@code path}, trusting {@code known} (segments read before, keyed by the offset at
   * which their unchanged bytes now start in {@code path}) and reading only the other bytes.
   */
  Image scan(Path path, Visitor visitor, Map<Long, Segment> known) throws IOException {
    ByteBuffer buf;
    int limit;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new IOException(path + ": images of 2 GiB or more are not supported");
      }
      limit = (int) size;
      buf = size == 0 ? ByteBuffer.allocate(0) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
    }
    List<Segment> segments = new ArrayList<>();
    long budget = maxExpandedSize;
    int pos = 0;
    while (pos < limit) {
      byte b = buf.get(pos);
      if (b == 0) {
        pos++;
        continue;
      }
      int number = segments.size() + 1;
      Segment same = known.get((long) pos);
      if (same != null) {
        segments.add(new Segment(number, pos, same.length(), same.compression(), same.expandedSize(), same.entries()));
        budget -= same.expandedSize();
        pos = Math.toIntExact(pos + same.length());
        continue;
      }
      List<Entry> entries = new ArrayList<>();
      NewcParser.Sink sink = (e, data) -> {
        entries.add(e);
        try {
          visitor.visit(number, e, data);
        } catch (NewcParser.FormatError fe) {
          throw fe;
        } catch (IOException ioe) {
          throw new UncheckedIOException(ioe);
        }
      };
      try {
        Segment s = b == '0' && (pos & 3) == 0
            ? uncompressed(path, buf, pos, limit, number, budget, sink, entries)
            : compressed(path, buf, pos, limit, number, budget, sink, entries);
        segments.add(s);
        budget -= s.expandedSize();
        pos = Math.toIntExact(s.end());
      } catch (UncheckedIOException u) {
        throw u.getCause();
      }
    }
    if (segments.isEmpty()) {
      throw new InitramfsFormatException(name(path) + ": no segments (empty or all zero bytes)", 0, 0);
    }
    return new Image(path, limit, segments);
  }

  private static Segment uncompressed(Path path, ByteBuffer buf, int pos, int limit, int number, long budget,
      NewcParser.Sink sink, List<Entry> entries) throws IOException {
    NewcParser p = new NewcParser(new BufferInput(buf, pos, limit), limit - pos, budget, sink);
    try {
      p.parseArchive();
    } catch (NewcParser.FormatError fe) {
      throw new InitramfsFormatException(String.format("%s: segment %d (none) at byte %s: %s",
          name(path), number, Text.hex(pos + fe.at), fe.getMessage()), number, pos, fe);
    }
    return new Segment(number, pos, p.position(), Compression.NONE, p.position(), entries);
  }

  private static Segment compressed(Path path, ByteBuffer buf, int pos, int limit, int number, long budget,
      NewcParser.Sink sink, List<Entry> entries) throws IOException {
    Optional<Compression> c = Compression.sniff(buf, pos);
    if (c.isEmpty() || buf.get(pos) == '0') {
      byte[] magic = new byte[Math.min(4, limit - pos)];
      buf.get(pos, magic);
      throw new InitramfsFormatException(String.format(
          "%s: segment %d at byte %s: Unknown magic '%s' (expected a cpio header at a 4-aligned byte,"
              + " zero padding, or gzip, zstd, xz, lzma, bzip2 or lz4 legacy data)",
          name(path), number, Text.hex(pos), Text.sanitize(magic, 0, magic.length)), number, pos);
    }
    Compression kind = c.get();
    String where = String.format("%s: segment %d (%s) at byte %s", name(path), number, kind.label(), Text.hex(pos));
    if (kind == Compression.LZO) {
      throw new InitramfsFormatException(where + ": lzo segments are not supported", number, pos);
    }
    Compressed comp = Compressed.open(kind, buf, pos, limit);
    Capped in = null;
    try {
      in = new Capped(comp.stream(), budget);
      NewcParser p = new NewcParser(in, -1, budget, sink);
      p.parseStream();
    } catch (NewcParser.FormatError fe) {
      throw new InitramfsFormatException(where + ", decompressed byte " + Text.hex(fe.at) + ": " + fe.getMessage(),
          number, pos, fe);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UncheckedIOException u && !(u.getCause() instanceof NewcParser.FormatError)) {
        throw u;
      }
      throw new InitramfsFormatException(where + ": truncated or corrupt stream"
          + (in == null ? "" : " after " + Text.bytes(in.count) + " decompressed") + ": "
          + (e.getMessage() == null ? "unexpected end of data (" + e.getClass().getSimpleName() + ")" : e.getMessage()),
          number, pos, e);
    }
    return new Segment(number, pos, comp.consumed(), kind, in.count, entries);
  }

  private static String name(Path p) {
    Path f = p.getFileName();
    return f == null ? p.toString() : f.toString();
  }

  /** Counts decompressed bytes and stops a decompression bomb at the cap. */
  private static final class Capped extends InputStream {
    private final InputStream in;
    private final long cap;
    long count;

    Capped(InputStream in, long cap) {
      this.in = in;
      this.cap = cap;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        add(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        add(n);
      }
      return n;
    }

    private void add(int n) throws NewcParser.FormatError {
      count += n;
      if (count > cap) {
        throw new NewcParser.FormatError(count, "expands past the cap of " + Text.bytes(cap)
            + " (a decompression bomb? raise maxExpandedSize if the image is genuine)");
      }
    }
  }
}
