package org.bootaudit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bootaudit.analysis.BootReport;
import org.bootaudit.analysis.Report;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.Op;

/** What a fleet job wrote, checked against the single-host report of each host and the known changes. */
final class FleetChecks {

  private FleetChecks() {}

  /** Every boot's row in {@code boots}, as the single-host {@code Report} of its host counts it. */
  static Map<String, String> singleHost(Path root, List<String> hosts) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String h : hosts) {
      try (EventStream events = AuditLog.reader().source(root.resolve(h)).open()) {
        for (BootReport b : Report.of(events).boots()) {
          out.put(h + " " + b.summary().boot(), line(b));
        }
      }
    }
    return out;
  }

  private static String line(BootReport b) {
    BootSummary s = b.summary();
    StringBuilder l = new StringBuilder();
    for (Op op : Op.values()) {
      l.append(op.label())
          .append(' ')
          .append(b.op(op).events())
          .append('/')
          .append(b.op(op).files())
          .append(' ');
    }
    return l + "failed " + b.failed() + " unique " + b.uniqueFiles() + " fileEvents "
        + s.fileEvents() + " serials "
        + s.firstSerial() + ".." + s.lastSerial() + " missing " + s.loss().missingSerials()
        + " window "
        + s.windowEnd().map(w -> String.valueOf(w.serial())).orElse("-");
  }

  private static String line(Row r) {
    StringBuilder l = new StringBuilder();
    for (Op op : Op.values()) {
      l.append(op.label())
          .append(' ')
          .append(r.<Long>getAs(op.label() + "_events"))
          .append('/')
          .append(r.<Long>getAs(op.label() + "_files"))
          .append(' ');
    }
    Long window = r.getAs("window_end_serial");
    return l + "failed " + r.<Long>getAs("failed") + " unique " + r.<Long>getAs("unique_files")
        + " fileEvents "
        + r.<Long>getAs("file_events") + " serials " + r.<Long>getAs("first_serial") + ".."
        + r.<Long>getAs("last_serial")
        + " missing " + r.<Long>getAs("missing_serials") + " window "
        + (window == null ? "-" : window);
  }

  /** Checks every table of {@code out} against the fleet as written. */
  static void check(SparkSession spark, String out, TestFleet fleet) throws IOException {
    List<String> hosts =
        fleet.boots.stream().map(TestFleet.Boot::host).distinct().toList();
    assertThat(spark.read().parquet(out + "/errors").count()).isZero();

    Map<String, String> fromSpark = new HashMap<>();
    for (Row r : spark.read().parquet(out + "/boots").collectAsList()) {
      fromSpark.put(r.<String>getAs("host") + " " + r.<Integer>getAs("boot"), line(r));
    }
    assertThat(fromSpark).hasSize(fleet.boots.size()).isEqualTo(singleHost(fleet.root, hosts));
    long fileEvents = fromSpark.values().stream()
        .mapToLong(l -> Long.parseLong(l.split(" fileEvents ")[1].split(" ")[0]))
        .sum();
    assertThat(spark.read().parquet(out + "/events").count()).isEqualTo(fileEvents);

    Set<String> expectedOutliers = keys(
        fleet,
        b -> b.busybox()
            || b.change() == TestFleet.Change.EXEC
            || b.change() == TestFleet.Change.FILE);
    List<Row> ranked = spark.read().parquet(out + "/outliers").collectAsList();
    Set<String> outliers =
        ranked.stream().map(FleetChecks::key).collect(Collectors.toCollection(TreeSet::new));
    assertThat(outliers).isEqualTo(expectedOutliers);
    // ranked: every boot that executed a program outside the baseline comes before those that did
    // not
    List<Long> execs = ranked.stream().map(r -> r.<Long>getAs("execs_outside")).toList();
    assertThat(execs).isSortedAccordingTo((a, b) -> Boolean.compare(b > 0, a > 0));

    Map<String, Set<String>> items = new HashMap<>();
    for (Row r : spark.read().parquet(out + "/outlier_items").collectAsList()) {
      items
          .computeIfAbsent(key(r), k -> new TreeSet<>())
          .add(r.<String>getAs("op") + " " + r.<String>getAs("path"));
    }
    for (TestFleet.Boot b : fleet.boots) {
      String k = b.host() + " " + b.boot();
      switch (b.change()) {
        case EXEC -> assertThat(items.get(k)).as(k).contains("exec " + TestFleet.IMPLANT);
        case FILE -> assertThat(items.get(k)).as(k).contains("create " + TestFleet.DROPPED);
        default ->
          assertThat(items.getOrDefault(k, Set.of())).as(k).noneMatch(i -> i.contains("implant"));
      }
      if (!b.busybox() && b.change() == TestFleet.Change.EXEC) {
        assertThat(items.get(k)).as(k).containsExactly("exec " + TestFleet.IMPLANT);
      }
    }

    List<Row> loss = spark.read().parquet(out + "/loss").collectAsList();
    Set<String> lossy =
        loss.stream().map(FleetChecks::key).collect(Collectors.toCollection(TreeSet::new));
    assertThat(lossy)
        .isEqualTo(keys(fleet, b -> b.change() == TestFleet.Change.LOSS))
        .isNotEmpty();
    assertThat(loss)
        .allSatisfy(r -> assertThat(r.<Long>getAs("missing_serials")).isEqualTo(TestFleet.LOST));

    List<TestFleet.Boot> implanted =
        fleet.boots.stream().filter(b -> b.change() == TestFleet.Change.EXEC).toList();
    List<Row> fresh = spark.read().parquet(out + "/new_programs").collectAsList();
    assertThat(fresh).hasSize(1);
    assertThat(fresh.get(0).<String>getAs("path")).isEqualTo(TestFleet.IMPLANT);
    assertThat(fresh.get(0).<String>getAs("first_host"))
        .isEqualTo(implanted.get(0).host());
    assertThat(fresh.get(0).<Long>getAs("boots")).isEqualTo(implanted.size());
  }

  static java.time.Instant firstImplant(TestFleet fleet) {
    return fleet.boots.stream()
        .filter(b -> b.change() == TestFleet.Change.EXEC)
        .findFirst()
        .orElseThrow()
        .start();
  }

  private static String key(Row r) {
    return r.<String>getAs("host") + " " + r.<Integer>getAs("boot");
  }

  private static Set<String> keys(TestFleet fleet, java.util.function.Predicate<TestFleet.Boot> p) {
    return fleet.boots.stream()
        .filter(p)
        .map(b -> b.host() + " " + b.boot())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
