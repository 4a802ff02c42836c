package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The public surface is one package, and core needs nothing but Jackson's streaming parts. */
class ModuleTest {

  @Test
  void exportsOnlyTheApiPackage() throws IOException {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("org.bootaudit.core");
    assertThat(
            d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
        .containsExactly("org.bootaudit.core");
  }

  @Test
  void requiresNothingButTheJdkBase() throws IOException {
    assertThat(descriptor().requires().stream()
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet()))
        .containsExactly("java.base");
  }

  private static ModuleDescriptor descriptor() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }
}
