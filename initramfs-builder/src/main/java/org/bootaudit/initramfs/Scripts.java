package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hook scripts, units and files bootaudit installs: resources of this package, read as
 * UTF-8, with {@code @NAME@} placeholders filled in one pass (a value is never scanned for
 * placeholders, so rules text goes in as it is). Every placeholder must get a value and every
 * value a placeholder: a mismatch is a bug, not a user error.
 */
final class Scripts {
  private static final Pattern PLACEHOLDER = Pattern.compile("@([A-Z][A-Z_]*)@");

  private final String name;
  private final String template;
  private final Map<String, String> values = new HashMap<>();

  private Scripts(String name) {
    this.name = name;
    this.template = new String(bytes(name), StandardCharsets.UTF_8);
  }

  /** The resource {@code name} to fill in. */
  static Scripts of(String name) {
    return new Scripts(name);
  }

  /** The resource's bytes as they are. */
  static byte[] bytes(String name) {
    try (InputStream in = Scripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Scripts with(String placeholder, Object value) {
    values.put(placeholder, String.valueOf(value));
    return this;
  }

  String text() {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    int used = 0;
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException(name + ": no value for @" + m.group(1) + "@");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
      used++;
    }
    m.appendTail(out);
    long distinct =
        PLACEHOLDER.matcher(template).results().map(r -> r.group(1)).distinct().count();
    if (distinct != values.size()) {
      throw new IllegalStateException(
          name + ": values " + values.keySet() + " do not match its " + used + " placeholders");
    }
    return out.toString();
  }

  byte[] utf8() {
    return text().getBytes(StandardCharsets.UTF_8);
  }
}
