package org.bootaudit.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a command writes: stdout, or a file that appears whole or not at all (written to a
 * temporary file beside it, renamed on {@link #commit()}).
 */
final class Output implements AutoCloseable {

  private final Path target;
  private final Path temp;
  private final OutputStream out;
  private boolean committed;

  private Output(Path target, Path temp, OutputStream out) {
    this.target = target;
    this.temp = temp;
    this.out = out;
  }

  /** Opens {@code path}, or stdout when it is null or {@code -}. */
  static Output open(String path) throws IOException {
    if (path == null || path.equals("-")) {
      OutputStream stdout =
          new FilterOutputStream(new BufferedOutputStream(System.out, 1 << 16)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
              flush();
            }
          };
      return new Output(null, null, stdout);
    }
    Path target = Path.of(path).toAbsolutePath();
    Path dir = target.getParent();
    // createTempFile makes 0600 files; ask for 0666 so the umask decides, as for any new file
    Path temp =
        dir.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-")))
            : Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    return new Output(target, temp, new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16));
  }

  OutputStream stream() {
    return out;
  }

  /** Makes the output visible under its name. */
  void commit() throws IOException {
    out.close();
    if (target != null) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
    committed = true;
  }

  /** Without {@link #commit()}, removes the partial file. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        out.close();
      } finally {
        if (temp != null) {
          Files.deleteIfExists(temp);
        }
      }
    }
  }
}
