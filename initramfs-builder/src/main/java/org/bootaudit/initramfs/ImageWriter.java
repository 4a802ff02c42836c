package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes an image: the original bytes verbatim (segments and the padding between them), with
 * at most one new segment inserted at a chosen offset and one appended. A new uncompressed
 * segment starts at a 4-aligned byte after at least four zero bytes when it follows cpio data
 * directly (so tools that split archives at zero padding, like {@code unmkinitramfs}, see where
 * it begins) and ends padded with zeros to a multiple of 512 bytes, as GNU cpio pads. The file
 * appears whole or not at all: it is written beside the target and renamed.
 */
final class ImageWriter {
  private static final byte[] ZEROS = new byte[512];

  private ImageWriter() {}

  /** Writes {@code image} unchanged. */
  static void write(Image image, Path out, boolean inPlace) throws IOException {
    write(image, image.size(), new byte[0], new byte[0], out, inPlace);
  }

  /**
   * Writes {@code image} with {@code inserted} (an uncompressed archive, or empty) placed at
   * byte {@code insertAt} of the original and {@code appended} (uncompressed or compressed, or
   * empty) after its end.
   *
   * @return how far the original bytes from {@code insertAt} on moved
   */
  static long write(
      Image image, long insertAt, byte[] inserted, byte[] appended, Path out, boolean inPlace)
      throws IOException {
    Path target = out.toAbsolutePath();
    boolean same = Files.exists(target) && Files.isSameFile(target, image.path());
    if (same && !inPlace) {
      throw new IOException(
          out + ": is the input image; choose another output or ask for in-place");
    }
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    long shift;
    try {
      // the new image gets the input's permissions, not createTempFile's 0600
      Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(image.path()));
      try (FileChannel in = FileChannel.open(image.path(), StandardOpenOption.READ);
          FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        if (in.size() != image.size()) {
          throw new IOException(image.path() + ": changed since it was read");
        }
        OutputStream os = Channels.newOutputStream(ch);
        copy(in, 0, insertAt, ch);
        long pos = insertAt;
        if (inserted.length > 0) {
          pos += newArchive(in, insertAt, pos, inserted, os);
        }
        shift = pos - insertAt;
        copy(in, insertAt, image.size(), ch);
        pos += image.size() - insertAt;
        if (appended.length > 0) {
          if (appended[0] == '0') {
            newArchive(in, image.size(), pos, appended, os);
          } else {
            os.write(appended);
          }
        }
        os.flush();
        ch.force(true);
      }
      if (same) {
        Path backup = target.resolveSibling(target.getFileName() + ".bootaudit-backup");
        Files.copy(
            target,
            backup,
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return shift;
  }

  private static void copy(FileChannel in, long from, long to, FileChannel out) throws IOException {
    long done = from;
    while (done < to) {
      done += in.transferTo(done, to - done, out);
    }
  }

  /**
   * Writes an uncompressed archive after original byte {@code at - 1}, at output byte {@code
   * pos} (the kernel wants cpio headers 4-aligned in the whole file); returns the bytes written.
   */
  private static long newArchive(FileChannel in, long at, long pos, byte[] archive, OutputStream os)
      throws IOException {
    int pad = (int) (-pos & 3);
    if (at > 0 && !zeroBefore(in, at)) {
      pad += 4;
    }
    os.write(ZEROS, 0, pad);
    os.write(archive);
    int tail = (int) (-(pos + pad + archive.length) & 511);
    os.write(ZEROS, 0, tail);
    return pad + archive.length + tail;
  }

  private static boolean zeroBefore(FileChannel in, long at) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
    in.read(b, at - 1);
    return b.get(0) == 0;
  }
}
