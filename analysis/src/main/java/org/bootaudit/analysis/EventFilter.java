package org.bootaudit.analysis;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;

/**
 * Selects file events the way {@code ausearch} does: by rule key, file, executable, process (and
 * its descendants), operation, success, uid, phase and time. Criteria combine with AND; the values
 * given to one criterion combine with OR. Apply it before counting, so that what is counted is
 * what was selected.
 *
 * <pre>{@code
 * EventFilter f = EventFilter.builder().key("boot-exec").op(Op.EXEC).build();
 * events.stream().filter(f).forEach(...);
 * }</pre>
 *
 * <p>A filter with {@link Builder#children(ParentLookup)} remembers which processes descend from
 * the selected ones (per node and boot), so it is stateful: use one instance per read, on events
 * in log order. {@link #seen()} and {@link #matched()} count what it has tested.
 */
public final class EventFilter implements Predicate<FileEvent> {

  private final List<String> keys;
  private final List<Predicate<String>> files;
  private final List<Predicate<FileEvent>> exes;
  private final Set<Integer> pids;
  private final boolean children;
  private final Set<Op> ops;
  private final Optional<Boolean> success;
  private final Set<Long> uids;
  private final Set<Phase> phases;
  private final Optional<Instant> start;
  private final Optional<Instant> end;
  private final List<String> described;
  private final ParentLookup parents;
  private final Map<String, Map<Integer, Boolean>> decided = new HashMap<>();
  private long seen;
  private long matched;

  private EventFilter(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.files = List.copyOf(b.files);
    this.exes = List.copyOf(b.exes);
    this.pids = Set.copyOf(b.pids);
    this.children = b.children;
    this.parents = b.parents;
    this.ops = b.ops.isEmpty() ? EnumSet.allOf(Op.class) : EnumSet.copyOf(b.ops);
    this.success = b.success;
    this.uids = Set.copyOf(b.uids);
    this.phases = b.phases.isEmpty() ? EnumSet.allOf(Phase.class) : EnumSet.copyOf(b.phases);
    this.start = b.start;
    this.end = b.end;
    this.described = List.copyOf(b.described);
  }

  /** A filter that selects everything until criteria are added. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when the event meets every criterion; counts what it has seen and selected. */
  @Override
  public boolean test(FileEvent e) {
    seen++;
    boolean ok = inTime(e)
        && ops.contains(e.op())
        && phases.contains(e.phase())
        && (success.isEmpty() || success.get() == e.success())
        && (uids.isEmpty() || uids.contains(e.process().uid()))
        && (keys.isEmpty() || e.keys().stream().anyMatch(keys::contains))
        && (exes.isEmpty() || exes.stream().anyMatch(x -> x.test(e)))
        && (files.isEmpty() || files.stream().anyMatch(f -> names(e).anyMatch(f)))
        && process(e);
    if (ok) {
      matched++;
    }
    return ok;
  }

  private boolean inTime(FileEvent e) {
    return (start.isEmpty() || !e.time().isBefore(start.get()))
        && (end.isEmpty() || e.time().isBefore(end.get()));
  }

  private static java.util.stream.Stream<String> names(FileEvent e) {
    return java.util.stream.Stream.concat(
        java.util.stream.Stream.of(e.path()),
        java.util.stream.Stream.concat(e.oldPath().stream(), e.target().stream()));
  }

  private boolean process(FileEvent e) {
    if (pids.isEmpty()) {
      return true;
    }
    if (pids.contains(e.process().pid())) {
      return true;
    }
    if (!children) {
      return false;
    }
    Map<Integer, Boolean> family =
        decided.computeIfAbsent(e.node() + "#" + e.boot(), k -> new HashMap<>());
    family.putIfAbsent(
        e.process().pid(), inFamily(e.node(), e.boot(), e.process().ppid(), family, 0));
    return family.get(e.process().pid());
  }

  /** Whether {@code pid} is a selected process or descends from one, going up the tree. */
  private boolean inFamily(
      String node, int boot, int pid, Map<Integer, Boolean> family, int depth) {
    if (pids.contains(pid)) {
      return true;
    }
    Boolean known = family.get(pid);
    if (known != null) {
      return known;
    }
    if (pid <= 1 || depth > 1000) {
      return false;
    }
    OptionalInt parent = parents.parentOf(node, boot, pid);
    boolean in = parent.isPresent()
        && parent.getAsInt() != pid
        && inFamily(node, boot, parent.getAsInt(), family, depth + 1);
    family.put(pid, in);
    return in;
  }

  /** True when no criterion was given: every event passes. */
  public boolean selectsAll() {
    return described.isEmpty();
  }

  /** The criteria as the user gave them, such as {@code key=boot-exec, op=exec}; empty for none. */
  public String description() {
    return String.join(", ", described);
  }

  /** Events tested so far. */
  public long seen() {
    return seen;
  }

  /** Events selected so far. */
  public long matched() {
    return matched;
  }

  /**
   * After a read: a warning when criteria were given and no event met them, saying when the log's
   * records start and end (in {@code zone}) so that a window given in the wrong zone or day shows;
   * empty when something was selected or nothing was asked.
   */
  public Optional<String> emptyWarning(LogSummary log, ZoneId zone) {
    if (selectsAll() || matched > 0) {
      return Optional.empty();
    }
    String what = "no event matched " + description() + " (" + seen + " file events read)";
    if (log.boots().isEmpty()) {
      return Optional.of(what + "; the log holds no audit records");
    }
    Instant first =
        log.boots().stream().map(BootSummary::start).min(Instant::compareTo).orElseThrow();
    Instant last =
        log.boots().stream().map(BootSummary::end).max(Instant::compareTo).orElseThrow();
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx").withZone(zone);
    return Optional.of(what + "; the log runs from " + f.format(first) + " to " + f.format(last)
        + " (" + zone.getId() + ")");
  }

