package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Writes files of a target root so that each appears whole or not at all: the bytes go to a
 * temporary file beside the name, are synced, and the temporary file is renamed over the name.
 * The file-level steps of {@link RootWriter}, the one writer of target roots; not used apart
 * from it.
 */
final class TargetRoot {
  private TargetRoot() {}

  /** Writes {@code file} (parents created) with {@code mode}, e.g. {@code 0644}. */
  static Path write(Path file, byte[] data, int mode) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = temp(file);
    try {
      sync(temp, data);
      Files.setPosixFilePermissions(temp, Extractor.permissions(mode));
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return file;
  }

  /** Replaces the bytes of the existing {@code file}, keeping its permissions and owner. */
  static void replace(Path file, byte[] data) throws IOException {
    PosixFileAttributes was = Files.readAttributes(file, PosixFileAttributes.class);
    Path temp = temp(file);
    try {
      sync(temp, data);
      PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      PosixFileAttributes now = view.readAttributes();
      if (!now.permissions().equals(was.permissions())) {
        view.setPermissions(was.permissions());
      }
      if (!now.owner().equals(was.owner())) {
        view.setOwner(was.owner());
      }
      if (!now.group().equals(was.group())) {
        view.setGroup(was.group());
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Copies {@code file} to {@code copy} with its permissions, owner and times (a backup that can
   * later be renamed back byte-identical).
   */
  static Path copy(Path file, Path copy) throws IOException {
    Path temp = temp(copy);
    try {
      Files.copy(
          file, temp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(temp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
    return copy;
  }

  /**
   * {@code rel} inside {@code root} as the root's own programs see it: symbolic links followed,
   * absolute targets and {@code ..} kept inside the root (a root mounted elsewhere never leads to
   * this machine's files).
   */
  static Path resolve(Path root, String rel) throws IOException {
    return KernelArguments.resolve(root, rel);
  }

  private static Path temp(Path file) throws IOException {
    return Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
  }

  private static void sync(Path temp, byte[] data) throws IOException {
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(data);
      while (bytes.hasRemaining()) {
        ch.write(bytes);
      }
      ch.force(true);
    }
  }
}
