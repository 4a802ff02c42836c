package org.bootaudit.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bootaudit fleet}: the fleet job from the command line, Spark embedded in local mode by
 * default, or under {@code spark-submit} with the master it gives.
 */
@Command(
    name = "bootaudit fleet",
    sortOptions = false,
    description = {
      "Reads many hosts' boot logs with Apache Spark, one task per host: writes Parquet tables "
          + "(events, boots), the fleet's baseline, outlier boots ranked, loss across the fleet and new programs, "
          + "and prints a summary.",
      "ROOT holds one directory per host with its audit.log set (plain or gzip, rotated): ROOT/<host>/audit.log*."
    })
public final class FleetCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "ROOT",
      description = "the fleet's root directory (or a Hadoop URI)")
  String root;

  @Option(
      names = "--manifest",
      paramLabel = "FILE",
      description =
          "hosts from a file of 'HOST PATH' lines instead of ROOT (PATH: a directory, a file, or a URI such as s3a://...)")
  Path manifest;

  @Option(
      names = {"--out", "-o"},
      required = true,
      paramLabel = "DIR",
      description = "where the tables and summary.txt go (replaced)")
  String out;

  @Option(
      names = "--min-share",
      paramLabel = "PERCENT",
      defaultValue = "50",
      description =
          "the baseline: files and programs used by at least this share of boots, per op (default: ${DEFAULT-VALUE})")
  double minShare;

  @Option(
      names = "--since",
      paramLabel = "DATE",
      description =
          "also list programs first executed at boot on or after DATE (2026-12-01 or an instant)")
  String since;

  @Option(
      names = "--top",
      paramLabel = "N",
      defaultValue = "20",
      description = "outlier boots and loss lines named in the summary (default: ${DEFAULT-VALUE})")
  int top;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master (default: spark-submit's, else local[*]: embedded, on this machine's cores)")
  String master;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--verbose", description = "stack traces with errors")
  boolean verbose;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "this help")
  boolean help;

  private final PrintStream stdout;

  FleetCommand(PrintStream stdout) {
    this.stdout = stdout;
  }

  @Override
  public Integer call() throws IOException {
    if ((root == null) == (manifest == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give ROOT or --manifest FILE, not both nor neither");
    }
    Fleet job = Fleet.job().out(out).minPercent(minShare).top(top);
    if (since != null) {
      job.since(instant(since));
    }
    List<HostLog> hosts =
        manifest != null ? FleetLayout.manifest(manifest) : FleetLayout.root(root);
    SparkSession spark = FleetMain.session(master);
    try {
      FleetResult r = job.hosts(hosts).run(spark);
      stdout.print(r.summary());
      return 0;
    } finally {
      spark.stop();
    }
  }

  private Instant instant(String text) {
    try {
      return text.length() == 10
          ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--since: expected a date such as 2026-12-01 or an instant, found '" + text + "'");
    }
  }
}
