package org.bootaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.ExtractResult;
import org.bootaudit.initramfs.Reader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootaudit initramfs extract}: every segment into one directory, as the kernel would. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Extract every segment of IMAGE into DIR in order; a later entry replaces an earlier one, as at boot.",
      "Never writes outside DIR and never follows a symlink while writing: names with '..' or a leading '/',"
          + " symlinks pointing above the image root and entries under a symlink are refused.",
      "Device nodes, FIFOs, sockets and names not valid in the file-name encoding are listed, not created;"
          + " owners are not applied."
    })
final class InitramfsExtractCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The initramfs file.")
  Path image;

  @Parameters(index = "1", paramLabel = "DIR", description = "Target directory (created if missing).")
  Path dir;

  @Option(names = "--max-expanded-size", paramLabel = "BYTES", defaultValue = "" + Reader.DEFAULT_MAX_EXPANDED_SIZE,
      description = "Refuse images that expand past this many bytes (default ${DEFAULT-VALUE}).")
  long maxExpandedSize;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExtractResult r = InitramfsCommand.guarded(() -> InitramfsCommand.reader(maxExpandedSize).extract(image, dir));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%s: %d segments, %d entries written to %s%n", image, r.image().segments().size(), r.written(), r.dir());
    for (String s : r.skipped()) {
      out.println("not created: " + InitramfsCommand.display(s));
    }
    return 0;
  }
}
