package org.bootaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bootaudit.initramfs.Verification;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bootaudit initramfs verify}: is the hook there and able to run. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check an injected IMAGE: /init is the bootaudit wrapper and parses with 'sh -n', /init.orig and /bin/sh exist,"
          + " auditctl, its loader and every library it needs are in /bootaudit, and the rules pass the early-boot lint.",
      "",
      "Exit codes: 0 every check passed, 65 a check failed or the image is bad, 74 I/O error."
    })
final class InitramfsVerifyCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The initramfs file.")
  Path image;

  @CommandLine.Mixin
  ImageReadOptions imageOptions;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Verification v = InitramfsCommand.guarded(() -> org.bootaudit.initramfs.Initramfs.injector()
        .reader(imageOptions.reader())
        .verify(image));
    PrintWriter out = spec.commandLine().getOut();
    for (Verification.Check c : v.checks()) {
      out.printf("%-4s %-9s %s%n", c.ok() ? "ok" : "FAIL", c.name(), c.detail());
    }
    out.println(v.ok() ? image + ": injected and ready" : image + ": not ready (see FAIL above)");
    return v.ok() ? Main.OK : Main.DATA;
  }
}
