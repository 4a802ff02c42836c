package org.bootaudit.initramfs;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** An input stream over a window of a (mapped) buffer that knows its position. */
final class BufferInput extends InputStream {
  private final ByteBuffer buf;
  private int pos;
  private final int limit;

  BufferInput(ByteBuffer buf, int start, int limit) {
    this.buf = buf;
    this.pos = start;
    this.limit = limit;
  }

  int position() {
    return pos;
  }

  @Override
  public int read() {
    return pos < limit ? buf.get(pos++) & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos >= limit) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    buf.get(pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long k = Math.max(0, Math.min(n, limit - pos));
    pos += (int) k;
    return k;
  }

  @Override
  public int available() {
    return limit - pos;
  }
}
