package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Where the fixtures are, and how tests call real tools when the machine has them. */
final class Fixtures {
  static final Path DIR = Path.of("src/test/resources/cpio");

  private Fixtures() {}

  static Path get(String name) {
    return DIR.resolve(name);
  }

  static boolean hasTool(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", name))
        || Files.isExecutable(Path.of("/sbin", name));
  }

  /** Runs a command; its stdout, or empty when it failed. */
  static Optional<String> run(Path stdin, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      return Optional.empty();
    }
    return Optional.of(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
