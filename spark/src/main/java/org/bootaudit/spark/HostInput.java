package org.bootaudit.spark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;

/**
 * Opens one host's log set. Local paths go to core as they are (it reads a directory's rotated
 * set oldest first and joins an event split across files); other file systems (HDFS, S3 through
 * {@code s3a://}) are read through Hadoop's {@link FileSystem}, the set put in the same order
 * and given to core as one stream.
 */
final class HostInput {

  private HostInput() {}

  static EventStream open(HostLog host) throws IOException {
    // Spark already runs a task per core: a host read on one thread keeps to the cores it gave
    AuditLog.Reader reader = AuditLog.reader().threads(1);
    if (host.locations().stream().allMatch(HostInput::local)) {
      host.locations().forEach(l -> reader.source(localPath(l)));
    } else {
      reader.source(remote(host.locations()), host.host());
    }
    return reader.open();
  }

  private static boolean local(String location) {
    String scheme = URI.create(location.replace(" ", "%20")).getScheme();
    return scheme == null || scheme.equals("file");
  }

  private static Path localPath(String location) {
    return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
  }

  private static InputStream remote(List<String> locations) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    Configuration conf = new Configuration();
    for (String l : locations) {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(l);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus st = fs.getFileStatus(p);
      if (st.isDirectory()) {
        for (FileStatus f : fs.listStatus(p)) {
          if (f.isFile() && rotation(f.getPath().getName()) >= 0) {
            files.add(f);
          }
        }
      } else {
        files.add(st);
      }
    }
    files.sort(Comparator.comparingInt((FileStatus f) -> rotation(f.getPath().getName()))
        .reversed());
    List<InputStream> streams = new ArrayList<>();
    for (FileStatus f : files) {
      streams.add(decompressed(f.getPath().getFileSystem(conf).open(f.getPath())));
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  /**
   * The place of a file in a rotated set: 0 for {@code audit.log}, N for {@code audit.log.N} (or
   * {@code audit.log.N.gz}), -1 for a file that is not part of one. Higher is older.
   */
  static int rotation(String name) {
    String n = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    if (n.equals("audit.log")) {
      return 0;
    }
    if (!n.startsWith("audit.log.")) {
      return -1;
    }
    try {
      return Integer.parseInt(n.substring("audit.log.".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static InputStream decompressed(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int a = in.read();
    int b = in.read();
    in.reset();
    return a == 0x1f && b == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }
}
