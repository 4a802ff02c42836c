package org.bootaudit.analysis;

/** Directory prefixes as the commands compare them: by whole path components. */
final class Dirs {

  private Dirs() {}

  /** True when {@code path} is {@code dir} or lies below it; everything is under {@code /}. */
  static boolean under(String path, String dir) {
    return dir.equals("/")
        || path.equals(dir)
        || path.startsWith(dir) && path.length() > dir.length() && path.charAt(dir.length()) == '/';
  }

  /** {@code dir} without a trailing slash ({@code /} stays {@code /}). */
  static String trim(String dir) {
    return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }
}
