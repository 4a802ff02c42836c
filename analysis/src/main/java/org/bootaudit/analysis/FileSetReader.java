package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.LogSummary;
import org.bootaudit.core.Op;
import org.bootaudit.core.SourceLocation;

/**
 * Reads one diff input, telling its kind from its content: a JSON array of strings or lines of
 * absolute paths are a file list, JSON Lines (or an array) of objects are saved events, anything else is a log read with core (so every
 * log form core reads, bootprobe logs included, works here too).
 */
public final class FileSetReader {

  /** Opens a log as the caller wants it read (format, error mode, window). */
  @FunctionalInterface
  public interface LogOpener {
    /** Opens the log named {@code name}, as the user named it ({@code -} for stdin). */
    EventStream open(String name) throws IOException;
  }

  /** Selects the events of a log that count, such as an {@link EventFilter}, made once per read. */
  @FunctionalInterface
  public interface Filters {
    /** The selection for one read of {@code events}. */
    java.util.function.Predicate<FileEvent> of(EventStream events);
  }

  private final LogOpener logs;
  private final OptionalInt boot;
  private final List<String> targets;
  private final java.util.Optional<Filters> filters;

  /**
   * @param logs how to read logs
   * @param boot the boot to take, or empty for the last one of each input
   * @param targets directories to keep (none: everything)
   */
  public FileSetReader(LogOpener logs, OptionalInt boot, List<String> targets) {
    this(logs, boot, targets, null);
  }

  /**
   * @param logs how to read logs
   * @param boot the boot to take, or empty for the last one of each input
   * @param targets directories to keep (none: everything)
   * @param filters the events of a log to take, or null for all; an input that is not a log
   *     (saved events, a file list) is then refused, since it cannot be filtered alike
   */
  public FileSetReader(LogOpener logs, OptionalInt boot, List<String> targets, Filters filters) {
    this.logs = logs;
    this.boot = boot;
    this.targets = targets.stream().map(Dirs::trim).toList();
    this.filters = java.util.Optional.ofNullable(filters);
  }

  /**
   * Reads one input, telling its kind from its content.
   *
   * @throws InvalidFileException if an event file or a path list is malformed, or the input holds no such boot
   * @throws org.bootaudit.core.AuditParseException if a log is malformed
   */
  public FileSet read(String name) throws IOException {
    return read(name, java.util.Optional.empty());
  }

  /**
   * Reads one input with the content hashes IMA gave for its files: from {@code measurements}
   * (the boot's measurement list) and, for a log, from its INTEGRITY_RULE records, joined to its
   * events ({@link ImaJoin}); an input of saved events or paths takes the list's names as they are.
   *
   * @throws InvalidFileException as {@link #read(String)}, or if the measurement list is malformed
   */
  public FileSet read(String name, java.util.Optional<Path> measurements) throws IOException {
    List<ImaLog.Measurement> list =
        measurements.isPresent() ? ImaLog.read(measurements.get()) : List.of();
    FileSet.Kind kind = kindOf(name);
    if (kind == FileSet.Kind.LOG) {
      return readLog(name, list);
    }
    FileSet set = readKind(name, kind);
    return list.isEmpty() ? set : set.withHashes(byName(list, set));
  }

  private SortedMap<String, SortedSet<String>> byName(List<ImaLog.Measurement> list, FileSet set) {
    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
    for (ImaLog.Measurement m : list) {
      if (m.isFile() && set.files().containsKey(m.name())) {
        out.computeIfAbsent(m.name(), k -> new TreeSet<>()).add(m.hash());
      }
    }
    return out;
  }

  private FileSet readKind(String name, FileSet.Kind kind) throws IOException {
    if (filters.isPresent() && kind != FileSet.Kind.LOG) {
      throw InvalidFileException.of(
          name,
          "expected a log to select events from, found "
              + (kind == FileSet.Kind.FILES ? "a file list" : "saved events")
              + " (filters apply to logs only)");
    }
    return switch (kind) {
      case FILES -> readFiles(name);
      case EVENTS -> readEvents(name);
      case LOG -> readLog(name, List.of());
    };
  }

