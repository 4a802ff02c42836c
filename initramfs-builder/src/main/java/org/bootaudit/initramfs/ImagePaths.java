package org.bootaudit.initramfs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Path look-ups inside an image's final tree, following its symlinks as the kernel would. */
final class ImagePaths {
  private final Map<String, Entry> byPath = new LinkedHashMap<>();
  private final Image image;

  ImagePaths(Image image) {
    this.image = image;
    for (Entry e : image.effectiveEntries()) {
      byPath.put(e.path(), e);
    }
  }

  Optional<Entry> get(String path) {
    return Optional.ofNullable(byPath.get(Entry.normalize(path)));
  }

  /** The entry {@code path} ends at after every symlink (at most 40), if any. */
  Optional<Entry> resolve(String path) {
    Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
    List<String> done = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String c = todo.poll();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      done.add(c);
      Entry e = byPath.get(String.join("/", done));
      if (e == null) {
        return Optional.empty();
      }
      if (e.kind() == Entry.Kind.SYMLINK) {
        if (++hops > 40) {
          return Optional.empty();
        }
        done.remove(done.size() - 1);
        String t = e.linkTarget();
        if (t.startsWith("/")) {
          done.clear();
        }
        List<String> parts = List.of(t.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.push(parts.get(i));
        }
      }
    }
    return Optional.ofNullable(byPath.get(String.join("/", done)));
  }

  /**
   * The path {@code path} names in the image once the symlinks among its components are
   * followed (the kernel, and any program at boot, would follow them); components that do not
   * exist are kept as they are. {@code lib/dracut/hooks} is {@code usr/lib/dracut/hooks} in an
   * image where {@code lib -> usr/lib}.
   */
  String canonical(String path) {
    String norm = Entry.normalize(path);
    int slash = norm.lastIndexOf('/');
    String parent = slash < 0 ? "" : canonical(norm.substring(0, slash));
    String joined = (parent.isEmpty() ? "" : parent + "/") + norm.substring(slash + 1);
    Entry e = byPath.get(joined);
    if (e != null && e.kind() == Entry.Kind.SYMLINK) {
      Optional<Entry> target = resolve(joined);
      if (target.isPresent()) {
        return target.get().path();
      }
    }
    return joined;
  }

  /**
   * The entry holding {@code e}'s data: itself, or for a hard link stored without data (newc
   * stores the data once, usually with the last link) the link in the same segment that has it.
   */
  Entry dataHolder(Entry e) {
    if (e.kind() != Entry.Kind.FILE || e.nlink() < 2 || e.size() > 0) {
      return e;
    }
    Segment seg = image.findSegment(e).orElseThrow();
    for (Entry o : seg.entries()) {
      if (o.ino() == e.ino()
          && o.devMajor() == e.devMajor()
          && o.devMinor() == e.devMinor()
          && o.mode() == e.mode()
          && o.size() > 0) {
        return o;
      }
    }
    return e;
  }

  List<Entry> under(String dir) {
    String prefix = Entry.normalize(dir) + "/";
    return byPath.values().stream().filter(e -> e.path().startsWith(prefix)).toList();
  }
}
