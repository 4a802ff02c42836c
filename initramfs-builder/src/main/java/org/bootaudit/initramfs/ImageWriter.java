package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes an image: the original bytes verbatim (segments and the padding between them), then
 * new uncompressed segments, each starting at a 4-aligned byte. The file appears whole or not
 * at all: it is written beside the target and renamed.
 */
final class ImageWriter {
  private ImageWriter() {}

  static void write(Image image, List<byte[]> appended, Path out, boolean inPlace) throws IOException {
    Path target = out.toAbsolutePath();
    boolean same = Files.exists(target) && Files.isSameFile(target, image.path());
    if (same && !inPlace) {
      throw new IOException(out + ": is the input image; choose another output or ask for in-place");
    }
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      // the new image gets the input's permissions, not createTempFile's 0600
      Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(image.path()));
      try (FileChannel in = FileChannel.open(image.path(), StandardOpenOption.READ);
          FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        if (in.size() != image.size()) {
          throw new IOException(image.path() + ": changed since it was read");
        }
        long done = 0;
        while (done < image.size()) {
          done += in.transferTo(done, image.size() - done, ch);
        }
        OutputStream os = Channels.newOutputStream(ch);
        long pos = image.size();
        for (byte[] segment : appended) {
          int pad = (int) (-pos & 3);
          os.write(new byte[pad]);
          os.write(segment);
          pos += pad + segment.length;
        }
        os.flush();
        ch.force(true);
      }
      if (same) {
        Path backup = target.resolveSibling(target.getFileName() + ".bootaudit-backup");
        Files.copy(target, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
