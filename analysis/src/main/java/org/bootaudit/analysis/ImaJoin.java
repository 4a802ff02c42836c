package org.bootaudit.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;

/**
 * Joins one boot's IMA measurements to its audit events: each successful exec or read of a file
 * gets the content hash IMA measured for it. Audit has the processes and the writes, IMA the
 * hashes; both are in boot order.
 *
 * <p>Names: IMA records the path the kernel resolved, audit the name the program used. An event
 * matches a measurement of its name, of its exec's {@link FileEvent#target() target}, or of either
 * under the merged-/usr layout ({@code /bin}, {@code /sbin}, {@code /lib*} as links into {@code
 * /usr}, as Debian 12, RHEL 9, Fedora and Ubuntu have them).
 *
 * <p>File systems: IMA measures a file once per inode, so a name measured in the initramfs is
 * measured again when the root's file of that name is used. The list splits where the root's init
 * (the exec that begins the boot's root phase) was measured: events of the initramfs phase take
 * measurements before that point, the others those from it on. But IMA lists a name with a content
 * once: a root file identical to the initramfs's copy (Debian copies the root's libraries into the
 * initramfs) adds no entry of its own. A root event whose name has no measurement of its own takes
 * the initramfs's, marked {@link JoinedFile#sameAsInitramfs()}: the root's file had that content,
 * or was not measured at all (a read the policy does not measure).
 *
 * <p>Feed the events of one boot in order ({@link #accept(FileEvent)}), then read {@link #files()},
 * {@link #unmeasured()} and {@link #unmatched()}.
 */
public final class ImaJoin implements Consumer<FileEvent> {

  /**
   * A file the boot executed or read, with what IMA measured of it.
   *
   * @param path the path as audit names it
   * @param phase the phase of its first exec or read on that file system
   * @param op exec when it was executed there, else read
   * @param firstSerial the serial of that first exec or read
   * @param measurement what IMA measured of it, if it did
   * @param sameAsInitramfs the measurement is the initramfs's file of that name (see above)
   */
  public record JoinedFile(
      String path,
      Phase phase,
      Op op,
      long firstSerial,
      Optional<ImaLog.Measurement> measurement,
      boolean sameAsInitramfs) {}

  private static final List<String> MERGED =
      List.of("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/");

  private final List<ImaLog.Measurement> measurements;
  private final Map<String, List<ImaLog.Measurement>> byName = new HashMap<>();
  /** Per file system (0 initramfs, 1 root), the first use of each path, with its names to look up. */
  private final Map<String, Use> uses = new LinkedHashMap<>();

  private List<String> rootInitNames;
  /** {@link #files()} once the events are in; an event clears it. */
  private List<JoinedFile> joined;

  private record Use(String path, Phase phase, Op op, long serial, List<String> names) {}

  /** @param measurements one boot's measurement list, in its order */
  public ImaJoin(List<ImaLog.Measurement> measurements) {
    this.measurements = List.copyOf(measurements);
    for (ImaLog.Measurement m : measurements) {
      if (m.isFile()) {
        byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
      }
    }
  }

  @Override
  public void accept(FileEvent e) {
    if (!e.success() || e.op() != Op.EXEC && e.op() != Op.READ) {
      return;
    }
    joined = null;
    int fs = fileSystem(e.phase());
    if (fs == 1 && rootInitNames == null && e.op() == Op.EXEC) {
      rootInitNames = names(e);
    }
    String key = fs + e.path();
    Use known = uses.get(key);
    if (known == null) {
      uses.put(key, new Use(e.path(), e.phase(), e.op(), e.serial(), names(e)));
    } else if (known.op() == Op.READ && e.op() == Op.EXEC) {
      uses.put(key, new Use(known.path(), known.phase(), Op.EXEC, known.serial(), names(e)));
    }
  }

  private static int fileSystem(Phase p) {
    return p == Phase.INITRAMFS ? 0 : 1;
  }

  /** The names IMA may have measured the file under. */
  private static List<String> names(FileEvent e) {
    List<String> names = new ArrayList<>();
    names.add(e.path());
    e.target().ifPresent(names::add);
    for (String n : List.copyOf(names)) {
      for (String dir : MERGED) {
        if (n.startsWith(dir)) {
          names.add("/usr" + n);
        }
      }
    }
    return names;
  }

  /** Where the root's file system begins in the list: the root init's measurement, or the list's end. */
  private int split() {
    if (rootInitNames == null) {
      return measurements.size();
    }
    int first = Integer.MAX_VALUE;
    for (String n : rootInitNames) {
      for (ImaLog.Measurement m : byName.getOrDefault(n, List.of())) {
        // the root's init is measured after the initramfs's own file of that name, if it had one
        int count = byName.get(n).size();
        if (count == 1 || m.index() > byName.get(n).get(0).index()) {
          first = Math.min(first, m.index());
          break;
        }
      }
    }
    return first == Integer.MAX_VALUE ? measurements.size() : first;
  }

  /** Every file executed or read, once per file system, in order of first use. */
  public List<JoinedFile> files() {
    if (joined == null) {
      joined = join();
    }
    return joined;
  }

  private List<JoinedFile> join() {
    int split = split();
    List<JoinedFile> out = new ArrayList<>();
    for (Use u : uses.values()) {
      boolean initramfs = fileSystem(u.phase()) == 0;
      Optional<ImaLog.Measurement> found =
          find(u, m -> initramfs ? m.index() < split : m.index() >= split);
      boolean earlier = false;
      if (found.isEmpty() && !initramfs) {
        found = find(u, m -> m.index() < split);
        earlier = found.isPresent();
      }
      out.add(new JoinedFile(u.path(), u.phase(), u.op(), u.serial(), found, earlier));
    }
    return List.copyOf(out);
  }

  private Optional<ImaLog.Measurement> find(
      Use u, java.util.function.Predicate<ImaLog.Measurement> in) {
    for (String n : u.names()) {
      Optional<ImaLog.Measurement> m =
          byName.getOrDefault(n, List.of()).stream().filter(in).findFirst();
      if (m.isPresent()) {
        return m;
      }
    }
    return Optional.empty();
  }

  /** Files executed during the boot that IMA did not measure. */
  public List<JoinedFile> unmeasured() {
    return files().stream()
        .filter(f -> f.op() == Op.EXEC && f.measurement().isEmpty())
        .toList();
  }

  /** File measurements no audit event matched (before the rules were loaded, or by names no rule audits). */
  public List<ImaLog.Measurement> unmatched() {
    Set<Integer> taken = new HashSet<>();
    files().forEach(f -> f.measurement().ifPresent(m -> taken.add(m.index())));
    return measurements.stream()
        .filter(m -> m.isFile() && !taken.contains(m.index()))
        .toList();
  }
}
