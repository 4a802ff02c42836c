package org.bootaudit.core;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** One input of a log: a name for messages and a way to open its (decompressed) bytes. */
final class LogInput {

  private static final Pattern ROTATED = Pattern.compile("(.*?)\\.(\\d+)(\\.gz)?");
  private static final Pattern AUDIT_LOG = Pattern.compile("audit\\.log(\\.\\d+)?(\\.gz)?");

  /** Opens the raw bytes of an input. */
  interface Opener {
    InputStream open() throws IOException;
  }

  final String name;
  private final Opener opener;

  LogInput(String name, Opener opener) {
    this.name = name;
    this.opener = opener;
  }

  static LogInput of(Path path) {
    return new LogInput(path.toString(), () -> new Streamed(Files.newInputStream(path)));
  }

  /**
   * gzip that ends where its last member ends: GZIPInputStream reads concatenated members but
   * drops whatever follows the last one without a word; here that is damage.
   */
  private static final class WholeGzip extends GZIPInputStream {
    private boolean ended;

    WholeGzip(InputStream in) throws IOException {
      super(in, 1 << 16);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n < 0 && !ended) {
        ended = true;
        // after the last trailer, the inflater holds only those 8 bytes and the file is at its end
        if (inf.getRemaining() > 8 || in.read() >= 0) {
          throw new java.util.zip.ZipException("data after the end of the last gzip member");
        }
      }
      return n;
    }
  }

  /**
   * A file read as a stream: a FIFO or {@code <(zcat ...)} cannot tell how much is left (its
   * channel's size and position fail with "Illegal seek"), so {@link #available()} says 0 then.
   */
  private static final class Streamed extends java.io.FilterInputStream {
    private boolean seekable = true;

    Streamed(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      if (seekable) {
        try {
          return in.available();
        } catch (IOException e) {
          seekable = false;
        }
      }
      return 0;
    }
  }

  /** Opens the input, undoing gzip when the bytes start with its magic. */
  InputStream open() throws IOException {
    BufferedInputStream in = new BufferedInputStream(opener.open(), 1 << 16);
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new WholeGzip(in);
    }
    return in;
  }

  /**
   * Expands directories to the audit.log set they hold and puts the members of each rotated set
   * (name, name.1, name.2, ...) oldest first, as auditd's numbering means: higher is older.
   */
  static List<Path> order(List<Path> paths) throws IOException {
    List<Path> expanded = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> logs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
          for (Path f : ds) {
            if (AUDIT_LOG.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
              logs.add(f);
            }
          }
        }
        if (logs.isEmpty()) {
          throw new NoSuchFileException(p.toString(), null, "directory holds no audit.log files");
        }
        logs.sort(Comparator.naturalOrder());
        expanded.addAll(logs);
      } else {
        expanded.add(p);
      }
    }
    Map<String, List<Path>> groups = new LinkedHashMap<>();
    for (Path p : expanded) {
      groups.computeIfAbsent(setName(p), k -> new ArrayList<>()).add(p);
    }
    List<Path> ordered = new ArrayList<>();
    for (List<Path> g : groups.values()) {
      g.sort(Comparator.comparingLong(LogInput::generation).reversed());
      ordered.addAll(g);
    }
    return ordered;
  }

  private static String setName(Path p) {
    String file = p.getFileName() == null ? p.toString() : p.getFileName().toString();
    Matcher m = ROTATED.matcher(file);
    String base = m.matches()
        ? m.group(1)
        : file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file;
    return String.valueOf(p.toAbsolutePath().getParent()) + "/" + base;
  }

  private static long generation(Path p) {
    String file = p.getFileName() == null ? p.toString() : p.getFileName().toString();
    Matcher m = ROTATED.matcher(file);
    if (!m.matches()) {
      return 0;
    }
    try {
      return Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // more digits than a long: older than any other
    }
  }
}
