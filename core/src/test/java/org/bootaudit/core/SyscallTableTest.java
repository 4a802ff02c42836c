package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyscallTableTest {

  @Test
  void numbersAndNamesPerArchitecture() {
    assertThat(SyscallTable.forArch("x86_64").orElseThrow().number("openat")).hasValue(257);
    assertThat(SyscallTable.forArch("b32").orElseThrow().number("open")).hasValue(5);
    assertThat(SyscallTable.forArch("aarch64").orElseThrow().number("open")).isEmpty();
    assertThat(SyscallTable.forArch("aarch64").orElseThrow().name(56)).hasValue("openat");
    assertThat(SyscallTable.forArch("ppc64le").orElseThrow().number("execve")).hasValue(11);
    assertThat(SyscallTable.forArch("riscv64").orElseThrow().name(221)).hasValue("execve");
    assertThat(SyscallTable.forArch("vax")).isEmpty();
    assertThat(SyscallTable.forArch("x86_64").orElseThrow().name(100000)).isEmpty();
  }
}
