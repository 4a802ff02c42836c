package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every script, unit and file that injection puts into an image and that the hooks and the
 * dracut module put into a root, byte for byte as {@code golden/hooks/} has them (made by the
 * code before the scripts became resources): moving them must not change what boots.
 */
class HookBytesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/hooks");
  static final String LOADER = "ld-linux-x86-64.so.2";
  static final String RULES = "-D\n-b 8192\n-w /etc/passwd -p wa -k passwd\n";

  static Map<String, byte[]> current() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (long backlog : new long[] {Injector.DEFAULT_BACKLOG, 8192}) {
      String b = "-" + backlog;
      files.put("wrapper" + b + ".sh", utf8(Hooks.wrapper(LOADER, backlog)));
      files.put("wrapper-noloader" + b + ".sh", utf8(Hooks.wrapper("", backlog)));
      files.put("init-top" + b + ".sh", utf8(Hooks.initTop(LOADER, backlog)));
      files.put("dracut-hook" + b + ".sh", utf8(Hooks.dracutHook(LOADER, backlog)));
      files.put("unit" + b + ".service", utf8(Hooks.unit(LOADER, backlog)));
      files.put("unit-noloader" + b + ".service", utf8(Hooks.unit("", backlog)));
      // rules given, not the built-in profile: the profile changes with the rules module, the hooks
      // must not
      Injector injector = Initramfs.injector().backlog(backlog).rulesText(RULES);
      put(files, "root" + b + "-rules/", injector.initramfsToolsHookFiles());
      put(files, "root" + b + "-rules/", injector.dracutModuleFiles());
    }
    files.put("journald.conf", utf8(Injector.JOURNALD_CONF));
    return files;
  }

  private static void put(Map<String, byte[]> files, String prefix, List<RootFile> root) {
    for (RootFile f : root) {
      files.put(prefix + f.path() + "." + Integer.toOctalString(f.mode()), f.data());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void everyInstalledFileIsByteIdenticalToTheGoldenCopy() throws IOException {
    Map<String, byte[]> files = current();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Path golden = GOLDEN.resolve(f.getKey());
      assertThat(golden).as(f.getKey()).exists();
      byte[] expected = Files.readAllBytes(golden);
      assertThat(new String(f.getValue(), StandardCharsets.UTF_8))
          .as(f.getKey())
          .isEqualTo(new String(expected, StandardCharsets.UTF_8));
      assertThat(f.getValue()).as(f.getKey()).isEqualTo(expected);
    }
    try (var all = Files.walk(GOLDEN)) {
      assertThat(all.filter(Files::isRegularFile).count())
          .as("no golden file left unchecked")
          .isEqualTo(files.size());
    }
  }

  /** Writes the golden copies; run by hand with -Dgolden.write=true, never by the build. */
  public static void main(String[] args) throws IOException {
    for (Map.Entry<String, byte[]> f : current().entrySet()) {
      Path p = GOLDEN.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, f.getValue());
    }
  }
}
