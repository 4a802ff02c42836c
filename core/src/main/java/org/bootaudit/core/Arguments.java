package org.bootaudit.core;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A process's arguments, from EXECVE records or from PROCTITLE. */
final class Arguments {

  private Arguments() {}

  /** The arguments of an execve, joined from its EXECVE records (aN, or aN_len with aN[i]). */
  static List<String> argv(AuditEvent e) {
    Map<Integer, ByteArrayOutputStream> args = new HashMap<>();
    int argc = -1;
    for (Record r : e.records) {
      if (!r.isType("EXECVE")) {
        continue;
      }
      argc = Math.max(argc, (int) r.number("argc", 10, -1));
      for (int i = 0; i < r.fieldCount(); i++) {
        String key = r.keyAt(i);
        if (key.length() < 2
            || key.charAt(0) != 'a'
            || !Character.isDigit(key.charAt(1))
            || key.endsWith("_len")) {
          continue;
        }
        int index = argIndex(key);
        if (index < 0) {
          throw r.badKey(i, "expected an argument aN, aN_len or aN[M]");
        }
        byte[] part = r.bytesAt(i);
        if (part != null) {
          args.computeIfAbsent(index, k -> new ByteArrayOutputStream()).write(part, 0, part.length);
        }
      }
    }
    List<String> out = new ArrayList<>();
    int n = argc >= 0 ? argc : args.size();
    for (int i = 0; i < n; i++) {
      ByteArrayOutputStream b = args.get(i);
      out.add(b == null ? "" : Bytes.escape(b.toByteArray()));
    }
    return out;
  }

  /** PROCTITLE's NUL-separated arguments (the kernel keeps at most 128 bytes of them). */
  static List<String> proctitle(AuditEvent e) {
    Record r = e.first("PROCTITLE");
    byte[] title = r == null ? null : r.bytes("proctitle");
    List<String> argv = new ArrayList<>();
    if (title == null) {
      return argv;
    }
    int start = 0;
    for (int i = 0; i <= title.length; i++) {
      if (i == title.length || title[i] == 0) {
        if (i > start || i < title.length) {
          argv.add(Bytes.escape(title, start, i - start));
        }
        start = i + 1;
      }
    }
    return argv;
  }

  /** N of {@code aN} or {@code aN[M]}, or -1 for any other form. */
  static int argIndex(String key) {
    int open = key.indexOf('[');
    int end = open < 0 ? key.length() : open;
    if (!digits(key, 1, end)
        || open >= 0 && !(key.endsWith("]") && digits(key, open + 1, key.length() - 1))) {
      return -1;
    }
    return Integer.parseInt(key, 1, end, 10);
  }

  /** True for 1 to 8 decimal digits in {@code [from, to)}. */
  private static boolean digits(String s, int from, int to) {
    if (to - from < 1 || to - from > 8) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
