package org.bootaudit.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/** Finds the hosts of a fleet: the directories of a root, or the lines of a manifest. */
public final class FleetLayout {

  private FleetLayout() {}

  /**
   * Every directory {@code ROOT/<host>} that holds an {@code audit.log} set, by name; ROOT is a
   * local path or a Hadoop URI.
   *
   * @throws IOException when ROOT cannot be listed
   */
  public static List<HostLog> root(String root) throws IOException {
    org.apache.hadoop.fs.Path r = new org.apache.hadoop.fs.Path(root);
    FileSystem fs = r.getFileSystem(new Configuration());
    List<HostLog> out = new ArrayList<>();
    for (FileStatus dir : fs.listStatus(r)) {
      if (dir.isDirectory() && holdsLog(fs, dir)) {
        out.add(new HostLog(dir.getPath().getName(), List.of(dir.getPath().toString())));
      }
    }
    out.sort((a, b) -> a.host().compareTo(b.host()));
    return out;
  }

  private static boolean holdsLog(FileSystem fs, FileStatus dir) throws IOException {
    for (FileStatus f : fs.listStatus(dir.getPath())) {
      if (f.isFile() && HostInput.rotation(f.getPath().getName()) >= 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The hosts of a manifest: one {@code HOST PATH} per line (a directory or one file of the set;
   * several lines may name one host's files), {@code #} comments and blank lines ignored; a
   * relative local PATH is taken from the manifest's directory.
   *
   * @throws IOException when the manifest cannot be read
   * @throws IllegalArgumentException for a line without both fields, with its line number
   */
  public static List<HostLog> manifest(Path file) throws IOException {
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\s+", 2);
      if (f.length < 2) {
        throw new IllegalArgumentException(
            file + ":" + (i + 1) + ": expected HOST PATH, found one field");
      }
      String loc = f[1].contains("://") || f[1].startsWith("/")
          ? f[1]
          : file.toAbsolutePath().getParent().resolve(f[1]).toString();
      hosts.computeIfAbsent(f[0], h -> new ArrayList<>()).add(loc);
    }
    List<HostLog> out = new ArrayList<>();
    hosts.forEach((h, locs) -> out.add(new HostLog(h, locs)));
    return out;
  }
}
