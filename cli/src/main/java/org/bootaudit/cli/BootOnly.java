package org.bootaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bootaudit.initramfs.RootFile;

/**
 * {@code enable --boot-only}: a systemd unit that, at the login prompt, replaces the early-boot
 * rules in the kernel with the root's own rules, so that every file opened is audited during
 * boot only. The unit and its script are resources of this package ({@code
 * bootaudit-boot-only.service}, {@code boot-only.sh}).
 */
final class BootOnly {

  static final String UNIT = "bootaudit-boot-only.service";
  static final String UNIT_FILE = "etc/systemd/system/" + UNIT;
  /** What {@code systemctl enable} makes for {@code WantedBy=multi-user.target}. */
  static final String WANTS = "etc/systemd/system/multi-user.target.wants/" + UNIT;
  static final String WANTS_TARGET = "../" + UNIT;
  /** Outside /usr/lib, which belongs to packages. */
  static final String SCRIPT = "usr/local/lib/bootaudit/boot-only";

  private static final Pattern LOCK = Pattern.compile("(?m)^[ \\t]*-e[ \\t]+2[ \\t]*$");

  private BootOnly() {}

  /** The script, then the unit that runs it. */
  static List<RootFile> files() {
    return List.of(new RootFile(SCRIPT, resource("boot-only.sh"), 0755), new RootFile(UNIT_FILE, resource(UNIT), 0644));
  }

  static String unitText() {
    return new String(resource(UNIT), StandardCharsets.UTF_8);
  }

  static byte[] resource(String name) {
    try (InputStream in = BootOnly.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The first of the root's other rules files that locks the rules ({@code -e 2}): once augenrules
   * loads it, no rule can change until reboot, the unit's included.
   */
  static Optional<Path> lockingRules(Path root) throws IOException {
    Path dir = root.resolve("etc/audit/rules.d");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".rules")).sorted().toList()) {
        if (!f.endsWith(EnableCommand.RULES_NAME) && Files.isRegularFile(f) && LOCK.matcher(Files.readString(f, StandardCharsets.ISO_8859_1)).find()) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }
}
