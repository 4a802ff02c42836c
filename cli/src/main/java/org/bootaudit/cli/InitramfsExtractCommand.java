package org.bootaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.ExtractResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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

  @Parameters(
      index = "1",
      paramLabel = "DIR",
      description = "Target directory (created if missing).")
  Path dir;

  @CommandLine.Mixin
  ImageReadOptions imageOptions;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExtractResult r = InitramfsCommand.guarded(() -> imageOptions.reader().extract(image, dir));
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s: %d segments, %d entries written to %s%n",
        image, r.image().segments().size(), r.written(), r.dir());
    for (String s : r.skipped()) {
      out.println("not created: " + InitramfsCommand.display(s));
    }
    return 0;
  }
}
