package org.bootaudit.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it. A line longer than the cap is consumed to
 * its end but not kept: {@link #tooLong()} says so, and memory stays bounded.
 */
final class LineReader implements Closeable {

  private final InputStream in;
  private final int maxLine;
  private byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNo;
  private long consumed;
  private long lineOffset;
  private int lineStart;
  private int lineEnd;
  private boolean tooLong;

  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return lineStart;
  }

  int end() {
    return lineEnd;
  }

  long lineNo() {
    return lineNo;
  }

  boolean tooLong() {
    return tooLong;
  }

  /** Bytes of the stream consumed so far (after decompression). */
  long consumed() {
    return consumed;
  }

  /** Where the current line starts in the stream, in bytes (after decompression). */
  long lineOffset() {
    return lineOffset;
  }

  /** Advances to the next line; false at end of input. */
  boolean next() throws IOException {
    tooLong = false;
    int scan = pos;
    while (true) {
      for (int i = scan; i < limit; i++) {
        if (buf[i] == '\n') {
          return take(i, i + 1);
        }
      }
      scan = limit;
      if (eof) {
        return pos < limit && take(limit, limit);
      }
      if (limit - pos > maxLine) {
        skipRestOfLine();
        return true;
      }
      scan -= pos;
      fill();
    }
  }

  private boolean take(int end, int next) {
    lineOffset = consumed;
    lineStart = pos;
    lineEnd = end > pos && buf[end - 1] == '\r' ? end - 1 : end;
    consumed += next - pos;
    pos = next;
    lineNo++;
    tooLong = lineEnd - lineStart > maxLine;
    return true;
  }

  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  private void skipRestOfLine() throws IOException {
    lineOffset = consumed;
    lineNo++;
    tooLong = true;
    lineStart = 0;
    lineEnd = 0;
    consumed += limit - pos;
    pos = limit;
    while (true) {
      pos = 0;
      limit = 0;
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        return;
      }
      limit = n;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          consumed += i + 1;
          pos = i + 1;
          return;
        }
      }
      consumed += n;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
