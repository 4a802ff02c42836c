package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bootaudit ima} on a Debian VM booted with bootaudit and ima_policy=tcb: the hash joined to
 * each file is the sha256sum of that very file, taken by record-vm.sh on the root and in the
 * initramfs the VM booted.
 */
class ImaCommandTest {

  static final Path VM = Path.of("../samples/vm/ima");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void everyJoinedHashIsTheSha256OfTheFileItself() throws IOException {
    Map<String, String> root = sums(VM.resolve("ima-root.sha256"));
    Map<String, String> initramfs = sums(VM.resolve("ima-initramfs.sha256"));
    List<String> names = Files.readAllLines(VM.resolve("ima-measurements.txt")).stream()
        .map(l -> l.split(" ")[4])
        .toList();
    assertThat(cli.run(
            "ima",
            "-f",
            "json",
            "--measurements",
            VM.resolve("ima-measurements.txt").toString(),
            VM.resolve("audit").toString()))
        .isEqualTo(0);
    JsonNode j = JSON.readTree(cli.out());
    int compared = 0;
    for (JsonNode f : j.get("files")) {
      if (f.get("hash").isNull()) {
        continue;
      }
      String measured = names.get(f.get("measurement").asInt());
      Map<String, String> sums = f.get("phase").asText().equals("initramfs") ? initramfs : root;
      if (sums.containsKey(measured)) {
        assertThat(f.get("hash").asText())
            .as("%s %s (measured as %s)", f.get("phase"), f.get("path"), measured)
            .isEqualTo("sha256:" + sums.get(measured));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(350);
    // the root's init, by the name pid 1 exec'd (a link to systemd), and a library systemd loads
    assertThat(file(j, "root", "/sbin/init").get("hash").asText())
        .isEqualTo("sha256:" + root.get("/usr/lib/systemd/systemd"));
    assertThat(file(j, "root", "/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so")
            .get("hash")
            .asText())
        .isEqualTo(
            "sha256:" + root.get("/usr/lib/x86_64-linux-gnu/systemd/libsystemd-shared-252.so"));
    // the initramfs's own /init ran before its hook loaded the rules: measured, with no audit event
    assertThat(j.get("unmatchedMeasurements").toString()).contains("\"1 /init\"");
    assertThat(j.get("unmeasuredExecs").toString()).isEqualTo("[\"/sbin/tomoyo-init\"]");
  }

  @Test
  void theTextListsEachFileAndTheCoverage() {
    assertThat(cli.run(
            "ima",
            "--measurements",
            VM.resolve("ima-measurements.txt").toString(),
            VM.resolve("audit").toString()))
        .isEqualTo(0);
    assertThat(cli.out())
        .isEqualTo(read(VM.resolve("ima.txt")))
        .containsPattern("root +exec sha256:[0-9a-f]{64} /sbin/init\n")
        .contains("executed and not measured")
        .contains("not measured: root /sbin/tomoyo-init");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static JsonNode file(JsonNode j, String phase, String path) {
    for (JsonNode f : j.get("files")) {
      if (f.get("path").asText().equals(path)
          && (phase.equals("root")
              ? !f.get("phase").asText().equals("initramfs")
              : f.get("phase").asText().equals(phase))) {
        return f;
      }
    }
    throw new AssertionError("no " + phase + " file " + path);
  }

  private static Map<String, String> sums(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String l : Files.readAllLines(file)) {
      out.put(l.substring(66), l.substring(0, 64));
    }
    return out;
  }
}
