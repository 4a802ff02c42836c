package org.bootaudit.initramfs;

import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The newc cpio tokenizer: the one loop that touches every byte of every segment. Optimised:
 * works on a reused byte array, parses hex by hand, makes one String per entry (the name).
 * Rules follow the kernel's init/initramfs.c: magic 070701 or 070702, header and name padded
 * to 4 bytes, data padded to 4, TRAILER!!! ends an archive, zero bytes between archives.
 */
final class NewcParser {
  static final int HEADER = 110;
  static final int PATH_MAX = 4096;
  static final String TRAILER = "TRAILER!!!";

  /**
   * Receives each entry with a stream over exactly its data, which it must not close (that would
   * close the segment's stream); what it leaves unread is skipped.
   */
  interface Sink {
    void entry(Entry entry, InputStream data) throws IOException;
  }

  /** Thrown for format errors; the caller adds the segment and file name. */
  static final class FormatError extends IOException {
    private static final long serialVersionUID = 1L;
    final long at;
    final transient Optional<String> entry;

    FormatError(long at, String message) {
      this(at, Optional.empty(), message);
    }

    /** An error in the entry named {@code entry} (its header at {@code at}). */
    FormatError(long at, String entry, String message) {
      this(at, Optional.of(entry), message);
    }

    private FormatError(long at, Optional<String> entry, String message) {
      super(message);
      this.at = at;
      this.entry = entry;
    }
  }

  /**
   * An I/O error of the image's own stream (a decompressor's: truncated, corrupt) met while a
   * sink read an entry's data: the image's fault, unlike the sink's own errors (a full disk).
   */
  static final class StreamError extends IOException {
    private static final long serialVersionUID = 1L;

