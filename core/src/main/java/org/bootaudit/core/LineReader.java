package org.bootaudit.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without decoding it. A line longer than the cap is reported as
 * soon as it passes the cap ({@link #tooLong()}), not kept; the next {@link #next()} skips the
 * rest of it, so memory stays bounded, but at most {@link #MAX_SKIP} bytes: an input without
 * newlines ({@code /dev/zero}) is {@link #endless()}.
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
  /** The current line is the rest of the input and had no newline: a truncated last line. */
  private boolean unterminated;
  /** The previous line was too long and its rest is still to be skipped. */
  private boolean skipping;

  private boolean endless;

  /** How long an over-long line may run before the input counts as endless: 1 GiB. */
  static final long MAX_SKIP = 1L << 30;

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

  /** Whether the current line ended the input without a newline. */
  boolean unterminated() {
    return unterminated;
  }

  /** Whether skipping an over-long line ran {@link #MAX_SKIP} bytes without a newline. */
  boolean endless() {
    return endless;
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
    unterminated = false;
    if (skipping) {
      skipping = false;
      skipRestOfLine();
      if (endless) {
        return true;
      }
    }
    int scan = pos;
    while (true) {
      int nl = Bytes.indexOf(buf, scan, limit, (byte) '\n');
      if (nl >= 0) {
        return take(nl, nl + 1);
      }
      scan = limit;
      if (eof) {
        unterminated = pos < limit;
        return pos < limit && take(limit, limit);
      }
      if (limit - pos > maxLine) {
        tooLongSoFar();
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

  /** The line passes the cap before its end: report it now, skip the rest on the next call. */
  private void tooLongSoFar() {
    lineOffset = consumed;
    lineNo++;
    tooLong = true;
    skipping = true;
    lineStart = 0;
    lineEnd = 0;
  }

  private void skipRestOfLine() throws IOException {
    long budget = MAX_SKIP;
    while (true) {
      int nl = Bytes.indexOf(buf, pos, limit, (byte) '\n');
      if (nl >= 0) {
        consumed += nl + 1 - pos;
        pos = nl + 1;
        return;
      }
      consumed += limit - pos;
      budget -= limit - pos;
      pos = 0;
      limit = 0;
      if (budget < 0) {
        endless = true;
        return;
      }
      int n = in.read(buf, 0, buf.length);
      if (n < 0) {
        eof = true;
        return;
      }
      limit = n;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
