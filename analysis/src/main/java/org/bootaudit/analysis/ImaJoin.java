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
 * <p>IMA's audit records: a policy rule with the action {@code audit} makes the kernel write an
 * {@code INTEGRITY_RULE} record (file, hash, pid) in the system call that opened or executed the
 * file, with that call's serial. Such a record joins its event directly: same serial, same time
 * stamp, one of the event's names. It gives the hash without a measurement list, and checks one
 * when both are there ({@link JoinedFile#agree()}).
 *
 * <p>Feed the events of one boot in order ({@link #accept(FileEvent)}), then read {@link #files()},
 * {@link #unmeasured()}, {@link #unmatched()} and {@link #unmatchedRecords()}.
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
   * @param record the {@code INTEGRITY_RULE} record of one of its exec or read events, or of
   *     another event on its device and inode (IMA audits an inode once), if any
   */
  public record JoinedFile(
      String path,
      Phase phase,
      Op op,
      long firstSerial,
      Optional<ImaLog.Measurement> measurement,
      boolean sameAsInitramfs,
      Optional<ImaAudit.Record> record) {

    /** The content hash: the measurement's, else the audit record's. */
    public Optional<String> hash() {
      return measurement
          .map(ImaLog.Measurement::hash)
          .or(() -> record.flatMap(ImaAudit.Record::hash));
    }

    /** False when both a measurement and an audit record give a hash, and the two differ. */
    public boolean agree() {
      return measurement.isEmpty()
          || record.isEmpty()
          || record.get().hash().equals(Optional.of(measurement.get().hash()));
    }
  }

  private static final List<String> MERGED =
      List.of("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/");

  private final List<ImaLog.Measurement> measurements;
  private final Map<String, List<ImaLog.Measurement>> byName = new HashMap<>();
  /** Per file system (0 initramfs, 1 root), the first use of each path, with its names to look up. */
  private final Map<String, Use> uses = new LinkedHashMap<>();

  /** INTEGRITY_RULE records by node, serial and time stamp: the event they were made in. */
  private final Map<String, List<ImaAudit.Record>> records = new HashMap<>();

  private final List<ImaAudit.Record> ruleRecords = new ArrayList<>();
  private final Set<ImaAudit.Record> taken = new HashSet<>();
  /** Records by the device and inode of the event that took them. */
  private final Map<String, ImaAudit.Record> byInode = new HashMap<>();

  private List<String> rootInitNames;
  private long rootInitSerial = Long.MAX_VALUE;
  /** {@link #files()} once the events are in; an event clears it. */
  private List<JoinedFile> joined;

  private record Use(
      String path,
      Phase phase,
      Op op,
      long serial,
      List<String> names,
      Optional<ImaAudit.Record> record,
      Optional<String> inode) {}

  /** @param measurements one boot's measurement list, in its order */
  public ImaJoin(List<ImaLog.Measurement> measurements) {
    this(measurements, List.of());
  }

  /**
   * @param measurements one boot's measurement list, in its order (may be empty)
   * @param records IMA's audit records of the same log ({@link ImaAudit#read}); only {@code
   *     INTEGRITY_RULE} records with a file and a hash take part
   */
  public ImaJoin(List<ImaLog.Measurement> measurements, List<ImaAudit.Record> records) {
    this.measurements = List.copyOf(measurements);
    for (ImaLog.Measurement m : measurements) {
      if (m.isFile()) {
        byName.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m);
      }
    }
    for (ImaAudit.Record r : records) {
      if (r.type().equals("INTEGRITY_RULE") && r.file().isPresent() && r.hash().isPresent()) {
        ruleRecords.add(r);
        this.records
            .computeIfAbsent(key(r.node(), r.serial(), r.millis()), k -> new ArrayList<>())
            .add(r);
      }
    }
  }

  private static String key(String node, long serial, long millis) {
    return node + "#" + serial + "@" + millis;
  }

  /**
   * The INTEGRITY_RULE record made in this event's system call for one of its names; for a read,
   * the call's only record whatever its name (an open opens one file: the name the kernel records
   * is where a symbolic link led).
   */
  private Optional<ImaAudit.Record> recordOf(FileEvent e, List<String> names) {
    // FileEvent serials go on above 2^32 after a wraparound; the record has the kernel's value
    List<ImaAudit.Record> made =
        records.get(key(e.node(), e.serial() & 0xffffffffL, e.time().toEpochMilli()));
    if (made == null) {
      return Optional.empty();
    }
    for (ImaAudit.Record r : made) {
      if (names.contains(r.file().get())) {
        return take(e, r);
      }
    }
    // an exec's reads (its interpreter, ld.so) share the call with the program's own record
    boolean open = e.op() == Op.READ && !e.syscall().startsWith("execve");
    return open && made.size() == 1 ? take(e, made.get(0)) : Optional.empty();
  }

  private Optional<ImaAudit.Record> take(FileEvent e, ImaAudit.Record r) {
    taken.add(r);
    inode(e).ifPresent(i -> byInode.putIfAbsent(i, r));
    return Optional.of(r);
  }

  /** The file's device and inode, when the event has them: IMA audits a file once per inode. */
  private static Optional<String> inode(FileEvent e) {
    return e.inode().isPresent() && e.dev().isPresent()
        ? Optional.of(e.dev().get() + ":" + e.inode().getAsLong())
        : Optional.empty();
  }

  @Override
  public void accept(FileEvent e) {
    if (!e.success() || e.op() != Op.EXEC && e.op() != Op.READ) {
      return;
    }
    joined = null;
    int fs = fileSystem(e.phase());
    List<String> names = names(e);
    // events may come out of serial order (late deliveries, phases told late): the root's init
    // is the root's exec with the lowest serial, and a file's first use its lowest serial
    if (fs == 1 && e.op() == Op.EXEC && e.serial() < rootInitSerial) {
      rootInitNames = names;
      rootInitSerial = e.serial();
    }
    String key = fs + e.path();
    Use known = uses.get(key);
    Optional<ImaAudit.Record> record = recordOf(e, names);
    if (known == null) {
      uses.put(key, new Use(e.path(), e.phase(), e.op(), e.serial(), names, record, inode(e)));
      return;
    }
    boolean exec = known.op() == Op.READ && e.op() == Op.EXEC;
    boolean earlier = e.serial() < known.serial();
    uses.put(
        key,
        new Use(
            known.path(),
            earlier ? e.phase() : known.phase(),
            exec ? Op.EXEC : known.op(),
            Math.min(known.serial(), e.serial()),
            exec ? names : known.names(),
            known.record().or(() -> record),
            known.inode().or(() -> inode(e))));
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
      // IMA audits an inode once: a second name of the file (a link) has its first name's record
      Optional<ImaAudit.Record> record = u.record().or(() -> u.inode().map(byInode::get));
      out.add(new JoinedFile(u.path(), u.phase(), u.op(), u.serial(), found, earlier, record));
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

  /** Files executed during the boot that IMA neither measured nor audited. */
  public List<JoinedFile> unmeasured() {
    return files().stream().filter(f -> f.op() == Op.EXEC && f.hash().isEmpty()).toList();
  }

  /** The INTEGRITY_RULE records given, with a file and a hash, in their order. */
  public List<ImaAudit.Record> records() {
    return List.copyOf(ruleRecords);
  }

  /**
   * INTEGRITY_RULE records no exec or read event took: made before the audit rules were loaded,
   * in a call the rules do not audit, or in an open for writing too (a write event).
   */
  public List<ImaAudit.Record> unmatchedRecords() {
    return ruleRecords.stream().filter(r -> !taken.contains(r)).toList();
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
