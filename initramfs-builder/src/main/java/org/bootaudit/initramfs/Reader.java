package org.bootaudit.initramfs;

import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
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

  /**
   * Default for {@link #maxBuffered(long)}: 16 MiB, over three times the biggest file in Debian
   * 12's initramfs ({@code libcrypto.so.3}, 4.5 MiB) and eight times busybox.
   */
  public static final long DEFAULT_MAX_BUFFERED = 16L << 20;

  private long maxExpandedSize = DEFAULT_MAX_EXPANDED_SIZE;
  private long maxBuffered = DEFAULT_MAX_BUFFERED;

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

  /**
   * Caps the entry data that one operation holds in memory: any one entry read whole ({@link
   * #readData}, and the files that {@link Injector#verify} and {@link Injector#inject} read: /init,
   * the hooks, auditctl and its libraries), and all of them together. An image whose entry claims
   * more is refused with the entry and its offset; listing and extracting stream and are bounded
   * by {@link #maxExpandedSize(long)} only.
   */
  public Reader maxBuffered(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxBuffered must be positive: " + bytes);
    }
    this.maxBuffered = bytes;
    return this;
  }

  /**
   * Lists every segment and entry of {@code image}.
   *
   * @throws InitramfsFormatException (unchecked) when the image is malformed or hostile, with where
   */
  public Image read(Path image) throws IOException {
    return scan(image, (segment, entry, data) -> {});
  }

  /**
   * Extracts {@code image} into {@code dir} (created if missing) in stored order, later
   * entries replacing earlier ones as in the kernel. Never writes outside {@code dir} and
   * never follows a symlink while writing; device nodes, FIFOs and sockets are listed in the
   * result, not created, and so are names whose bytes the platform's file-name encoding
   * ({@code sun.jnu.encoding}, usually UTF-8) cannot represent exactly; owners are not applied.
   *
   * @throws InitramfsFormatException (unchecked) when the image is malformed or hostile, with where
   */
  public ExtractResult extract(Path image, Path dir) throws IOException {
    Extractor x = new Extractor(dir);
    Image read = scan(image, x);
    x.finish();
    return new ExtractResult(read, x.root(), x.written(), x.skipped());
  }

  /**
   * The data of {@code entry} (from {@code image} as read before), at most {@code max} bytes.
   *
   * @throws InitramfsFormatException (unchecked) when that is more than {@link #maxBuffered(long)}
   */
  public byte[] readData(Image image, Entry entry, int max) throws IOException {
    Segment seg = image
        .findSegment(entry)
        .orElseThrow(() -> new IllegalArgumentException("entry not in image"));
    byte[][] found = new byte[1][];
    scan(image.path(), (number, e, data) -> {
      if (number == seg.number() && e.headerOffset() == entry.headerOffset()) {
        found[0] = buffer(e, data, max, 0);
      }
    });
    return Optional.ofNullable(found[0])
        .orElseThrow(() -> new IOException(image.path() + ": changed while read"));
  }

  /**
   * The data of several entries of {@code image} in one pass, at most {@code max} bytes each.
   *
   * @throws InitramfsFormatException (unchecked) when they add up to more than {@link
   *     #maxBuffered(long)}
   */
  public Map<Entry, byte[]> readData(Image image, Collection<Entry> entries, int max)
      throws IOException {
    return readData(image, entries, max, 0);
  }

  /** As {@link #readData(Image, Collection, int)}, the caller holding {@code held} bytes already. */
  Map<Entry, byte[]> readData(Image image, Collection<Entry> entries, int max, long held)
      throws IOException {
    Map<String, Entry> wanted = new HashMap<>();
    for (Entry e : entries) {
      Segment seg = image
          .findSegment(e)
          .orElseThrow(() -> new IllegalArgumentException("entry not in image"));
      wanted.put(seg.number() + ":" + e.headerOffset(), e);
    }
    Map<Entry, byte[]> found = new IdentityHashMap<>();
    long[] total = {held};
    scan(image.path(), (number, e, data) -> {
      Entry w = wanted.get(number + ":" + e.headerOffset());
      if (w != null) {
        byte[] b = buffer(e, data, max, total[0]);
        total[0] += b.length;
        found.put(w, b);
      }
    });
    return found;
  }

  /**
   * Reads up to {@code max} bytes of {@code e}'s data into one array of their size, or refuses
   * (located at the entry by {@link #scan}) if that would bring what the operation holds past
   * {@link #maxBuffered(long)}; {@code held} is what it holds already.
   */
  byte[] buffer(Entry e, InputStream data, long max, long held) throws IOException {
    long n = Math.min(e.size(), max);
    if (n > maxBuffered) {
      throw new NewcParser.FormatError(
          e.headerOffset(),
          e.name(),
          String.format(
              "entry '%s' claims %s, more than the %s of entry data read into memory (raise"
                  + " maxBuffered if the image is genuine)",
              Text.quote(e.name()), Text.bytes(e.size()), Text.bytes(maxBuffered)));
    }
    if (held + n > maxBuffered) {
      throw new NewcParser.FormatError(
          e.headerOffset(),
          e.name(),
          String.format(
              "entry '%s' (%s) would bring the entry data read into memory to %s, past the cap of"
                  + " %s (raise maxBuffered if the image is genuine)",
              Text.quote(e.name()), Text.bytes(n), Text.bytes(held + n), Text.bytes(maxBuffered)));
    }
    // one array of the claimed size, not readNBytes' chunks and copy (twice the memory)
    byte[] b = new byte[(int) n];
    int k = data.readNBytes(b, 0, b.length);
    return k == b.length ? b : java.util.Arrays.copyOf(b, k);
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
        segments.add(new Segment(
            number, pos, same.length(), same.compression(), same.expandedSize(), same.entries()));
        budget -= same.expandedSize();
        pos = Math.toIntExact(pos + same.length());
        continue;
      }
      List<Entry> entries = new ArrayList<>();
      NewcParser.Sink sink = (e, data) -> {
        entries.add(e);
        try {
          visitor.visit(number, e, data);
        } catch (NewcParser.FormatError | NewcParser.StreamError fe) {
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
      throw new InitramfsFormatException(
          ImageLocation.file(name(path)), "no segments (empty or all zero bytes)");
    }
    return new Image(path, limit, segments);
  }

  private static Segment uncompressed(
      Path path,
      ByteBuffer buf,
      int pos,
      int limit,
      int number,
      long budget,
      NewcParser.Sink sink,
      List<Entry> entries)
      throws IOException {
    NewcParser p = new NewcParser(new BufferInput(buf, pos, limit), limit - pos, budget, sink);
    try {
      p.parseArchive();
    } catch (NewcParser.FormatError fe) {
      ImageLocation at =
          ImageLocation.segment(name(path), number, Optional.of(Compression.NONE), pos);
      throw new InitramfsFormatException(at.within(fe.at, fe.entry), fe.getMessage(), fe);
    }
    return new Segment(number, pos, p.position(), Compression.NONE, p.position(), entries);
  }

  private static Segment compressed(
      Path path,
      ByteBuffer buf,
      int pos,
      int limit,
      int number,
      long budget,
      NewcParser.Sink sink,
      List<Entry> entries)
      throws IOException {
    Optional<Compression> c = Compression.sniff(buf, pos);
    if (c.isEmpty() || buf.get(pos) == '0') {
      byte[] magic = new byte[Math.min(4, limit - pos)];
      buf.get(pos, magic);
      throw new InitramfsFormatException(
          ImageLocation.segment(name(path), number, Optional.empty(), pos),
          String.format(
              "Unknown magic '%s' (expected a cpio header at a 4-aligned byte, zero padding, or gzip, zstd,"
                  + " xz, lzma, bzip2 or lz4 legacy data)",
              Text.sanitize(magic, 0, magic.length)));
    }
    Compression kind = c.get();
    ImageLocation where = ImageLocation.segment(name(path), number, c, pos);
    if (kind == Compression.LZO) {
      throw new InitramfsFormatException(where, "lzo segments are not supported");
    }
    Compressed comp = Compressed.open(kind, buf, pos, limit);
    CountingInputStream in = null;
    try {
      in = new CountingInputStream(comp.stream());
      // one byte past the cap tells a bomb from an image that fills it exactly
      NewcParser p =
          new NewcParser(ByteStreams.limit(in, Math.max(0, budget) + 1), -1, budget, sink);
      p.parseStream();
      refuseBomb(in, budget, where);
    } catch (NewcParser.FormatError fe) {
      refuseBomb(in, budget, where);
      throw new InitramfsFormatException(where.within(fe.at, fe.entry), fe.getMessage(), fe);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UncheckedIOException u
          && !(u.getCause() instanceof NewcParser.FormatError)) {
        throw u;
      }
      if (e instanceof InitramfsFormatException bomb) {
        throw bomb;
      }
      // the same words whether the parser or a visitor reading an entry met the damage
      Throwable damage = e instanceof NewcParser.StreamError ? e.getCause() : e;
      throw new InitramfsFormatException(
          where,
          "truncated or corrupt stream"
              + (in == null ? "" : " after " + Text.bytes(in.getCount()) + " decompressed") + ": "
              + (damage.getMessage() == null
                  ? "unexpected end of data (" + damage.getClass().getSimpleName() + ")"
                  : damage.getMessage()),
          e);
    }
    return new Segment(number, pos, comp.consumed(), kind, in.getCount(), entries);
  }

  /** Stops a decompression bomb: a segment that expands past what is left of the cap. */
  private static void refuseBomb(CountingInputStream in, long budget, ImageLocation where) {
    if (in != null && in.getCount() > budget) {
      throw new InitramfsFormatException(
          where.within(Math.max(0, budget), Optional.empty()),
          "expands past the cap of " + Text.bytes(budget)
              + " (a decompression bomb? raise maxExpandedSize if the image is genuine)");
    }
  }

  private static String name(Path p) {
    Path f = p.getFileName();
    return f == null ? p.toString() : f.toString();
  }
}
