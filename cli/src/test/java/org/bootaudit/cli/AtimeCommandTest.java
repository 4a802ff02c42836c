package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootaudit atime} on a real temporary tree whose access times the test sets. */
class AtimeCommandTest {

  private static final String START = "2020-01-01 10:00";
  private static final String FINISH = "2020-01-01 10:05";

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  private Path target;
  private Path outside;
  private Path strict;

  @BeforeEach
  void tree() throws IOException {
    tmp = tmp.toRealPath();
    target = Files.createDirectories(tmp.resolve("target"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    file(target.resolve("a/first-second.txt"), "2020-01-01T10:00:00");
    file(target.resolve("a/last-minute.txt"), "2020-01-01T10:05:59");
    file(target.resolve("a/b/deep.conf"), "2020-01-01T10:02:00");
    file(target.resolve("a/before.txt"), "2020-01-01T09:59:59");
    file(target.resolve("a/after.txt"), "2020-01-01T10:06:00");
    file(target.resolve("a/icon.png"), "2020-01-01T10:01:00");
    file(target.resolve("a/logo.svg"), "2020-01-01T10:01:00");
    file(outside.resolve("secret.txt"), "2020-01-01T10:01:00");
    file(outside.resolve("sub/other.txt"), "2020-01-01T10:01:00");
    Files.createSymbolicLink(target.resolve("a/link-to-dir"), outside);
    Files.createSymbolicLink(target.resolve("a/link-to-file"), outside.resolve("secret.txt"));
    strict = Files.writeString(
        tmp.resolve("mountinfo"), "22 1 8:1 / / rw,strictatime shared:1 - ext4 /dev/sda1 rw\n");
  }

  private static void file(Path p, String localAtime) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "x");
    Files.setAttribute(p, "lastAccessTime", FileTime.from(local(localAtime)));
  }

  private static Instant local(String t) {
    return LocalDateTime.parse(t).atZone(ZoneId.systemDefault()).toInstant();
  }

  private Path config(String json) throws IOException {
    return Files.writeString(tmp.resolve("access_time.cfg"), json);
  }

  private List<String> listIn(Path out) throws IOException {
    return List.of(new ObjectMapper().readValue(out.toFile(), String[].class));
  }

  @Test
  void keepsFilesAccessedInTheWindowSortedWithoutLinksOrExcludedExtensions() throws IOException {
    Path cfg = config("{ \"boot_start\": \"" + START + "\", \"boot_finish\": \"" + FINISH
        + "\", \"targets\": [\"" + target + "\"], \"excluded_extension\": [\".png\"] }");
    Path out = tmp.resolve("files_used_during_boot");
    assertThat(cli.run(
            "atime",
            "--config",
            cfg.toString(),
            "--exclude-ext",
            "svg",
            "--mountinfo",
            strict.toString(),
            "-o",
            out.toString()))
        .isEqualTo(0);
    // start is inclusive; the finish minute is included whole, as the post's minute-level ls
    // compared
    assertThat(listIn(out))
        .containsExactly(
            target + "/a/b/deep.conf",
            target + "/a/first-second.txt",
            target + "/a/last-minute.txt");
    assertThat(cli.errors())
        .contains("bootaudit: 3 of 7 files accessed in ")
        .doesNotContain("warning");
    assertThat(Files.readString(out)).startsWith("[ \"").endsWith(" ]\n");
  }

  @Test
  void neverFollowsSymbolicLinksOutOfTheTree() throws IOException {
    assertThat(cli.run(
            "atime",
            "--target",
            target.toString(),
            "--boot-start",
            START,
            "--boot-finish",
            FINISH,
            "--mountinfo",
            strict.toString()))
        .isEqualTo(0);
    String out = cli.out();
    assertThat(out)
        .doesNotContain(outside.toString())
        .doesNotContain("link-to")
        .doesNotContain("secret");
    // the same files are found when the outside tree is named as a target: the links alone were
    // skipped
    assertThat(cli.run(
            "atime",
            "--target",
            outside.toString(),
            "--boot-start",
            START,
            "--boot-finish",
            FINISH,
            "--mountinfo",
            strict.toString()))
        .isEqualTo(0);
    assertThat(cli.out()).contains(outside + "/secret.txt", outside + "/sub/other.txt");
  }

  @Test
  void aTargetThatIsALinkIsScannedAtItsRealPlaceAndSaysSo() throws IOException {
    Path alias = Files.createSymbolicLink(tmp.resolve("alias"), target);
    assertThat(cli.run(
            "atime",
            "--target",
            alias.toString(),
            "--boot-start",
            START,
            "--boot-finish",
            FINISH,
            "--mountinfo",
            strict.toString()))
        .isEqualTo(0);
    assertThat(cli.out()).contains(target + "/a/b/deep.conf");
    assertThat(cli.errors())
        .contains("bootaudit: note: " + alias + " is a symbolic link to " + target + "; scanning "
            + target);
  }

