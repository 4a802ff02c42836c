package org.bootaudit.initramfs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds one uncompressed newc archive in memory, ending with its trailer. */
final class NewcWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final long mtime;
  private long ino = 0x0ba0000;

  NewcWriter(long mtime) {
    this.mtime = mtime;
  }

  NewcWriter dir(String name, int perm) {
    return add(name, 0040000 | perm, 2, new byte[0]);
  }

  NewcWriter file(String name, int perm, byte[] data) {
    return add(name, 0100000 | perm, 1, data);
  }

  NewcWriter symlink(String name, String target) {
    return add(name, 0120777, 1, target.getBytes(StandardCharsets.ISO_8859_1));
  }

  private NewcWriter add(String name, int mode, int nlink, byte[] data) {
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    long[] fields = {ino++, mode, 0, 0, nlink, mtime, data.length, 0, 0, 0, 0, n.length + 1L, 0};
    StringBuilder h = new StringBuilder("070701");
    for (long f : fields) {
      h.append(String.format("%08x", f));
    }
    out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(n);
    out.write(0);
    pad();
    out.writeBytes(data);
    pad();
    return this;
  }

  private void pad() {
    while (out.size() % 4 != 0) {
      out.write(0);
    }
  }

  byte[] finish() {
    ino = 0;
    add(NewcParser.TRAILER, 0, 1, new byte[0]);
    return out.toByteArray();
  }
}
