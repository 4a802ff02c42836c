package org.bootaudit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs {@link Main} with stdout and stderr captured, as a user would meet it. */
final class CliRun implements AutoCloseable {

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final PrintStream savedOut = System.out;
  private final PrintStream savedErr = System.err;
  private StringWriter err = new StringWriter();

  CliRun() {
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
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

  @Override
  public void close() {
    System.setOut(savedOut);
    System.setErr(savedErr);
  }
}
