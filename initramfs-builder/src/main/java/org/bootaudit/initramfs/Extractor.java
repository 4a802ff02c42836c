package org.bootaudit.initramfs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes entries under one directory. Every parent is checked component by component without
 * following links, and files are opened with NOFOLLOW_LINKS, so a symlink in the image (or a
 * race-free tree we made ourselves) can never redirect a write outside the directory.
 */
final class Extractor implements Reader.Visitor {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final Charset FS_NAMES = fileNameCharset();

  private final Path root;
  private final Map<String, Path> links = new HashMap<>();
  private final Map<Path, long[]> attributes = new LinkedHashMap<>();
  private final List<String> skipped = new ArrayList<>();
  private int written;

  Extractor(Path dir) throws IOException {
    Files.createDirectories(dir);
    this.root = dir.toRealPath();
  }

  Path root() {
    return root;
  }

  int written() {
    return written;
  }

  List<String> skipped() {
    return skipped;
  }

  @Override
  public void visit(int segment, Entry e, InputStream data) throws IOException {
    if (e.path().isEmpty()) {
      return;
    }
    String rel;
    try {
      rel = FS_NAMES
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Entry.normalize(e.name()).getBytes(StandardCharsets.ISO_8859_1)))
          .toString();
    } catch (CharacterCodingException notRepresentable) {
      // Java names files through sun.jnu.encoding; these bytes cannot be written exactly.
      skipped.add(Text.quote(e.path()));
      return;
    }
    Path target = root.resolve(rel).normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      throw new NewcParser.FormatError(
          e.headerOffset(), e.name(), "name '" + Text.quote(e.name()) + "' leaves the directory");
    }
    makeParents(target, e);
    switch (e.kind()) {
      case DIRECTORY -> {
        if (!Files.isDirectory(target, NOFOLLOW)) {
          Files.deleteIfExists(target);
          Files.createDirectory(target);
        }
      }
      case FILE -> file(segment, e, data, target);
      case SYMLINK -> symlink(e, target, rel);
      default -> {
        skipped.add(rel);
        return;
      }
    }
    attributes.remove(target);
    if (e.kind() != Entry.Kind.SYMLINK) {
      attributes.put(target, new long[] {e.mode(), e.mtime()});
    }
    written++;
  }

  private void file(int segment, Entry e, InputStream data, Path target) throws IOException {
    String key = segment + ":" + e.ino() + ":" + e.devMajor() + ":" + e.devMinor() + ":" + e.mode();
    Path first = e.nlink() >= 2 ? links.get(key) : null;
    if (first != null && Files.isRegularFile(first, NOFOLLOW)) {
      if (!first.equals(target)) {
        clear(target, e);
        Files.createLink(target, first);
      }
      // The kernel opens a linked name without O_TRUNC and writes the body over it.
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE, NOFOLLOW)) {
        data.transferTo(out);
      }
      return;
    }
    if (!Files.isRegularFile(target, NOFOLLOW)) {
      clear(target, e);
    }
    try (OutputStream out = Files.newOutputStream(
        target,
        StandardOpenOption.CREATE,
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING,
        NOFOLLOW)) {
      data.transferTo(out);
    }
    if (e.nlink() >= 2) {
      links.put(key, target);
    }
  }

  private void symlink(Entry e, Path target, String rel) throws IOException {
    String t = e.linkTarget();
    if (t.isEmpty()) {
      throw new NewcParser.FormatError(
          e.headerOffset(), e.name(), "symlink '" + Text.quote(e.name()) + "' has an empty target");
    }
    if (t.indexOf('\0') >= 0) {
      // the kernel would cut the target at the NUL; no file system path holds one
      throw new NewcParser.FormatError(
          e.headerOffset(),
          e.name(),
          "symlink '" + Text.quote(e.name()) + "' -> '" + Text.quote(t) + "' holds a NUL byte");
    }
    if (!t.startsWith("/")) {
      int depth = rel.split("/").length - 1;
      for (String part : t.split("/")) {
        depth += part.equals("..") ? -1 : part.isEmpty() || part.equals(".") ? 0 : 1;
        if (depth < 0) {
          throw new NewcParser.FormatError(
              e.headerOffset(),
              e.name(),
              "symlink '" + Text.quote(e.name()) + "' -> '" + Text.quote(t)
                  + "' points outside the image");
        }
      }
    }
    clear(target, e);
    Files.createSymbolicLink(target, Path.of(t));
  }

  /** Removes what is at {@code target} so another type can take its place, as the kernel does. */
  private void clear(Path target, Entry e) throws IOException {
    if (Files.isDirectory(target, NOFOLLOW)) {
      try (var list = Files.list(target)) {
        if (list.findAny().isPresent()) {
          throw new NewcParser.FormatError(
              e.headerOffset(),
              e.name(),
              "'" + Text.quote(e.name()) + "' would replace a non-empty directory");
        }
      }
    }
    Files.deleteIfExists(target);
  }

  private void makeParents(Path target, Entry e) throws IOException {
    Path p = root;
    for (Path part : root.relativize(target.getParent() == null ? root : target.getParent())) {
      if (part.toString().isEmpty()) {
        continue;
      }
      p = p.resolve(part);
      if (Files.isSymbolicLink(p)) {
        throw new NewcParser.FormatError(
            e.headerOffset(),
            e.name(),
            "'" + Text.quote(e.name()) + "' passes through the symlink '"
                + Text.quote(root.relativize(p).toString()) + "'");
      }
      if (!Files.exists(p, NOFOLLOW)) {
        Files.createDirectory(p);
      } else if (!Files.isDirectory(p, NOFOLLOW)) {
        throw new NewcParser.FormatError(
            e.headerOffset(),
            e.name(),
            "'" + Text.quote(e.name()) + "' needs '"
                + Text.quote(root.relativize(p).toString()) + "' to be a directory");
      }
    }
  }

  private static Charset fileNameCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /** Applies modes and times, deepest first so that read-only directories come last. */
  void finish() throws IOException {
    List<Map.Entry<Path, long[]>> all = new ArrayList<>(attributes.entrySet());
    all.sort(Comparator.comparingInt((Map.Entry<Path, long[]> m) -> m.getKey().getNameCount())
        .reversed());
    for (Map.Entry<Path, long[]> m : all) {
      Path p = m.getKey();
      if (Files.isSymbolicLink(p) || !Files.exists(p, NOFOLLOW)) {
        continue;
      }
      Files.setLastModifiedTime(p, FileTime.fromMillis(m.getValue()[1] * 1000));
      Files.setPosixFilePermissions(p, permissions((int) m.getValue()[0]));
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE,
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE
    };
    for (int i = 0; i < 9; i++) {
      if ((mode & (0400 >> i)) != 0) {
        s.add(order[i]);
      }
    }
    return s;
  }
}
