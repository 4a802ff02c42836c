package org.bootaudit.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.bootaudit.core.Op;

/**
 * The fleet analyses, as Spark jobs over the {@code events} and {@code boots} tables, each written
 * as a Parquet table beside them: {@code baseline}, {@code outlier_items}, {@code outliers},
 * {@code loss} and {@code new_programs}.
 */
final class Analyses {

  private final SparkSession spark;
  private final String out;
  // read once: each read of a table partitioned by host lists its directories again (with more
  // than 32 of them, as a Spark job of one task per host)
  private final Dataset<Row> events;

  Analyses(SparkSession spark, String out) {
    this.spark = spark;
    this.out = out;
    this.events = spark.read().parquet(out + "/events");
  }

  Dataset<Row> events() {
    return events;
  }

  Dataset<Row> boots() {
    return spark.read().parquet(out + "/boots");
  }

  /** Each boot's distinct (operation, path) pairs of successful events. */
  private Dataset<Row> used() {
    return events().filter(col("success")).select("host", "boot", "op", "path").distinct();
  }

  /**
   * Files and programs (exec) used by at least {@code minPercent}% of the fleet's boots, per
   * operation: {@code op, path, boots, share}.
   */
  void baseline(double minPercent, long boots) {
    Dataset<Row> shares = used()
        .groupBy("op", "path")
        .agg(count(lit(1)).as("boots"))
        .withColumn("share", col("boots").divide((double) Math.max(1, boots)));
    // boots * 100 >= minPercent * total, kept exact for whole percentages
    write(
        shares.filter(col("boots").multiply(100).geq(minPercent * boots)).orderBy("op", "path"),
        "baseline");
  }

  /**
   * Each boot's files and programs outside the baseline ({@code outlier_items}), and the boots
   * that have any, ranked ({@code outliers}): programs executed first, then files created or
   * written, then everything else outside the baseline.
   */
  void outliers() {
    Dataset<Row> baseline = spark.read().parquet(out + "/baseline").select("op", "path");
    write(
        used()
            .join(baseline, new String[] {"op", "path"}, "left_anti")
            .orderBy("host", "boot", "op", "path"),
        "outlier_items");
    Dataset<Row> items = spark.read().parquet(out + "/outlier_items");
    Column exec = col("op").equalTo(Op.EXEC.label());
    Column written = col("op").isin(Op.WRITE.label(), Op.CREATE.label());
    Dataset<Row> ranked = items
        .groupBy("host", "boot")
        .agg(
            sum(when(exec, 1).otherwise(0)).as("execs_outside"),
            sum(when(written, 1).otherwise(0)).as("written_outside"),
            count(lit(1)).as("outside"));
    write(
        ranked
            .orderBy(
                col("execs_outside").desc(),
                col("written_outside").desc(),
                col("outside").desc(),
                col("host"),
                col("boot"))
            .coalesce(1),
        "outliers");
  }

  /** The boots whose log shows missing records or auditing switched off, with the reason. */
  void loss() {
    write(
        boots()
            .filter(col("loss_none").equalTo(false))
            .select(
                "host",
                "boot",
                "missing_serials",
                "kernel_lost",
                "suppressed",
                "overflows",
                "audit_off",
                "loss")
            .orderBy("host", "boot")
            .coalesce(1),
        "loss");
  }

  /**
   * Programs executed at boot for the first time in the fleet at or after {@code since}: where
   * and when first, and in how many boots.
   */
  void newPrograms(Optional<Instant> since) {
    Dataset<Row> execs = events().filter(col("success").and(col("op").equalTo(Op.EXEC.label())));
    Dataset<Row> first = execs
        .groupBy("path")
        .agg(
            min(struct(col("time"), col("host"), col("boot"))).as("first"),
            countDistinct(col("host"), col("boot")).as("boots"));
    Dataset<Row> picked = since.isPresent()
        ? first.filter(col("first.time").geq(lit(Timestamp.from(since.get()))))
        : first.filter(lit(false));
    write(
        picked
            .select(
                col("path"),
                col("first.time").as("first_time"),
                col("first.host").as("first_host"),
                col("first.boot").as("first_boot"),
                col("boots"))
            .orderBy("first_time", "path")
            .coalesce(1),
        "new_programs");
  }

  private void write(Dataset<Row> d, String name) {
    d.write().mode(SaveMode.Overwrite).parquet(out + "/" + name);
  }
}
