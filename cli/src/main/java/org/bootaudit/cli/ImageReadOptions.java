package org.bootaudit.cli;

import org.bootaudit.initramfs.Reader;
import picocli.CommandLine.Option;

/** Options of every command that reads an initramfs image. */
final class ImageReadOptions {

  @Option(
      names = "--max-expanded-size",
      paramLabel = "BYTES",
      defaultValue = "" + Reader.DEFAULT_MAX_EXPANDED_SIZE,
      description = "Refuse images that expand past this many bytes (default ${DEFAULT-VALUE}).")
  long maxExpandedSize = Reader.DEFAULT_MAX_EXPANDED_SIZE;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  /** A reader with these options. */
  Reader reader() {
    return InitramfsCommand.reader(maxExpandedSize);
  }
}
