package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The module exports exactly one package. */
class ModuleTest {

  @Test
  void exportsOnlyTheApiPackage() throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("org.bootaudit.rules");
      assertThat(d.exports())
          .extracting(ModuleDescriptor.Exports::source)
          .containsExactly("org.bootaudit.rules");
    }
  }
}
