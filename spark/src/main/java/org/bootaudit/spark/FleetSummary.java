package org.bootaudit.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bootaudit.core.Op;

/** The fleet's results as text for people, read back from the tables the job wrote. */
final class FleetSummary {

  /** Items of one outlier boot named in the text; the table has them all. */
  private static final int ITEMS = 8;

  private final SparkSession spark;
  private final String out;
  private final int top;
  private final StringBuilder s = new StringBuilder();

  FleetSummary(SparkSession spark, String out, int top) {
    this.spark = spark;
    this.out = out;
    this.top = top;
  }

  private Dataset<Row> table(String name) {
    return spark.read().parquet(out + "/" + name);
  }

  String text(
      long hosts,
      long unreadable,
      long boots,
      long events,
      double minPercent,
      Optional<Instant> since) {
    line(
        "fleet:     %d hosts (%d unreadable), %d boots, %d file events in the boot windows",
        hosts, unreadable, boots, events);
    for (Row r : table("errors").orderBy("host").limit(top).collectAsList()) {
      line("  unreadable: %s: %s", r.getString(0), r.getString(1));
    }
    baseline(minPercent);
    outliers();
    loss(boots);
    since.ifPresent(this::newPrograms);
    line(
        "tables:    %s/{events,boots,errors,baseline,outlier_items,outliers,loss,new_programs}",
        out);
    return s.toString();
  }

  private void baseline(double minPercent) {
    List<Row> perOp = table("baseline").groupBy("op").count().collectAsList();
    StringBuilder b = new StringBuilder();
    for (Op op : Op.values()) {
      long n = perOp.stream()
          .filter(r -> r.getString(0).equals(op.label()))
          .mapToLong(r -> r.getLong(1))
          .sum();
      b.append(' ').append(op.label()).append(' ').append(n);
    }
    line(
        "baseline:  files and programs used by at least %s%% of boots, per op:%s",
        trim(minPercent), b);
  }

  private void outliers() {
    Dataset<Row> ranked = table("outliers");
    long n = ranked.count();
    if (n == 0) {
      line("outliers:  none (every boot used only files and programs of the baseline)");
      return;
    }
    line(
        "outliers:  %d boots used files or programs outside the baseline; ranked (execs, then writes), the first %d:",
        n, Math.min(n, top));
    List<Row> first = ranked.limit(top).collectAsList();
    Dataset<Row> items = table("outlier_items").join(ranked.limit(top), Tables.KEY, "left_semi");
    List<Row> named = items
        .withColumn("item", concat_ws(" ", col("op"), col("path")))
        .groupBy("host", "boot")
        .agg(collect_list("item").as("items"))
        .collectAsList();
    int rank = 1;
    for (Row r : first) {
      String host = r.getAs("host");
      int boot = r.getAs("boot");
      List<String> list = named.stream()
          .filter(x -> x.getString(0).equals(host) && x.getInt(1) == boot)
          .findFirst()
          .map(x -> sorted(x.<String>getList(2)))
          .orElse(List.of());
      line(
          "  %3d  %s boot %d: %d exec, %d created/written, %d in all outside the baseline: %s%s",
          rank++,
          host,
          boot,
          r.<Long>getAs("execs_outside"),
          r.<Long>getAs("written_outside"),
          r.<Long>getAs("outside"),
          String.join(", ", list.subList(0, Math.min(ITEMS, list.size()))),
          list.size() > ITEMS ? ", ..." : "");
    }
  }

  private void loss(long boots) {
    Dataset<Row> loss = table("loss");
    long n = loss.count();
    if (n == 0) {
      line("loss:      none seen in %d boots (serials contiguous, no kernel loss reports)", boots);
      return;
    }
    line(
        "loss:      %d of %d boots cannot be trusted in full; the first %d:",
        n, boots, Math.min(n, top));
    for (Row r : loss.limit(top).collectAsList()) {
      line(
          "  %s boot %d: %s",
          r.<String>getAs("host"), r.<Integer>getAs("boot"), r.<String>getAs("loss"));
    }
  }

  private void newPrograms(Instant since) {
    Dataset<Row> t = table("new_programs");
    long n = t.count();
    line("new:       %d programs first executed at boot since %s%s", n, since, n == 0 ? "" : ":");
    for (Row r : t.limit(top).collectAsList()) {
      line(
          "  %s: first %s boot %d at %s, in %d boots",
          r.<String>getAs("path"),
          r.<String>getAs("first_host"),
          r.<Integer>getAs("first_boot"),
          r.<java.sql.Timestamp>getAs("first_time").toInstant(),
          r.<Long>getAs("boots"));
    }
  }

  /** Executed programs first, then by operation and path. */
  private static List<String> sorted(List<String> items) {
    List<String> out = new java.util.ArrayList<>(items);
    out.sort(java.util.Comparator.comparing((String i) -> !i.startsWith(Op.EXEC.label() + " "))
        .thenComparing(i -> i));
    return out;
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private void line(String format, Object... args) {
    s.append(String.format(java.util.Locale.ROOT, format, args)).append('\n');
  }
}