  /** The parent of a process, from the process tree read so far. */
  @FunctionalInterface
  public interface ParentLookup {
    /** The parent pid of {@code pid} in that boot, or empty when the log has not shown it. */
    OptionalInt parentOf(String node, int boot, int pid);
  }

  /**
   * Parents from the process tree of {@code events} (its forks, as far as they have been read):
   * for {@link Builder#children(ParentLookup)} on that same stream.
   */
  public static ParentLookup parentsFrom(org.bootaudit.core.EventStream events) {
    Map<String, Map<Integer, Integer>> tree = new HashMap<>();
    return (node, boot, pid) -> {
      String k = node + "#" + boot;
      Map<Integer, Integer> known = tree.get(k);
      if (known == null || !known.containsKey(pid)) {
        // the tree grows as the stream is read: look again, and only when a pid is new
        for (BootSummary b : events.summary().boots()) {
          Map<Integer, Integer> m =
              tree.computeIfAbsent(b.node() + "#" + b.boot(), x -> new HashMap<>());
          b.processes().forEach(p -> m.put(p.pid(), p.ppid()));
        }
        known = tree.getOrDefault(k, Map.of());
      }
      Integer parent = known.get(pid);
      return parent == null ? OptionalInt.empty() : OptionalInt.of(parent);
    };
  }

  /** Collects criteria; each method may be called again to allow more values. */
  public static final class Builder {
    private final List<String> keys = new ArrayList<>();
    private final List<Predicate<String>> files = new ArrayList<>();
    private final List<Predicate<FileEvent>> exes = new ArrayList<>();
    private final Set<Integer> pids = new HashSet<>();
    private boolean children;
    private ParentLookup parents = (node, boot, pid) -> OptionalInt.empty();
    private final Set<Op> ops = EnumSet.noneOf(Op.class);
    private Optional<Boolean> success = Optional.empty();
    private final Set<Long> uids = new HashSet<>();
    private final Set<Phase> phases = EnumSet.noneOf(Phase.class);
    private Optional<Instant> start = Optional.empty();
    private Optional<Instant> end = Optional.empty();
    private final List<String> described = new ArrayList<>();

    private Builder() {}

    /** Events whose rule keys include {@code key}. */
    public Builder key(String key) {
      keys.add(key);
      return note("key=" + key);
    }

    /**
     * Events that name {@code file} (as path, old path or exec target): exactly, as a directory
     * holding it, or as a glob when it holds {@code *}, {@code ?} or {@code [} ({@code *} stays
     * within one component, {@code **} crosses them).
     *
     * @throws IllegalArgumentException for a malformed glob
     */
    public Builder file(String file) {
      files.add(pathMatch(file));
      return note("file=" + file);
    }

    /**
     * Events made by this executable: a full path (or glob) matches the process's {@code exe}, a
     * bare name the file name of {@code exe} or the command name {@code comm}.
     */
    public Builder exe(String exe) {
      if (exe.contains("/")) {
        Predicate<String> m = pathMatch(exe);
        exes.add(e -> m.test(e.process().exe()));
      } else {
        exes.add(e -> e.process().comm().equals(exe) || e.process().exe().endsWith("/" + exe));
      }
      return note("exe=" + exe);
    }

    /** Events made by this process. */
    public Builder pid(int pid) {
      pids.add(pid);
      return note("pid=" + pid);
    }

    /**
     * With {@link #pid}: the process's descendants too. A process that made no file event of its
     * own between a selected parent and a child is found through {@code parents}, such as
     * {@link #parentsFrom(org.bootaudit.core.EventStream)}.
     */
    public Builder children(ParentLookup parents) {
      this.children = true;
      this.parents = parents;
      return note("with children");
    }

    /** Events of these operations. */
    public Builder ops(Set<Op> keep) {
      ops.addAll(keep);
      return note(
          "op=" + keep.stream().map(Op::label).reduce((a, b) -> a + "," + b).orElse(""));
    }

    /** Only successful calls ({@code true}) or only failed ones. */
    public Builder success(boolean ok) {
      success = Optional.of(ok);
      return note("success=" + (ok ? "yes" : "no"));
    }

    /** Events of processes with this real uid. */
    public Builder uid(long uid) {
      uids.add(uid);
      return note("uid=" + uid);
    }

    /** Events made in this phase of the boot. */
    public Builder phase(Phase phase) {
      phases.add(phase);
      return note("phase=" + phase.label());
    }

    /** Events at or after {@code time}. */
    public Builder start(Instant time) {
      start = Optional.of(time);
      return note("from " + time);
    }

    /** Events before {@code time} (exclusive: see {@link TimeSyntax.Bound#END}). */
    public Builder end(Instant time) {
      end = Optional.of(time);
      return note("before " + time);
    }

    /** Builds the filter. */
    public EventFilter build() {
      return new EventFilter(this);
    }

    private Builder note(String criterion) {
      described.add(criterion);
      return this;
    }

    private static Predicate<String> pathMatch(String pattern) {
      if (pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
        PathMatcher m;
        try {
          m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "expected a glob, found '" + pattern + "': " + e.getMessage(), e);
        }
        return p -> {
          try {
            return m.matches(Path.of(p));
          } catch (InvalidPathException x) {
            return false;
          }
        };
      }
      String dir = Dirs.trim(pattern);
      return p -> Dirs.under(p, dir);
    }
  }
}
