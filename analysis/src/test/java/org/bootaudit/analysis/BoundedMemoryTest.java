package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reports on a 1 GB log of 220 real boots fit in the launcher's heap ({@code -Xmx128m}, serial
 * GC): the text report and the HTML report in one pass, in a JVM of its own.
 */
class BoundedMemoryTest {

  @TempDir
  Path tmp;

  @Test
  void aGigabyteOfBootsFitsTheLaunchersHeap() throws Exception {
    Path html = tmp.resolve("report.html");
    String cp = String.join(
        File.pathSeparator,
        System.getProperty("jdk.module.path", ""),
        System.getProperty("java.class.path", ""));
    Process p = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-XX:+UseSerialGC",
            "-cp",
            cp,
            ManyBootsReport.class.getName(),
            "220",
            html.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    System.out.println("BoundedMemoryTest: " + out.strip());
    Matcher m = Pattern.compile("boots (\\d+) bytes (\\d+) heap-peak (\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isEqualTo(220);
    assertThat(Long.parseLong(m.group(2))).isGreaterThan(1_000_000_000L);
    String page = Files.readString(html);
    assertThat(Pattern.compile("\\{\"node\":\"\",\"boot\":\\d+,")
            .matcher(page)
            .results()
            .count())
        .isEqualTo(220);
    assertThat(page).contains("\"boot\":220,").endsWith("</html>\n");
  }
}
