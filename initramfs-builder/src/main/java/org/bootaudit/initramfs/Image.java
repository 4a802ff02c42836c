package org.bootaudit.initramfs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An initramfs as read: its segments in file order.
 *
 * @param path the file read
 * @param size the file's length in bytes
 * @param segments segments in file order; zero padding between them belongs to none
 */
public record Image(Path path, long size, List<Segment> segments) {

  /** Copies the segment list. */
  public Image {
    segments = List.copyOf(segments);
  }

  /**
   * The entries the kernel ends up with: for a path stored more than once the later one wins,
   * keeping the position of its first occurrence.
   */
  public Collection<Entry> effectiveEntries() {
    Map<String, Entry> byPath = new LinkedHashMap<>();
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        byPath.put(e.path(), e);
      }
    }
    return byPath.values();
  }

  /** The entry that wins for {@code path} (leading {@code /} or {@code ./} ignored). */
  public Optional<Entry> findEntry(String path) {
    String p = Entry.normalize(path);
    Entry found = null;
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        if (e.path().equals(p)) {
          found = e;
        }
      }
    }
    return Optional.ofNullable(found);
  }

  /** The segment holding {@code entry} (compared by identity). */
  public Optional<Segment> findSegment(Entry entry) {
    for (Segment s : segments) {
      for (Entry e : s.entries()) {
        if (e == entry) {
          return Optional.of(s);
        }
      }
    }
    return Optional.empty();
  }

  /** All entries in stored order, duplicates included. */
  public List<Entry> allEntries() {
    List<Entry> all = new ArrayList<>();
    segments.forEach(s -> all.addAll(s.entries()));
    return all;
  }
}