    StreamError(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** Counts what was read: the position in the segment's (decompressed) data. */
  private final CountingInputStream in;

  private final long available;
  private final long maxEntrySize;
  private final Sink sink;
  private final byte[] header = new byte[HEADER];
  private final byte[] skipBuf = new byte[1 << 16];

  /**
   * @param available bytes known to be left (uncompressed segments), or -1 if unknown
   * @param maxEntrySize largest data size accepted for one entry
   */
  NewcParser(InputStream in, long available, long maxEntrySize, Sink sink) {
    this.in = new CountingInputStream(in);
    this.available = available;
    this.maxEntrySize = maxEntrySize;
    this.sink = sink;
  }

  long position() {
    return in.getCount();
  }

  /** Parses one archive whose first byte is a header, up to and including its trailer. */
  void parseArchive() throws IOException {
    while (parseEntry()) {
      // next entry
    }
  }

  /**
   * Parses a decompressed stream: archives separated by zero bytes, up to end of stream, as
   * the kernel's flush_buffer does.
   */
  void parseStream() throws IOException {
    while (true) {
      int b = in.read();
      while (b == 0) {
        b = in.read();
      }
      if (b < 0) {
        return;
      }
      long at = in.getCount() - 1;
      if (b != '0') {
        throw new FormatError(at, String.format("junk within compressed archive: byte 0x%02x", b));
      }
      if ((at & 3) != 0) {
        throw new FormatError(at, "broken padding: archive starts at an unaligned byte");
      }
      header[0] = (byte) b;
      readFully(header, 1, HEADER - 1, "cpio header");
      while (entryAfterHeader()) {
        readFully(header, 0, HEADER, "cpio header");
      }
    }
  }

  private boolean parseEntry() throws IOException {
    readFully(header, 0, HEADER, "cpio header");
    return entryAfterHeader();
  }

  /** Handles the entry whose header is in {@link #header}; false after a trailer. */
  private boolean entryAfterHeader() throws IOException {
    long start = in.getCount() - HEADER;
    if (header[0] != '0'
        || header[1] != '7'
        || header[2] != '0'
        || header[3] != '7'
        || header[4] != '0'
        || (header[5] != '1' && header[5] != '2')) {
      throw new FormatError(
          start, "Unknown magic '" + Text.sanitize(header, 0, 6) + "' (expected 070701 or 070702)");
    }
    long ino = hex(0, start);
    int mode = (int) hex(1, start);
    long uid = hex(2, start);
    long gid = hex(3, start);
    long nlink = hex(4, start);
    long mtime = hex(5, start);
    long size = hex(6, start);
    long devMajor = hex(7, start);
    long devMinor = hex(8, start);
    long rdevMajor = hex(9, start);
    long rdevMinor = hex(10, start);
    long nameSize = hex(11, start);
    if (nameSize < 1 || nameSize > PATH_MAX) {
      throw new FormatError(start, "name size " + nameSize + " out of range 1.." + PATH_MAX);
    }
    byte[] nameBuf = new byte[(int) nameSize];
    readFully(nameBuf, 0, nameBuf.length, "entry name");
    if (nameBuf[nameBuf.length - 1] != 0) {
      throw new FormatError(
          start, "name '" + Text.sanitize(nameBuf, 0, nameBuf.length) + "' is not NUL-terminated");
    }
    String name = new String(nameBuf, 0, nameBuf.length - 1, StandardCharsets.ISO_8859_1);
    if (name.indexOf('\0') >= 0) {
      throw new FormatError(
          start, "name '" + Text.sanitize(nameBuf, 0, nameBuf.length - 1) + "' holds a NUL byte");
    }
    align();
    long dataStart = in.getCount();
    if (name.equals(TRAILER)) {
      skipData(size, start, name);
      align();
      return false;
    }
    checkName(name, start);
    if (size > maxEntrySize) {
      throw new FormatError(
          start,
          name,
          String.format(
              "entry '%s' claims %s, the cap is %s",
              Text.quote(name), Text.bytes(size), Text.bytes(maxEntrySize)));
    }
    if (available >= 0 && dataStart + size > available) {
      throw new FormatError(
          start,
          name,
          String.format(
              "entry '%s' claims %s, only %s left in the image",
              Text.quote(name), Text.bytes(size), Text.bytes(Math.max(0, available - dataStart))));
    }
    String target = "";
    InputStream data;
    if ((mode & 0170000) == 0120000) {
      if (size > PATH_MAX) {
        throw new FormatError(
            start, name, "symlink '" + Text.quote(name) + "' has a " + size + "-byte target");
      }
      byte[] t = new byte[(int) size];
      readFully(t, 0, t.length, "symlink target");
      target = new String(t, StandardCharsets.ISO_8859_1);
      data = new java.io.ByteArrayInputStream(t);
      sink.entry(
          entry(
              name, mode, ino, uid, gid, nlink, mtime, size, devMajor, devMinor, rdevMajor,
              rdevMinor, start, dataStart, target),
          data);
    } else {
      Entry e = entry(
          name, mode, ino, uid, gid, nlink, mtime, size, devMajor, devMinor, rdevMajor, rdevMinor,
          start, dataStart, target);
      if (header[5] == '2' && (mode & 0170000) == 0100000) {
        // the crc format: the kernel sums a regular file's bytes and refuses the image on a
        // mismatch ("bad checksum"), so the data is read whole, whatever the sink left unread
        Summing summed = new Summing(entryData(size));
        sink.entry(e, summed);
        summed.drain();
        skipData(dataStart + size - in.getCount(), start, name);
        long check = hex(12, start);
        if (summed.sum != check) {
          throw new FormatError(
              start,
              name,
              String.format(
                  "entry '%s' has checksum 0x%08x in its header, its data sums to 0x%08x (crc format: the kernel"
                      + " refuses such an image)",
                  Text.quote(name), check, summed.sum));
        }
      } else {
        sink.entry(e, entryData(size));
        skipData(dataStart + size - in.getCount(), start, name);
      }
    }
    align();
    return true;
  }

  /** The next {@code size} bytes for a sink, its read errors marked as {@link StreamError}s. */
  private InputStream entryData(long size) {
    return new java.io.FilterInputStream(ByteStreams.limit(in, size)) {
      @Override
      public int read() throws IOException {
        try {
          return in.read();
        } catch (StreamError | FormatError e) {
          throw e;
        } catch (IOException e) {
          throw new StreamError(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return in.read(b, off, len);
        } catch (StreamError | FormatError e) {
          throw e;
        } catch (IOException e) {
          throw new StreamError(e);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return in.skip(n);
        } catch (StreamError | FormatError e) {
          throw e;
        } catch (IOException e) {
          throw new StreamError(e);
        }
      }
    };
  }

  private static Entry entry(
      String name,
      int mode,
      long ino,
      long uid,
      long gid,
      long nlink,
      long mtime,
      long size,
      long dma,
      long dmi,
      long rma,
      long rmi,
      long start,
      long dataStart,
      String target) {
    return new Entry(
        name, mode, ino, uid, gid, nlink, mtime, size, dma, dmi, rma, rmi, start, dataStart,
        target);
  }

  /** Refuses names that could leave the root: {@code ..} components and absolute names. */
  private static void checkName(String name, long at) throws FormatError {
    if (name.startsWith("/")) {
      throw new FormatError(at, name, "absolute name '" + Text.quote(name) + "'");
    }
    for (String part : name.split("/", -1)) {
      if (part.equals("..")) {
        throw new FormatError(at, name, "name '" + Text.quote(name) + "' climbs out with '..'");
      }
    }
  }

  private long hex(int field, long at) throws FormatError {
    int off = 6 + field * 8;
    long v = 0;
    for (int i = off; i < off + 8; i++) {
      int c = header[i];
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        throw new FormatError(
            at, "header field " + field + " is not hex: '" + Text.sanitize(header, off, 8) + "'");
      }
      v = v << 4 | d;
    }
    return v;
  }

  private void align() throws IOException {
    int pad = (int) (-in.getCount() & 3);
    if (pad > 0) {
      readFully(new byte[pad], 0, pad, "padding");
    }
  }

  /** The 32-bit sum of the bytes read, as the kernel's crc format checks a file's data. */
  private static final class Summing extends java.io.FilterInputStream {
    long sum;

    Summing(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        sum = (sum + b) & 0xffffffffL;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      for (int i = off; i < off + n; i++) {
        sum = (sum + (b[i] & 0xff)) & 0xffffffffL;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(8192, Math.max(1, n))];
      long done = 0;
      while (done < n) {
        int k = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (k < 0) {
          break;
        }
        done += k;
      }
      return done;
    }

    /** Reads what the sink left, so that every byte is summed. */
    void drain() throws IOException {
      byte[] buf = new byte[8192];
      while (read(buf, 0, buf.length) >= 0) {
        // summed by read
      }
    }
  }

  private void skipData(long n, long at, String name) throws IOException {
    long left = n;
    while (left > 0) {
      int k = in.read(skipBuf, 0, (int) Math.min(skipBuf.length, left));
      if (k < 0) {
        throw new FormatError(
            at,
            name,
            "data of '" + Text.quote(name) + "' is truncated: " + Text.bytes(left) + " missing");
      }
      left -= k;
    }
  }

  private void readFully(byte[] b, int off, int len, String what) throws IOException {
    int done = 0;
    while (done < len) {
      int k = in.read(b, off + done, len - done);
      if (k < 0) {
        throw new FormatError(in.getCount(), "truncated " + what);
      }
      done += k;
    }
  }
}