  @Test
  void warnsAboutRelatimeAndNoatimeMountsCoveringTheTargets() throws IOException {
    Path mountinfo = Files.writeString(
        tmp.resolve("mountinfo-rel"),
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro\n"
            + "30 22 0:40 / " + target.resolve("a/b")
            + " rw,nosuid,noatime shared:9 - tmpfs tmpfs rw\n"
            + "31 22 0:41 / /elsewhere rw,noatime shared:9 - tmpfs tmpfs rw\n");
    assertThat(cli.run(
            "atime",
            "--target",
            target.toString(),
            "--boot-start",
            START,
            "--boot-finish",
            FINISH,
            "--mountinfo",
            mountinfo.toString()))
        .isEqualTo(0);
    assertThat(cli.errors())
        .contains(
            "bootaudit: warning: / (ext4) is mounted relatime: atime only updates once a day under relatime: the list is incomplete")
        .contains("bootaudit: warning: " + target.resolve("a/b")
            + " (tmpfs) is mounted noatime: atime never updates")
        .doesNotContain("/elsewhere");
  }

  @Test
  void withoutBootStartTheKernelBootTimeStartsTheWindow() throws IOException {
    Path stat = Files.writeString(
        tmp.resolve("stat"),
        "cpu  1 2 3\nbtime " + local("2020-01-01T10:00:00").getEpochSecond() + "\nprocesses 9\n");
    Path cfg =
        config("{ \"targets\": [\"" + target + "\"], \"exclude_extensions\": [\"png\", \"svg\"] }");
    assertThat(cli.run(
            "atime",
            "--config",
            cfg.toString(),
            "--boot-finish",
            "2020-01-01 10:03",
            "--proc-stat",
            stat.toString(),
            "--mountinfo",
            strict.toString()))
        .isEqualTo(0);
    assertThat(new ObjectMapper().readValue(cli.out(), String[].class))
        .containsExactly(target + "/a/b/deep.conf", target + "/a/first-second.txt");
  }

  @Test
  void anUnreadableDirectoryIsCountedNotFatalWhenNotRoot() throws IOException {
    assumeFalse(
        "root".equals(System.getProperty("user.name")),
        "root reads chmod 000 directories; see AtimeScanTest");
    Path locked = target.resolve("a/b");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    try {
      assertThat(cli.run(
              "atime",
              "--target",
              target.toString(),
              "--boot-start",
              START,
              "--boot-finish",
              FINISH,
              "--mountinfo",
              strict.toString()))
          .isEqualTo(0);
      assertThat(cli.out()).doesNotContain("deep.conf").contains("first-second.txt");
      assertThat(cli.errors())
          .contains("bootaudit: warning: 1 director(ies) or file(s) could not be read");
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void badConfigsAreOneLineErrorsWithExit65() throws IOException {
    Path cfg = config("{ \"targets\": \"/etc\" }");
    assertThat(cli.run("atime", "--config", cfg.toString())).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo(
            "bootaudit: " + cfg + ": targets: expected an array of strings, found '\"/etc\"'");

    config("{ \"targets\": [\"/etc\"], \"boot_start\": \"26/11/2013\" }");
    assertThat(cli.run("atime", "--config", cfg.toString())).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo("bootaudit: " + cfg + ": boot_start: expected "
            + org.bootaudit.analysis.TimeSyntax.FORMS + ", found '26/11/2013'");

    config("{ \"targets\": [\"/etc\"\n  \"boot_start\" }");
    assertThat(cli.run("atime", "--config", cfg.toString())).isEqualTo(65);
    assertThat(cli.errors().strip())
        .startsWith(
            "bootaudit: " + cfg + ":2:3: expected a JSON object, Unexpected character ('\"'");
  }

  @Test
  void usageErrorsExit2AndAnEmptyWindowIsBadData() {
    assertThat(cli.run("atime", "--boot-start", START)).isEqualTo(2);
    assertThat(cli.errors())
        .contains("no targets: give --target DIR or a --config with \"targets\"");
    assertThat(cli.run(
            "atime", "--target", target.toString(), "--boot-start", FINISH, "--boot-finish", START))
        .isEqualTo(65);
    assertThat(cli.errors()).contains("the boot window is empty");
  }

  @Test
  void theOutputFileAppearsWhole() throws IOException {
    Path out = tmp.resolve("list.json");
    assertThat(cli.run(
            "atime",
            "--target",
            target.toString(),
            "--boot-start",
            START,
            "--boot-finish",
            FINISH,
            "--mountinfo",
            strict.toString(),
            "-o",
            out.toString()))
        .isEqualTo(0);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("target", "outside", "mountinfo", "list.json");
    }
  }
}
