package org.bootaudit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet job in local mode (two threads) on a small fleet made from the real sample logs. */
class FleetLocalTest {

  static SparkSession spark;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void start() {
    spark = FleetMain.session("local[2]");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void findsTheChangedBootsAndCountsAsTheSingleHostReport() throws Exception {
    TestFleet fleet = TestFleet.write(tmp.resolve("fleet"), 16);
    String out = tmp.resolve("out").toString();
    FleetResult r = Fleet.job()
        .hosts(FleetLayout.root(fleet.root.toString()))
        .out(out)
        .since(FleetChecks.firstImplant(fleet))
        .run(spark);
    assertThat(r.hosts()).isEqualTo(16);
    assertThat(r.boots()).isEqualTo(fleet.boots.size());
    FleetChecks.check(spark, out, fleet);
    assertThat(Files.readString(Path.of(out, "summary.txt")))
        .isEqualTo(r.summary())
        .contains("fleet:     16 hosts (0 unreadable), " + fleet.boots.size() + " boots")
        .contains("exec " + TestFleet.IMPLANT)
        .contains(TestFleet.LOST + " serial(s) missing");
  }

  @Test
  void manifestNamesHostsByPathAndAnUnreadableHostIsReportedNotFatal() throws Exception {
    TestFleet fleet = TestFleet.write(tmp.resolve("m"), 3);
    Path bad = Files.writeString(tmp.resolve("bad.log"), "type=SYSCALL msg=audit(oops\n");
    Path manifest = Files.writeString(
        tmp.resolve("hosts.txt"),
        String.join(
            "\n",
            "# host path",
            "a " + fleet.root.resolve("host-0000"),
            "b m/host-0001/audit.log",
            "c " + bad,
            ""));
    List<HostLog> hosts = FleetLayout.manifest(manifest);
    assertThat(hosts).extracting(HostLog::host).containsExactly("a", "b", "c");
    String out = tmp.resolve("mout").toString();
    FleetResult r = Fleet.job().hosts(hosts).out(out).run(spark);
    assertThat(r.unreadable()).isEqualTo(1);
    assertThat(r.boots()).isEqualTo(3);
    assertThat(r.summary()).contains("unreadable: c: ");
  }

  @Test
  void commandPrintsTheSummaryAndRejectsBadUse() throws Exception {
    TestFleet fleet = TestFleet.write(tmp.resolve("cmd"), 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = FleetMain.run(
        new String[] {
          "fleet",
          fleet.root.toString(),
          "--out",
          tmp.resolve("cout").toString(),
          "--master",
          "local[1]"
        },
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("fleet:     2 hosts (0 unreadable), 3 boots");
    spark = FleetMain.session("local[2]"); // the command stopped the shared session
    err.reset();
    assertThat(FleetMain.run(
            new String[] {"fleet", "--out", "x"},
            System.out,
            new PrintStream(err, true, StandardCharsets.UTF_8)))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("give ROOT or --manifest FILE");
  }
}
