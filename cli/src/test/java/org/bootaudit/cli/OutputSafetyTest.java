package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 4 to 6: no output lost, no input replaced, no node replaced by a file, no temp
 * file left; streams read as streams; damaged gzip and bad options get their exit codes.
 */
class OutputSafetyTest {

  static final String RAW = MainTest.RAW;

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void stdoutThatFailsIsExit74() {
    PrintStream saved = System.out;
    System.setOut(new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("No space left on device");
          }
        },
        true));
    try {
      assertThat(cli.run("events", "--until", "all", RAW)).isEqualTo(Main.IO);
      assertThat(cli.run("report", RAW)).isEqualTo(Main.IO);
    } finally {
      System.setOut(saved);
    }
    assertThat(cli.errors()).contains("bootaudit: <stdout>: write failed");
  }

  @Test
  void outputOntoTheInputLogIsRefusedAndTheLogKept() throws IOException {
    Path log = tmp.resolve("audit.log");
    Files.copy(Path.of(RAW), log);
    byte[] before = Files.readAllBytes(log);
    assertThat(cli.run("events", log.toString(), "-o", log.toString())).isEqualTo(Main.USAGE);
    assertThat(cli.errors()).contains("is the input").doesNotContain("Exception");
    assertThat(cli.run("report", tmp.toString(), "-o", log.toString())).isEqualTo(Main.USAGE);
    assertThat(Files.readAllBytes(log)).isEqualTo(before);
    assertThat(cli.run("report", tmp.toString(), "-o", tmp.resolve("report.txt").toString()))
        .isEqualTo(Main.OK);
  }

  @Test
  @Timeout(60)
  void aFifoAsOutputIsWrittenIntoNotReplaced() throws Exception {
    Path fifo = mkfifo(tmp.resolve("out.fifo"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), fifo);
    for (Path target : List.of(fifo, link)) {
      CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readAll(fifo));
      assertThat(cli.run("events", "--until", "all", RAW, "-o", target.toString()))
          .isEqualTo(Main.OK);
      assertThat(new String(read.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8))
          .contains("\"op\":\"create\"");
      assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS))
          .isFalse();
    }
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(temps()).isEmpty();
  }

  @Test
  void aLinkToAFileStaysALink() throws IOException {
    Path real = Files.writeString(tmp.resolve("real.json"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("link.json"), real);
    assertThat(cli.run("events", "--until", "all", RAW, "-o", link.toString())).isEqualTo(Main.OK);
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Files.readString(real)).contains("\"op\":\"create\"");
  }

  @Test
  void staleTempFilesOfDeadRunsAreSweptLiveOnesKept() throws IOException {
    Path stale =
        Files.writeString(tmp.resolve(".out.json.bootaudit-" + deadPid() + "-1.tmp"), "partial");
    Path live = Files.writeString(
        tmp.resolve(".out.json.bootaudit-" + ProcessHandle.current().pid() + "-2.tmp"), "x");
    Path foreign = Files.writeString(tmp.resolve(".out.json.other-1.tmp"), "not ours");
    assertThat(cli.run(
            "events", "--until", "all", RAW, "-o", tmp.resolve("out.json").toString()))
        .isEqualTo(Main.OK);
    assertThat(stale).doesNotExist();
    assertThat(live).exists();
    assertThat(foreign).exists();
  }

  @Test
  @Timeout(120)
  void sigtermDuringEventsLeavesNoTempFile() throws Exception {
    Path log = tmp.resolve("big.log");
    try (OutputStream out = Files.newOutputStream(log)) {
      for (int i = 1; i <= 150_000; i++) {
        String h = "msg=audit(1700000000." + String.format("%03d", i % 1000) + ":" + i + "):";
        out.write(("type=SYSCALL " + h
                + " arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 a3=1b6"
                + " items=1 ppid=1 pid=5 auid=0 uid=0 comm=\"touch\" exe=\"/usr/bin/touch\" key=(null)\ntype=PATH "
                + h
                + " item=0 name=\"/tmp/f" + i
                + "\" inode=5 dev=fe:00 mode=0100644 nametype=CREATE\ntype=PROCTITLE " + h
                + " proctitle=78\n")
            .getBytes(StandardCharsets.US_ASCII));
      }
    }
    Path out = tmp.resolve("events.json");
    Process p = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "events",
            "--until",
            "all",
            "--input-format",
            "audit-log",
            log.toString(),
            log.toString(),
            log.toString(),
            "-o",
            out.toString())
        .redirectErrorStream(true)
        .redirectOutput(tmp.resolve("stderr").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (temps().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(p.isAlive()).as("still writing when signalled").isTrue();
    assertThat(temps()).isNotEmpty();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(temps()).isEmpty();
    assertThat(out).doesNotExist();
  }

  @Test
  @Timeout(60)
  void aFifoAsInputIsReadAsAStream() throws Exception {
    assertThat(cli.run("events", "--until", "all", RAW)).isEqualTo(Main.OK);
    String expected = cli.out();
    Path fifo = mkfifo(tmp.resolve("in.fifo"));
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try (OutputStream o = Files.newOutputStream(fifo)) {
        Files.copy(Path.of(RAW), o);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(cli.run("events", "--until", "all", fifo.toString())).isEqualTo(Main.OK);
    feed.get(30, TimeUnit.SECONDS);
    assertThat(cli.out()).isEqualTo(expected);
  }

  @Test
  void damagedGzipIsBadDataNamingTheFile() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(Files.readAllBytes(Path.of(RAW)));
    }
    byte[] whole = gz.toByteArray();
    Path cut = Files.write(tmp.resolve("cut.gz"), java.util.Arrays.copyOf(whole, whole.length - 4));
    assertThat(cli.run("events", "--until", "all", cut.toString())).isEqualTo(Main.DATA);
    assertThat(cli.errors())
        .contains("cut.gz:")
        .contains("a truncated or corrupt .gz")
        .doesNotContain("null");
    for (String garbage : List.of("x", "garbage after the stream\n", "y".repeat(100_000))) {
      Path trailing = tmp.resolve("trailing.gz");
      Files.write(trailing, whole);
      Files.write(
          trailing,
          garbage.getBytes(StandardCharsets.US_ASCII),
          java.nio.file.StandardOpenOption.APPEND);
      assertThat(cli.run("events", "--until", "all", trailing.toString()))
          .as(garbage)
          .isEqualTo(Main.DATA);
      assertThat(cli.errors()).contains("data after the end of the last gzip member");
    }
    Path twice = tmp.resolve("twice.gz");
    Files.write(twice, whole);
    Files.write(twice, whole, java.nio.file.StandardOpenOption.APPEND);
    assertThat(cli.run("events", "--until", "all", twice.toString()))
        .as("two members are one stream")
        .isNotEqualTo(Main.DATA);
    Path bad = Files.write(
        tmp.resolve("bad.gz"),
        new byte[] {0x1f, (byte) 0x8b, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'});
    assertThat(cli.run("events", "--until", "all", bad.toString())).isEqualTo(Main.DATA);
  }

  @Test
  void badOptionValuesAreUsageErrorsWithoutStackTraces() {
    assertThat(cli.run("events", "--max-line-length=-1", RAW)).isEqualTo(Main.USAGE);
    assertThat(cli.errors()).contains("--max-line-length").doesNotContain("at org.");
  }

  private List<Path> temps() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().contains(".bootaudit-")).toList();
    }
  }

  private static Path mkfifo(Path p) throws IOException, InterruptedException {
    assertThat(new ProcessBuilder("mkfifo", p.toString()).inheritIO().start().waitFor())
        .isZero();
    return p;
  }

  private static byte[] readAll(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A pid no process has: above the kernel's pid_max. */
  private static long deadPid() {
    return 4_194_305L + 1000;
  }
}
