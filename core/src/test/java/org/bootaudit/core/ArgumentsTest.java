package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

  @Test
  void argumentKeys() {
    assertThat(Arguments.argIndex("a0")).isZero();
    assertThat(Arguments.argIndex("a12")).isEqualTo(12);
    assertThat(Arguments.argIndex("a12[3]")).isEqualTo(12);
    for (String bad :
        new String[] {"a", "a1)", "a1[", "a1[]", "a1[x]", "a1[2]x", "ax", "a123456789"}) {
      assertThat(Arguments.argIndex(bad)).as(bad).isEqualTo(-1);
    }
  }
}
