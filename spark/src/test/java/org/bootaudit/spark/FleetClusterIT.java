package org.bootaudit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet job on a real Spark standalone cluster on this machine: a master and two workers
 * (one core each), started from Spark's own classes with a SPARK_HOME laid out as a Spark
 * distribution's ({@code RELEASE}, {@code jars/}: the Spark jars of target/lib, none of
 * bootaudit's), the job given to {@code SparkSubmit} as {@code spark-submit} would, with the
 * submit jar. Its tables must match each host's single-host report and the fleet's known changes.
 */
class FleetClusterIT {

  static final int HOSTS = 240;
  static final Path DIR = Path.of("target/cluster").toAbsolutePath();
  static final List<Process> daemons = new ArrayList<>();
  static Path sparkHome;
  static int port;

  @BeforeAll
  static void startCluster() throws Exception {
    if (Files.exists(DIR)) {
      TestFleet.delete(DIR);
    }
    sparkHome = sparkHome();
    port = freePort();
    daemons.add(daemon(
        "master",
        "org.apache.spark.deploy.master.Master",
        "--host",
        "127.0.0.1",
        "--port",
        String.valueOf(port),
        "--webui-port",
        String.valueOf(freePort())));
    awaitLog("master", "I have been elected leader");
    for (int w = 1; w <= 2; w++) {
      daemons.add(daemon(
          "worker" + w,
          "org.apache.spark.deploy.worker.Worker",
          "--host",
          "127.0.0.1",
          "--cores",
          "1",
          "--memory",
          "640m",
          "--webui-port",
          String.valueOf(freePort()),
          "--work-dir",
          DIR.resolve("work" + w).toString(),
          "spark://127.0.0.1:" + port));
    }
    awaitLog("worker1", "Successfully registered with master");
    awaitLog("worker2", "Successfully registered with master");
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    for (Process p : daemons) {
      p.destroy();
    }
    for (Process p : daemons) {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void submittedJobMatchesEachHostsReportAndFindsTheKnownChanges() throws Exception {
    TestFleet fleet = TestFleet.write(DIR.resolve("fleet"), HOSTS);
    Path out = DIR.resolve("out");
    List<String> cmd = java("768m");
    cmd.addAll(List.of(
        "org.apache.spark.deploy.SparkSubmit",
        "--master",
        "spark://127.0.0.1:" + port,
        "--deploy-mode",
        "client",
        "--class",
        FleetMain.class.getName(),
        "--conf",
        "spark.executor.memory=512m",
        "--conf",
        "spark.driver.host=127.0.0.1",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=8",
        System.getProperty("fleet.submitJar"),
        fleet.root.toString(),
        "--out",
        out.toString(),
        "--since",
        FleetChecks.firstImplant(fleet).toString()));
    long t0 = System.nanoTime();
    Process submit = start(cmd, "submit");
    assertThat(submit.waitFor(6, TimeUnit.MINUTES))
        .as("spark-submit finished in 6 minutes")
        .isTrue();
    String log = Files.readString(DIR.resolve("submit.log"));
    assertThat(submit.exitValue()).as(log).isZero();
    System.out.printf(
        "FleetClusterIT: %d hosts, %d boots, %,d bytes of logs: spark-submit took %.1f s%n",
        HOSTS, fleet.boots.size(), fleet.bytes, (System.nanoTime() - t0) / 1e9);
    assertThat(Files.readString(DIR.resolve("submit.out")))
        .startsWith(
            "fleet:     " + HOSTS + " hosts (0 unreadable), " + fleet.boots.size() + " boots");

    // both workers ran an executor of this application, and each executor ran tasks
    for (int w = 1; w <= 2; w++) {
      try (Stream<Path> s = Files.walk(DIR.resolve("work" + w))) {
        List<Path> stderr =
            s.filter(p -> p.getFileName().toString().equals("stderr")).toList();
        assertThat(stderr).as("executor logs of worker " + w).hasSize(1);
        assertThat(Files.readString(stderr.get(0))).contains("Running task");
      }
    }

    SparkSession spark = FleetMain.session("local[1]");
    try {
      FleetChecks.check(spark, out.toString(), fleet);
    } finally {
      spark.stop();
    }
  }

  /** A SPARK_HOME as a distribution lays it out: RELEASE and jars/, Spark's jars only. */
  private static Path sparkHome() throws IOException {
    Path home = DIR.resolve("spark-home");
    Files.createDirectories(home.resolve("jars"));
    Files.writeString(
        home.resolve("RELEASE"),
        "Spark (jars of bootaudit-spark's target/lib) for FleetClusterIT\n");
    try (Stream<Path> jars = Files.list(Path.of(System.getProperty("fleet.lib")))) {
      for (Path j : jars.toList()) {
        String n = j.getFileName().toString();
        if (!n.startsWith("bootaudit-") && !n.startsWith("picocli-")) {
          Files.createSymbolicLink(home.resolve("jars").resolve(n), j.toAbsolutePath());
        }
      }
    }
    return home;
  }

  private static List<String> java(String heap) {
    List<String> cmd = new ArrayList<>(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap));
    cmd.addAll(List.of(System.getProperty("spark.jvm.args").trim().split("\\s+")));
    cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*"));
    return cmd;
  }

  private static Process daemon(String name, String main, String... args) throws IOException {
    List<String> cmd = java("256m");
    cmd.add(main);
    cmd.addAll(List.of(args));
    return start(cmd, name);
  }

  private static Process start(List<String> cmd, String name) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectError(DIR.resolve(name + ".log").toFile())
        .redirectOutput(DIR.resolve(name + ".out").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("SPARK_LOG_DIR", DIR.toString());
    return pb.start();
  }

  private static void awaitLog(String name, String line) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Path log = DIR.resolve(name + ".log");
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(name + " did not log '" + line + "' in 90 s:\n"
        + (Files.exists(log) ? Files.readString(log) : ""));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
