package org.bootaudit.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.bootaudit.core.Op;

/**
 * The fleet's tables: {@code events} (one row per file event, partitioned by host), {@code boots}
 * (one row per boot: times, window end, counts per operation, unique files, loss) and {@code
 * errors} (hosts whose log could not be read).
 */
final class Tables {

  static final String EVENT = "event";
  static final String BOOT = "boot";
  static final String ERROR = "error";

  /** What a parsing task gives: event rows, then boot rows (or an error row), told by {@code kind}. */
  static final StructType PARSED = new StructType()
      .add("kind", DataTypes.StringType, false)
      .add("host", DataTypes.StringType, false)
      .add("boot", DataTypes.IntegerType)
      .add("phase", DataTypes.StringType)
      .add("seq", DataTypes.LongType)
      .add("time", DataTypes.TimestampType)
      .add("serial", DataTypes.LongType)
      .add("op", DataTypes.StringType)
      .add("path", DataTypes.StringType)
      .add("old_path", DataTypes.StringType)
      .add("exe", DataTypes.StringType)
      .add("pid", DataTypes.IntegerType)
      .add("ppid", DataTypes.IntegerType)
      .add("success", DataTypes.BooleanType)
      .add("errno", DataTypes.StringType)
      .add("key", DataTypes.StringType)
      .add("first_time", DataTypes.TimestampType)
      .add("last_time", DataTypes.TimestampType)
      .add("first_serial", DataTypes.LongType)
      .add("last_serial", DataTypes.LongType)
      .add("records", DataTypes.LongType)
      .add("audit_events", DataTypes.LongType)
      .add("file_events", DataTypes.LongType)
      .add("after_window", DataTypes.LongType)
      .add("window_end_serial", DataTypes.LongType)
      .add("window_end_time", DataTypes.TimestampType)
      .add("window_end_reason", DataTypes.StringType)
      .add("loss_none", DataTypes.BooleanType)
      .add("missing_serials", DataTypes.LongType)
      .add("kernel_lost", DataTypes.LongType)
      .add("suppressed", DataTypes.LongType)
      .add("overflows", DataTypes.LongType)
      .add("audit_off", DataTypes.IntegerType)
      .add("loss", DataTypes.StringType)
      .add("processes", DataTypes.LongType);

  static final String[] EVENT_COLUMNS = {
    "host",
    "boot",
    "phase",
    "seq",
    "time",
    "serial",
    "op",
    "path",
    "old_path",
    "exe",
    "pid",
    "ppid",
    "success",
    "errno",
    "key"
  };

  static final String[] BOOT_COLUMNS = {
    "host",
    "boot",
    "first_time",
    "last_time",
    "first_serial",
    "last_serial",
    "records",
    "audit_events",
    "file_events",
    "after_window",
    "window_end_serial",
    "window_end_time",
    "window_end_reason",
    "loss_none",
    "missing_serials",
    "kernel_lost",
    "suppressed",
    "overflows",
    "audit_off",
    "loss",
    "processes"
  };

  /** A boot's key in every table. */
  static final String[] KEY = {"host", "boot"};

  private Tables() {}

  /**
   * Parses every host, one task per host, and writes {@code out/events}, {@code out/boots} and
   * {@code out/errors}; returns the number of hosts that could not be read.
   */
  static long build(SparkSession spark, List<HostLog> hosts, String out) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Row> rows = jsc.parallelize(hosts, Math.max(1, hosts.size())).flatMap(HostParser::rows);
    Dataset<Row> parsed = spark.createDataFrame(rows, PARSED).persist(StorageLevel.DISK_ONLY());
    try {
      parsed
          .filter(col("kind").equalTo(EVENT))
          .select(cols(EVENT_COLUMNS))
          .write()
          .mode(SaveMode.Overwrite)
          .partitionBy("host")
          .parquet(out + "/events");
      // one row per boot or unreadable host: small enough for the driver, read in a few tasks
      // rather than one per host
      Dataset<Row> rest = spark.createDataFrame(
          parsed
              .filter(col("kind").notEqual(EVENT))
              .coalesce(Math.min(4, Math.max(1, hosts.size())))
              .collectAsList(),
          PARSED);
      Dataset<Row> boots = rest.filter(col("kind").equalTo(BOOT))
          .select(cols(BOOT_COLUMNS))
          .join(counts(spark.read().parquet(out + "/events")), KEY, "left");
      boots
          .select(zeroForNull(boots))
          .orderBy("host", "boot")
          .coalesce(1)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(out + "/boots");
      Dataset<Row> errors = rest.filter(col("kind").equalTo(ERROR))
          .select(col("host"), col("loss").as("error"));
      errors.orderBy("host").coalesce(1).write().mode(SaveMode.Overwrite).parquet(out + "/errors");
      return errors.count();
    } finally {
      parsed.unpersist();
    }
  }

  /**
   * Per boot, as {@code bootaudit report} counts them: successful events and distinct paths per
   * operation ({@code read_events}, {@code read_files}, ...), failed events, and the unique files
   * (distinct paths of every operation but delete).
   */
  static Dataset<Row> counts(Dataset<Row> events) {
    Dataset<Row> ok = events.filter(col("success"));
    Dataset<Row> perPath = ok.groupBy("host", "boot", "op", "path").count();
    List<Column> aggs = new ArrayList<>();
    for (Op op : Op.values()) {
      Column is = col("op").equalTo(op.label());
      aggs.add(sum(when(is, col("count")).otherwise(0)).as(op.label() + "_events"));
      aggs.add(sum(when(is, 1).otherwise(0)).as(op.label() + "_files"));
    }
    Dataset<Row> perOp = perPath
        .groupBy("host", "boot")
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]));
    Dataset<Row> unique = ok.filter(col("op").notEqual(Op.DELETE.label()))
        .select("host", "boot", "path")
        .distinct()
        .groupBy("host", "boot")
        .count()
        .withColumnRenamed("count", "unique_files");
    Dataset<Row> failed = events
        .filter(col("success").equalTo(false))
        .groupBy("host", "boot")
        .count()
        .withColumnRenamed("count", "failed");
    return perOp.join(unique, KEY, "full").join(failed, KEY, "full");
  }

  private static Column[] zeroForNull(Dataset<Row> boots) {
    List<Column> out = new ArrayList<>();
    for (String c : boots.columns()) {
      boolean count = c.endsWith("_events") && !c.equals("audit_events") && !c.equals("file_events")
          || c.endsWith("_files") && !c.equals("unique_files")
          || c.equals("unique_files")
          || c.equals("failed");
      out.add(count ? coalesce(col(c), lit(0L)).as(c) : col(c));
    }
    return out.toArray(new Column[0]);
  }

  static Column[] cols(String... names) {
    Column[] out = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      out[i] = col(names[i]);
    }
    return out;
  }
}
