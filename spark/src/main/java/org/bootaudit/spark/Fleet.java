package org.bootaudit.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * The fleet job, the module's entry point: many hosts' boots parsed in parallel, one task per
 * host, into Parquet tables, then the fleet analyses over them and a summary for people.
 *
 * <pre>{@code
 * FleetResult r = Fleet.job().hosts(FleetLayout.root("/data/fleet")).out("/data/out").run(spark);
 * System.out.print(r.summary());
 * }</pre>
 *
 * <p>Written under {@code out}: {@code events} (partitioned by host), {@code boots}, {@code errors},
 * {@code baseline}, {@code outlier_items}, {@code outliers}, {@code loss}, {@code new_programs}
 * and {@code summary.txt}; existing tables of those names are replaced.
 */
public final class Fleet {

  private List<HostLog> hosts = List.of();
  private String out;
  private double minPercent = 50;
  private Optional<Instant> since = Optional.empty();
  private int top = 20;

  private Fleet() {}

  /** A job to configure: give it hosts and an output directory. */
  public static Fleet job() {
    return new Fleet();
  }

  /** The hosts to read (see {@link FleetLayout}). */
  public Fleet hosts(List<HostLog> list) {
    this.hosts = List.copyOf(list);
    return this;
  }

  /** Where the tables go: a local directory or a Hadoop URI. */
  public Fleet out(String dir) {
    this.out = Objects.requireNonNull(dir);
    return this;
  }

  /** The baseline holds what at least this share of boots used, in percent; default 50. */
  public Fleet minPercent(double percent) {
    if (!(percent > 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          "the baseline's share must be in (0, 100], found " + percent);
    }
    this.minPercent = percent;
    return this;
  }

  /** Lists the programs first executed at boot at or after this time; default none. */
  public Fleet since(Instant time) {
    this.since = Optional.of(time);
    return this;
  }

  /** How many outlier boots the summary names; default 20 (the table has them all). */
  public Fleet top(int n) {
    this.top = n;
    return this;
  }

  /**
   * Runs the job on {@code spark} and writes the tables and {@code summary.txt}.
   *
   * @throws IOException when the summary cannot be written
   */
  public FleetResult run(SparkSession spark) throws IOException {
    Objects.requireNonNull(out, "out");
    long unreadable = Tables.build(spark, hosts, out);
    Analyses a = new Analyses(spark, out);
    long boots = a.boots().count();
    long events = a.events().count();
    a.baseline(minPercent, boots);
    a.outliers();
    a.loss();
    a.newPrograms(since);
    long outliers = spark.read().parquet(out + "/outliers").count();
    long lossy = a.boots().filter(col("loss_none").equalTo(false)).count();
    String text = new FleetSummary(spark, out, top)
        .text(hosts.size(), unreadable, boots, events, minPercent, since);
    writeText(spark, out + "/summary.txt", text);
    return new FleetResult(hosts.size(), unreadable, boots, events, outliers, lossy, text);
  }

  private static void writeText(SparkSession spark, String file, String text) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
    FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream o = fs.create(p, true)) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
