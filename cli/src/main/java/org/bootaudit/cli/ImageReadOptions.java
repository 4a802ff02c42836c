package org.bootaudit.cli;

import org.bootaudit.initramfs.Reader;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of every command that reads an initramfs image. */
final class ImageReadOptions {

  @Option(
      names = "--max-expanded-size",
      paramLabel = "BYTES",
      defaultValue = "" + Reader.DEFAULT_MAX_EXPANDED_SIZE,
      description = "Refuse images that expand past this many bytes (default ${DEFAULT-VALUE}).")
  long maxExpandedSize = Reader.DEFAULT_MAX_EXPANDED_SIZE;

  @Option(
      names = "--max-buffered",
      paramLabel = "BYTES",
      defaultValue = "" + Reader.DEFAULT_MAX_BUFFERED,
      description =
          "Refuse images whose files that verify and inject read into memory (/init, hooks,"
              + " auditctl, libraries) add up to more than this many bytes (default ${DEFAULT-VALUE}).")
  long maxBuffered = Reader.DEFAULT_MAX_BUFFERED;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** A reader with these options; a cap that is not positive is a usage error. */
  Reader reader() {
    for (long cap : new long[] {maxExpandedSize, maxBuffered}) {
      if (cap <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this),
            (cap == maxExpandedSize ? "--max-expanded-size" : "--max-buffered")
                + " must be a positive number of bytes, not " + cap);
      }
    }
    return InitramfsCommand.reader(maxExpandedSize).maxBuffered(maxBuffered);
  }
}
