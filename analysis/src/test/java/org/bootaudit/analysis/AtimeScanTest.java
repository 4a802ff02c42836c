package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The atime scan's walker and the mount table it warns from (the command is tested in cli's AtimeCommandTest). */
class AtimeScanTest {

  @TempDir
  Path target;

  @Test
  void aFailedEntryIsCountedAndTheWalkGoesOn() throws IOException {
    Files.createDirectories(target.resolve("a"));
    // Run as root, chmod 000 does not stop the walk, so this drives the walker's failure path
    // directly: it proves the counting and that the walk continues, not which errors Java reports.
    AtimeScan.Walker w = new AtimeScan(Instant.EPOCH, Instant.now(), List.of()).walker();
    assertThat(w.visitFileFailed(
            target.resolve("a"), new AccessDeniedException(target.resolve("a").toString())))
        .isEqualTo(FileVisitResult.CONTINUE);
    assertThat(w.postVisitDirectory(target, new IOException("directory vanished while read")))
        .isEqualTo(FileVisitResult.CONTINUE);
    assertThat(w.postVisitDirectory(target, null)).isEqualTo(FileVisitResult.CONTINUE);
    assertThat(w.unreadable).isEqualTo(2);
  }

  @Test
  void mountPointsWithSpacesAreUnescaped() {
    Mounts m =
        Mounts.parse(List.of("40 22 0:42 / /mnt/my\\040disk rw,noatime - vfat /dev/sdb1 rw"));
    assertThat(m.covering("/mnt/my disk/x"))
        .extracting(Mounts.Mount::point, Mounts.Mount::atimeMode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/mnt/my disk", "noatime"));
  }
}
