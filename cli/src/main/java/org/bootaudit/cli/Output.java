package org.bootaudit.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a command writes: stdout, or a file that appears whole or not at all (written to a
 * temporary file beside it, renamed on {@link #commit()}).
 *
 * <p>What the user names is kept safe: a FIFO, a device or a symbolic link to one is written into,
 * never replaced by a regular file ({@code -o /dev/null} as root); a symbolic link to a regular
 * file stays a link (its target is replaced); a file that is one of the command's inputs is
 * refused. Temporary files are deleted on failure, on SIGTERM and SIGINT; those a killed run left
 * behind (name {@code .NAME.bootaudit-PID-N.tmp}, PID no longer alive) are swept on the next run.
 * Write errors, stdout's among them, name the user's path and end the command with exit 74.
 */
final class Output implements AutoCloseable {

  private static final String MARK = ".bootaudit-";
  /** The names a directory given as input is read for (core's LogInput). */
  private static final java.util.regex.Pattern AUDIT_LOG =
      java.util.regex.Pattern.compile("audit\\.log(\\.\\d+)?(\\.gz)?");
  /** Temporary files being written, deleted by the shutdown hook if the JVM is stopped. */
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(Output::deleteLive, "bootaudit-output-cleanup"));
  }

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
    return open(path, Set.of());
  }

  /**
   * Opens {@code path}, or stdout when it is null or {@code -}, refusing a path that is the same
   * file as one of {@code inputs}.
   *
   * @throws picocli.CommandLine.ParameterException (exit 2) when the output would replace an input
   */
  static Output open(String path, Collection<String> inputs) throws IOException {
    if (path == null || path.equals("-")) {
      return new Output(null, null, stdout());
    }
    Path named = Path.of(path).toAbsolutePath();
    refuseInput(named, inputs);
    if (Files.exists(named) && !Files.isRegularFile(named) && !Files.isDirectory(named)) {
      // a FIFO, a device, or a link to one: write into it, never rename over it
      return new Output(
          named,
          null,
          named(
              named,
              new BufferedOutputStream(
                  Files.newOutputStream(named, StandardOpenOption.WRITE), 1 << 16)));
    }
    // a link to a regular file stays a link: its target is what gets replaced
    Path target = Files.isSymbolicLink(named) && Files.exists(named) ? named.toRealPath() : named;
    Path dir = target.getParent();
    sweep(dir, target.getFileName().toString());
    String prefix = "." + target.getFileName() + MARK + ProcessHandle.current().pid() + "-";
    // createTempFile makes 0600 files; ask for 0666 so the umask decides, as for any new file
    Path temp = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
        ? Files.createTempFile(
            dir,
            prefix,
            ".tmp",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-")))
        : Files.createTempFile(dir, prefix, ".tmp");
    LIVE.add(temp);
    try {
      return new Output(
          named,
          temp,
          named(named, new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)));
    } catch (IOException e) {
      LIVE.remove(temp);
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  OutputStream stream() {
    return out;
  }

  /** Makes the output visible under its name. */
  void commit() throws IOException {
    out.close();
    if (temp != null) {
      Path dest =
          Files.isSymbolicLink(target) && Files.exists(target) ? target.toRealPath() : target;
      try {
        Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new IOException(target + ": " + reason(e), e);
      } finally {
        LIVE.remove(temp);
      }
    }
    committed = true;
  }

  /** Without {@link #commit()}, removes the partial file. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      try {
        out.close();
      } catch (IOException e) {
        // the write already failed; what matters now is that the partial file goes
      } finally {
        if (temp != null) {
          Files.deleteIfExists(temp);
          LIVE.remove(temp);
        }
      }
    }
  }

  private static void refuseInput(Path named, Collection<String> inputs) throws IOException {
    if (!Files.exists(named)) {
      return;
    }
    for (String input : inputs) {
      if (input.equals("-")) {
        continue;
      }
      Path in = Path.of(input);
      if (Files.exists(in)
          && !Files.isDirectory(in)
          && Files.isSameFile(in, named)
          && Files.isRegularFile(named)) {
        throw usage("-o " + named + " is the input " + input
            + "; refusing to replace it (write elsewhere)");
      }
      if (Files.isDirectory(in)
          && named.toRealPath().getParent().equals(in.toRealPath())
          && AUDIT_LOG.matcher(named.getFileName().toString()).matches()) {
        throw usage("-o " + named + " is a log of the input directory " + input
            + "; refusing to replace it (write elsewhere)");
      }
    }
  }

  private static picocli.CommandLine.ParameterException usage(String message) {
    return new picocli.CommandLine.ParameterException(
        new picocli.CommandLine(picocli.CommandLine.Model.CommandSpec.create()), message);
  }

  /**
   * Deletes temporary files of {@code name} that a run killed outright (SIGKILL, power loss)
   * left behind: ours by their name, stale when the process that made them is gone.
   */
  private static void sweep(Path dir, String name) {
    String prefix = "." + name + MARK;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, entry -> {
      String f = entry.getFileName().toString();
      return f.startsWith(prefix) && f.endsWith(".tmp");
    })) {
      for (Path p : ds) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        long pid = parsePid(dash < 0 ? "" : rest.substring(0, dash));
        if (pid > 0
            && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)
            && Files.isRegularFile(p)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException e) {
      // sweeping is housekeeping: a directory we cannot list fails later, with its own message
    }
  }

  private static long parsePid(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteLive() {
    for (Path p : LIVE) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // the JVM is going down; nothing better to do
      }
    }
  }

  /**
   * stdout through {@link System#out}, whose errors (a full disk, {@code >/dev/full}) a
   * PrintStream only records: checked on every flush, so they end the command with exit 74.
   */
  private static OutputStream stdout() {
    PrintStream ps = System.out;
    return new FilterOutputStream(new BufferedOutputStream(ps, 1 << 16)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        out.flush();
        if (ps.checkError()) {
          throw new IOException("<stdout>: write failed (disk full, or the reader went away)");
        }
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** A stream whose write errors name {@code path} (not the temporary file, and with the cause). */
  private static OutputStream named(Path path, OutputStream to) {
    return new FilterOutputStream(to) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      @Override
      public void close() throws IOException {
        try {
          out.close();
        } catch (IOException e) {
          throw wrap(e);
        }
      }

      private IOException wrap(IOException e) {
        return new IOException(path + ": " + reason(e), e);
      }
    };
  }

  private static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException) {
      return "exists";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
