package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --html}: the page as written, and as headless Chromium renders it (the DOM its
 * script builds, a filter driven by the URL fragment, and a screenshot).
 */
class ReportHtmlTest {

  static final String RAW = "../samples/workload/raw/audit.log";
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final String EVIL = "/tmp/bootaudit-wl/dir/</script><b>x.txt";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LI = Pattern.compile("<li class=\"file\"[^>]*>");

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  /** The raw workload log with one file renamed so that its path would end the script element. */
  private Path page() throws IOException {
    Path log = tmp.resolve("audit.log");
    Files.writeString(
        log,
        Files.readString(Path.of(RAW), StandardCharsets.ISO_8859_1)
            .replace("name=\"/tmp/bootaudit-wl/dir/created.txt\"", "name=\"" + EVIL + "\""),
        StandardCharsets.ISO_8859_1);
    Path html = tmp.resolve("report.html");
    assertThat(cli.run("report", "--until", "all", "--html", html.toString(), log.toString()))
        .isEqualTo(0);
    return html;
  }

  @Test
  void thePageIsSelfContainedAndItsDataCannotEndTheScript() throws IOException {
    String html = Files.readString(page());
    assertThat(html).doesNotContain("http://", "https://", " src=", " href=");
    assertThat(html)
        .doesNotContain("</script><b>")
        .contains("\\u003c/script\\u003e\\u003cb\\u003ex.txt");
    assertThat(html).containsOnlyOnce("<script type=\"application/json\" id=\"data\">");
    assertThat(cli.out()).contains("boot 1:");
  }

  @Test
  void chromiumRendersOneRowPerProcessAndEveryFile() throws Exception {
    Path html = page();
    String dom = dumpDom(html, "");
    JsonNode boot = reportJson().get("boots").get(0);
    assertThat(dom).contains("<body data-ready=\"1\">");
    assertThat(count(dom, "<div class=\"proc"))
        .isEqualTo(boot.get("processes").size())
        .isGreaterThan(20);
    for (JsonNode p : boot.get("processes")) {
      assertThat(dom).contains("data-pid=\"" + p.get("pid").asInt() + "\"");
    }
    assertThat(count(dom, "<div class=\"bar\"")).isEqualTo(boot.get("processes").size());
    Set<String> uses = fileUses(null, "");
    assertThat(dom).contains("data-shown=\"" + uses.size() + "\"");
    assertThat(LI.matcher(dom).results().count()).isEqualTo(uses.size());
    assertThat(dom).contains("<span class=\"path\">/tmp/bootaudit-wl/script.sh</span>");
    // the hostile name is text, not markup
    assertThat(dom)
        .contains("<span class=\"path\">/tmp/bootaudit-wl/dir/&lt;/script&gt;&lt;b&gt;x.txt</span>")
        .doesNotContain("<b>");
    // a child process is indented below its parent
    assertThat(dom).containsPattern("data-pid=\"\\d+\" data-depth=\"1\"");
  }

  @Test
  void theFragmentFiltersByOperationAndDirectory() throws Exception {
    Path html = page();
    String dom = dumpDom(html, "#ops=exec,write&dir=/usr/bin");
    Set<String> shown = fileUses("exec,write", "/usr/bin");
    assertThat(shown).isNotEmpty();
    assertThat(dom).contains("data-shown=\"" + shown.size() + "\"");
    long visible = 0;
    Matcher m = LI.matcher(dom);
    while (m.find()) {
      String tag = m.group();
      if (!tag.contains(" hidden=")) {
        visible++;
        assertThat(tag).containsPattern("data-op=\"[a-z ]*(exec|write)");
      }
    }
    assertThat(visible).isEqualTo(shown.size());
    assertThat(dom).contains("class=\"proc nomatch\"");
  }

  @Test
  void aScreenshotShowsThePage() throws Exception {
    Path html = page();
    Path png = tmp.resolve("report.png");
    chromium("--screenshot=" + png, "--window-size=1280,900", html.toUri() + "#open=1");
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1280);
    assertThat(img.getHeight()).isEqualTo(900);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    // text, op badges and bars: a blank or error page has a handful of colours
    assertThat(colours.size()).isGreaterThan(50);
  }

  /** The early-boot sample: its phases as bands on the time axis, and behind every track. */
  @Test
  void thePhasesAreBandsOnTheTimeAxis() throws Exception {
    Path html = tmp.resolve("boot.html");
    assertThat(cli.run("report", "--html", html.toString(), "../samples/boot/audit.log.gz"))
        .isEqualTo(0);
    String page = Files.readString(html);
    String json = page.substring(page.indexOf("id=\"data\">") + 10, page.indexOf("</script>"));
    JsonNode bands = JSON.readTree(json).get("boots").get(0).get("phases");
    assertThat(bands)
        .extracting(b -> b.get("phase").asText() + " " + b.get("s").asLong() + ".."
            + b.get("e").asLong())
        .containsExactly("initramfs 0..10808", "root 10808..11020", "after-window 11020..11144");
    assertThat(bands.get(1).get("title").asText())
        .isEqualTo("serial 4697: pid 1 exec /sbin/init on fe:00");
    String dom = dumpDom(html, "");
    assertThat(dom)
        .contains("<div class=\"band initramfs\" data-phase=\"initramfs\"")
        .contains("data-phase=\"root\"")
        .contains("data-phase=\"after-window\"")
        .containsPattern(
            "data-phase=\"root\" title=\"root \\+10\\.8 s \\.\\. \\+11\\.0 s, serial 4697: [^\"]*\" "
                + "style=\"left: 96\\.98[0-9]*%; width: 1\\.90[0-9]*%;\">root</div>")
        .contains("linear-gradient");
  }

  private JsonNode reportJson() throws IOException {
    assertThat(cli.run(
            "report", "--until", "all", "-f", "json", tmp.resolve("audit.log").toString()))
        .isEqualTo(0);
    return JSON.readTree(cli.out());
  }

  /** Distinct (pid, path) pairs of successful events, with one of {@code ops} and under {@code dir}. */
  private Set<String> fileUses(String ops, String dir) throws IOException {
    assertThat(cli.run("events", "--until", "all", tmp.resolve("audit.log").toString()))
        .isEqualTo(0);
    Set<String> out = new HashSet<>();
    for (String line : cli.out().split("\n")) {
      JsonNode e = JSON.readTree(line);
      boolean opOk = ops == null || List.of(ops.split(",")).contains(e.get("op").asText());
      if (e.get("success").asBoolean() && opOk && e.get("path").asText().startsWith(dir)) {
        out.add(e.get("pid").asInt() + " " + e.get("path").asText());
      }
    }
    return out;
  }

  private String dumpDom(Path html, String fragment) throws Exception {
    return chromium("--dump-dom", html.toUri() + fragment);
  }

  private String chromium(String... args) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM),
        "needs Debian's chromium at " + CHROMIUM + " (apt-get install chromium)");
    List<String> cmd = new java.util.ArrayList<>(List.of(
        CHROMIUM.toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--user-data-dir=" + tmp.resolve("profile")));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd)
        .redirectError(tmp.resolve("chromium.err").toFile())
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(p.exitValue())
        .as("chromium exit code; see " + tmp.resolve("chromium.err"))
        .isEqualTo(0);
    return new String(out, StandardCharsets.UTF_8);
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
