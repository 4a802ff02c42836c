package org.bootaudit.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The {@code main} of the fleet jars: {@code bootaudit fleet} through the launcher
 * ({@code bootaudit-fleet.jar}, Spark beside it), or {@code spark-submit --class
 * org.bootaudit.spark.FleetMain bootaudit-fleet-submit.jar ROOT --out DIR}. Exit codes as the
 * {@code bootaudit} command's: 0 ok, 1 bug, 2 usage, 74 I/O.
 */
public final class FleetMain {

  private FleetMain() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    if (System.getProperty("spark.master") == null
        && System.getProperty("log4j2.configurationFile") == null) {
      // embedded: Spark's start-up chatter (INFO) would bury the summary
      System.setProperty(
          "log4j2.configurationFile", "classpath:org/bootaudit/spark/log4j2-fleet.properties");
    }
    System.setProperty("io.netty.tryReflectionSetAccessible", "true");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns its exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    CommandLine cl = new CommandLine(new FleetCommand(out));
    cl.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      if (verbose) {
        e.printStackTrace(err);
      }
      boolean io = e instanceof IOException
          || e instanceof UncheckedIOException
          || e.getClass().getName().equals("org.apache.spark.sql.AnalysisException")
              && String.valueOf(e.getMessage()).contains("PATH_NOT_FOUND");
      err.println("bootaudit: fleet: "
          + (e.getMessage() == null
              ? e.toString()
              : e.getMessage().lines().findFirst().orElse("")));
      return io ? 74 : e instanceof IllegalArgumentException ? 2 : 1;
    });
    return cl.execute(
        args.length > 0 && args[0].equals("fleet")
            ? java.util.Arrays.copyOfRange(args, 1, args.length)
            : args);
  }

  /**
   * The Spark session for a run: under {@code spark-submit} its master, else {@code master} or
   * {@code local[*]}, embedded, quiet, no web UI, bound to the loopback address.
   */
  static SparkSession session(String master) {
    Optional<String> submitted = Optional.ofNullable(System.getProperty("spark.master"));
    SparkSession.Builder b = SparkSession.builder().appName("bootaudit fleet");
    String m = master != null ? master : submitted.orElse("local[*]");
    b.master(m);
    if (m.startsWith("local")) {
      b.config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "8");
    }
    SparkSession s = b.getOrCreate();
    // reading the events table lists one directory per host: more than 32 are listed by a Spark
    // job of one task per directory unless this caps it
    String listing = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
    if (!s.conf().contains(listing)) {
      s.conf().set(listing, "16");
    }
    if (submitted.isEmpty()) {
      s.sparkContext().setLogLevel("WARN");
    }
    return s;
  }
}
