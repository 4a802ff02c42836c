package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import org.junit.jupiter.api.Test;

/** The module exports one package, and only the intended types are public. */
class ModuleTest {
  @Test
  void exportsOnlyTheApiPackage() throws IOException {
    try (InputStream in = java.nio.file.Files.newInputStream(
        java.nio.file.Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("org.bootaudit.initramfs");
      assertThat(d.exports())
          .extracting(ModuleDescriptor.Exports::source)
          .containsExactly("org.bootaudit.initramfs");
    }
  }

  @Test
  void parsersStayPackagePrivate() {
    for (Class<?> c : new Class<?>[] {
      NewcParser.class,
      Compressed.class,
      Extractor.class,
      ImageWriter.class,
      Elf.class,
      HostLibraries.class,
      ImagePaths.class,
      NewcWriter.class,
      Verifier.class,
      BufferInput.class,
      Text.class,
      KernelArguments.class,
      Encoder.class,
      Hooks.class,
      Scripts.class,
      Layout.class,
      Injection.class,
      RootWriter.class,
      RootUndo.class,
      TargetRoot.class,
      Manifest.class,
      AuditdConf.class
    }) {
      assertThat(java.lang.reflect.Modifier.isPublic(c.getModifiers()))
          .as(c.getSimpleName())
          .isFalse();
    }
  }
}
