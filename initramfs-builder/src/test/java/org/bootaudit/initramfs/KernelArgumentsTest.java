package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kernel arguments go into /etc/default/grub only when asked, replacing conflicting values. */
class KernelArgumentsTest {
  @TempDir Path root;

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      GRUB_CMDLINE_LINUX=""                       | GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=65536"
      GRUB_CMDLINE_LINUX="quiet audit=0"          | GRUB_CMDLINE_LINUX="quiet audit=1 audit_backlog_limit=65536"
      GRUB_CMDLINE_LINUX='console=ttyS0'          | GRUB_CMDLINE_LINUX='console=ttyS0 audit=1 audit_backlog_limit=65536'
      GRUB_CMDLINE_LINUX="audit_backlog_limit=64" | GRUB_CMDLINE_LINUX="audit_backlog_limit=65536 audit=1"
      """)
  void mergesIntoGrubCmdlineLinux(String before, String after) throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    String head = "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n";
    Files.writeString(grub, head + before + "\n");
    Files.setPosixFilePermissions(grub, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(Injector.applyKernelArguments(root)).isEqualTo(after);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(grub))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(grub)).isEqualTo(head + after + "\n");
    assertThat(Files.readString(grub.resolveSibling("grub.bootaudit-backup"))).isEqualTo(head + before + "\n");
    assertThat(Injector.applyKernelArguments(root)).as("idempotent").isEqualTo(after);
  }

  @Test
  void addsTheLineWhenMissingAndNamesGrubbyWithoutGrub() throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    Files.writeString(grub, "GRUB_DEFAULT=0");
    Injector.applyKernelArguments(root);
    assertThat(Files.readString(grub)).isEqualTo("GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=65536\"\n");
    assertThatThrownBy(() -> Injector.applyKernelArguments(root.resolve("none"))).hasMessageContaining("grubby --update-kernel=ALL");
  }
}