  static FileSet.Kind kindOf(String name) throws IOException {
    Path p = Path.of(name);
    if (name.equals("-") || !Files.isRegularFile(p)) {
      return FileSet.Kind.LOG;
    }
    byte[] head = new byte[4096];
    int n;
    try (InputStream in = Files.newInputStream(p)) {
      n = in.readNBytes(head, 0, head.length);
    }
    int i = skipSpace(head, 0, n);
    if (i < n && head[i] == '/') {
      // report --files-only: one absolute path per line; no log line starts with '/'
      return FileSet.Kind.FILES;
    }
    if (i < n && head[i] == '{') {
      return FileSet.Kind.EVENTS;
    }
    if (i < n && head[i] == '[') {
      int j = skipSpace(head, i + 1, n);
      if (j < n && head[j] == '{') {
        return FileSet.Kind.EVENTS;
      }
      // a kernel log line starts with '[' too, but a timestamp follows, not '"' or ']'
      if (j < n && (head[j] == '"' || head[j] == ']')) {
        return FileSet.Kind.FILES;
      }
    }
    return FileSet.Kind.LOG;
  }

  private static int skipSpace(byte[] b, int i, int n) {
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /**
   * Reads an approved list with content hashes, when it has them: {@code sha256sum} output
   * ({@code HEX  /path}, the algorithm told from the digest's length) or an IMA measurement list
   * (each file's hashes by the name IMA gave). Empty for a list of paths alone.
   *
   * @throws InvalidFileException if a line of a {@code sha256sum} list is malformed
   */
  public static SortedMap<String, SortedSet<String>> readHashes(Path file) throws IOException {
    SortedMap<String, SortedSet<String>> out = new TreeMap<>();
    switch (hashListKind(file)) {
      case "sums" -> {
        List<String> lines = Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i);
          if (l.isBlank()) {
            continue;
          }
          int sp = l.indexOf(' ');
          String algo = sp < 0 ? null : algorithm(l.substring(0, sp));
          if (algo == null || l.length() < sp + 3 || l.charAt(sp + 2) != '/') {
            throw new InvalidFileException(
                new SourceLocation(file.toString(), i + 1, 1),
                "expected 'HEX  /path' as sha256sum prints it, found '"
                    + InvalidInputException.excerpt(l) + "'");
          }
          out.computeIfAbsent(l.substring(sp + 2), k -> new TreeSet<>())
              .add(algo + ":" + l.substring(0, sp).toLowerCase(java.util.Locale.ROOT));
        }
      }
      case "ima" -> {
        for (ImaLog.Measurement m : ImaLog.read(file)) {
          if (m.isFile()) {
            out.computeIfAbsent(m.name(), k -> new TreeSet<>()).add(m.hash());
          }
        }
      }
      default -> {}
    }
    return out;
  }

  /** The paths of an approved list: of a hash list its names, else {@link #readPathList}. */
  public static java.util.SortedSet<String> readApproved(Path file) throws IOException {
    return hashListKind(file).equals("paths")
        ? readPathList(file)
        : new TreeSet<>(readHashes(file).keySet());
  }

  /** {@code sums}, {@code ima} or {@code paths}, from the first line. */
  private static String hashListKind(Path file) throws IOException {
    String first;
    try (java.io.BufferedReader r =
        Files.newBufferedReader(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      first = r.readLine();
    }
    if (first == null) {
      return "paths";
    }
    if (first.matches("[0-9a-fA-F]{40,128} [ *]/.*")) {
      return "sums";
    }
    return first.matches("\\d{1,2} [0-9a-f]{40,} .*") ? "ima" : "paths";
  }

  private static String algorithm(String hex) {
    if (hex.isEmpty() || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return null;
    }
    return switch (hex.length()) {
      case 40 -> "sha1";
      case 56 -> "sha224";
      case 64 -> "sha256";
      case 96 -> "sha384";
      case 128 -> "sha512";
      default -> null;
    };
  }

  /**
   * Reads a path list: a JSON array of path strings, or one path per line as {@code report
   * --files-only} writes it (see {@link PathList#readLines}).
   */
  public static TreeSet<String> readPathList(Path file) throws IOException {
    byte[] head = new byte[256];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    int i = skipSpace(head, 0, n);
    if (i < n && head[i] == '/') {
      return PathList.readLines(file);
    }
    TreeSet<String> paths = new TreeSet<>();
    try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw bad(file, p.currentLocation(), "a JSON array of paths", p.getText());
      }
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.VALUE_STRING) {
          throw bad(
              file,
              p.currentTokenLocation(),
              "a path string",
              t == null ? "end of file" : p.getText());
        }
        paths.add(p.getText());
      }
    } catch (JsonProcessingException e) {
      throw bad(file, e.getLocation(), "a JSON array of paths", e.getOriginalMessage());
    }
    return paths;
  }

  private FileSet readFiles(String name) throws IOException {
    TreeMap<String, Set<Op>> files = new TreeMap<>();
    for (String path : readPathList(Path.of(name))) {
      if (wanted(path)) {
        files.put(path, EnumSet.noneOf(Op.class));
      }
    }
    return new FileSet(name, FileSet.Kind.FILES, "", files, new TreeSet<>());
  }

  private FileSet readEvents(String name) throws IOException {
    Map<String, Side> boots = new LinkedHashMap<>();
    Path file = Path.of(name);
    // JSON Lines (events -f jsonl) or one array (events -f json): a reader of values takes both
    try (MappingIterator<JsonNode> it =
        new ObjectMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNextValue()) {
        JsonLocation at = it.getParser().currentTokenLocation();
        JsonNode e = it.nextValue();
        long lineNo = at.getLineNr();
        if (!e.isObject() || !e.hasNonNull("op") || !e.hasNonNull("path")) {
          throw new InvalidFileException(
              new SourceLocation(file.toString(), lineNo, at.getColumnNr()),
              "expected an event with \"op\" and \"path\", found '"
                  + InvalidInputException.excerpt(e.toString()) + "'");
        }
        String key = e.path("node").asText("") + "#" + e.path("boot").asInt(1);
        Side side = boots.computeIfAbsent(key, k -> new Side(e.path("boot").asInt(1)));
        if (e.path("success").asBoolean(true)) {
          side.add(
              e.get("path").asText(),
              op(file, lineNo, at.getColumnNr(), e.get("op").asText()),
              program(e.path("exe").asText(""), e.path("comm").asText("")));
        }
      }
    } catch (JsonProcessingException x) {
      throw bad(
          file, x.getLocation(), "JSON Lines of events (bootaudit events)", x.getOriginalMessage());
    }
    return pick(name, FileSet.Kind.EVENTS, new ArrayList<>(boots.values()));
  }

  private static Op op(Path file, long lineNo, int column, String label) {
    try {
      return Op.fromLabel(label);
    } catch (IllegalArgumentException x) {
      throw new InvalidFileException(
          new SourceLocation(file.toString(), lineNo, column),
          "expected op " + opChoices() + ", found '" + InvalidInputException.excerpt(label) + "'");
    }
  }

  private FileSet readLog(String name, List<ImaLog.Measurement> measurements) throws IOException {
    Map<String, Side> boots = new LinkedHashMap<>();
    List<BootSummary> summaries;
    LogSummary log;
    List<ImaAudit.Record> records =
        name.equals("-") ? List.of() : ImaAudit.read(List.of(Path.of(name)));
    boolean hashes = !measurements.isEmpty()
        || records.stream().anyMatch(r -> r.type().equals("INTEGRITY_RULE"));
    Map<String, ImaJoin> joins = new LinkedHashMap<>();
    try (EventStream events = logs.open(name)) {
      java.util.function.Predicate<FileEvent> selected =
          filters.isPresent() ? filters.get().of(events) : e -> true;
      while (events.hasNext()) {
        FileEvent e = events.next();
        if (hashes) {
          joins
              .computeIfAbsent(e.node() + "#" + e.boot(), k -> new ImaJoin(measurements, records))
              .accept(e);
        }
        if (selected.test(e) && e.success()) {
          boots
              .computeIfAbsent(e.node() + "#" + e.boot(), k -> new Side(e.boot()))
              .add(e.path(), e.op(), program(e.process().exe(), e.process().comm()));
        }
      }
      log = events.summary();
      summaries = log.boots();
    }
    List<Side> ordered = new ArrayList<>();
    for (BootSummary b : summaries) {
      Side side = boots.getOrDefault(b.node() + "#" + b.boot(), new Side(b.boot()));
      if (!b.loss().none() && b.loss().measurable()) {
        side.loss.add(LossText.loss(b.loss()));
      }
      if (log.skipped() > 0) {
        side.loss.add(log.skipped() + " bad line(s) skipped (--lenient)");
      }
      ImaJoin join = joins.get(b.node() + "#" + b.boot());
      if (join != null) {
        for (ImaJoin.JoinedFile f : join.files()) {
          if (wanted(f.path()) && f.hash().isPresent()) {
            side.hashes
                .computeIfAbsent(f.path(), k -> new TreeSet<>())
                .add(f.hash().get());
            // and by the name IMA gave, where a link led (99-sysctl.conf: /etc/sysctl.conf)
            String ima = f.measurement()
                .map(ImaLog.Measurement::name)
                .or(() -> f.record().flatMap(ImaAudit.Record::file))
                .orElse(f.path());
            if (!ima.equals(f.path()) && ima.startsWith("/") && wanted(ima)) {
              side.hashes
                  .computeIfAbsent(ima, k -> new TreeSet<>())
                  .add(f.hash().get());
            }
          }
        }
      }
      ordered.add(side);
    }
    return pick(name, FileSet.Kind.LOG, ordered);
  }

  private FileSet pick(String name, FileSet.Kind kind, List<Side> boots) {
    if (boots.isEmpty()) {
      throw InvalidFileException.of(name, "no boot found (no audit records or events)");
    }
    Side chosen = boots.get(boots.size() - 1);
    if (boot.isPresent()) {
      chosen = boots.stream()
          .filter(b -> b.boot == boot.getAsInt())
          .findFirst()
          .orElseThrow(() -> InvalidFileException.of(
              name, "no boot " + boot.getAsInt() + " (it has " + boots.size() + ")"));
    }
    return new FileSet(
        name,
        kind,
        "boot " + chosen.boot,
        chosen.files,
        chosen.programs,
        chosen.loss,
        chosen.hashes);
  }

  private static String program(String exe, String comm) {
    return exe.isEmpty() ? "(" + comm + ")" : exe;
  }

  private boolean wanted(String path) {
    return targets.isEmpty() || targets.stream().anyMatch(t -> Dirs.under(path, t));
  }

  private static InvalidFileException bad(
      Path file, JsonLocation loc, String expected, String found) {
    return InvalidFileException.at(
        file,
        loc,
        "expected " + expected + ", found '" + InvalidInputException.excerpt(String.valueOf(found))
            + "'");
  }

  /** The files and programs of one boot, while reading. */
  private final class Side {
    final int boot;
    final TreeMap<String, Set<Op>> files = new TreeMap<>();
    final TreeSet<String> programs = new TreeSet<>();
    final List<String> loss = new ArrayList<>();
    final TreeMap<String, SortedSet<String>> hashes = new TreeMap<>();

    Side(int boot) {
      this.boot = boot;
    }

    void add(String path, Op op, String program) {
      if (wanted(path)) {
        files.computeIfAbsent(path, k -> EnumSet.noneOf(Op.class)).add(op);
      }
      programs.add(program);
    }
  }

  /** The operations' labels, as a problem lists them: {@code create, read, ... or umount}. */
  static String opChoices() {
    List<String> labels = java.util.Arrays.stream(Op.values()).map(Op::label).toList();
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or "
        + labels.get(labels.size() - 1);
  }
}
