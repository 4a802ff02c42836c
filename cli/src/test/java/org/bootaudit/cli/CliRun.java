package org.bootaudit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@link Main} with stdout and stderr captured, as a user would meet it. Register it with
 * {@code @RegisterExtension final CliRun cli = new CliRun();}: it captures the streams around
 * each test and gives them back after.
 */
final class CliRun implements BeforeEachCallback, AfterEachCallback {

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream savedOut;
  private PrintStream savedErr;
  private StringWriter err = new StringWriter();

  @Override
  public void beforeEach(ExtensionContext context) {
    savedOut = System.out;
    savedErr = System.err;
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }

  /** Runs one command line, forgetting the output of the previous one. */
  int run(String... args) {
    stdout.reset();
    stderr.reset();
    err = new StringWriter();
    return Main.run(args, new PrintWriter(System.out, true), new PrintWriter(err, true));
  }

  String out() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  String errors() {
    return err + stderr.toString(StandardCharsets.UTF_8);
  }
}
