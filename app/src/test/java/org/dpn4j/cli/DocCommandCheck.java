package org.dpn4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Runs the documented {@code dpn} commands ({@link DocCommands}) in this JVM, each as written or as
 * the table of substitutions says (its format is described at the top of
 * {@code app/src/test/resources/doc-commands.txt}), and lists what went wrong: a command that
 * failed, one shown failing that did not fail with its message, an entry that no document shows.
 */
final class DocCommandCheck {

  /** One step of an entry: a keyword and the rest of its line. */
  record Step(String keyword, String argument) {}

  private static final List<String> KEYWORDS = List.of("run", "fails", "prints", "write", "link", "covered-by");

  private final Map<String, List<Step>> table;
  private final Path tmp;
  private final Supplier<CommandLine> commandLine;
  private final PrintWriter log;

  /**
   * A check with the entries of {@code tableFile}, {@code {tmp}} standing for {@code tmp}, each
   * command run on a fresh {@code commandLine}; {@code log} gets one line per command run.
   */
  DocCommandCheck(Path tableFile, Path tmp, Supplier<CommandLine> commandLine, PrintWriter log) throws IOException {
    this.table = parse(tableFile);
    this.tmp = tmp;
    this.commandLine = commandLine;
    this.log = log;
  }

  /** The entries of a table file: documented command -> its steps, in file order. */
  static Map<String, List<Step>> parse(Path file) throws IOException {
    Map<String, List<Step>> entries = new LinkedHashMap<>();
    List<Step> current = null;
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        current = new ArrayList<>();
        if (entries.put(line.strip().replaceAll("\\s+", " "), current) != null) {
          throw new IllegalArgumentException(file + ":" + n + ": a second entry for " + line.strip());
        }
        continue;
      }
      String[] kv = line.strip().split("\\s+", 2);
      if (current == null || !KEYWORDS.contains(kv[0])) {
        throw new IllegalArgumentException(file + ":" + n + ": expected an entry's step (" + KEYWORDS + "), got " + line);
      }
      current.add(new Step(kv[0], kv.length > 1 ? kv[1] : ""));
    }
    return entries;
  }

  /** Every problem with the commands of {@code docs} (empty when all ran as they should). */
  List<String> problems(List<Path> docs) throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Path doc : docs) {
      for (DocCommands.Command c : DocCommands.in(doc)) {
        if (seen.add(c.text())) {
          problems.addAll(check(c));
        }
      }
    }
    for (String entry : table.keySet()) {
      if (!seen.contains(entry)) {
        problems.add("doc-commands.txt: the entry \"" + entry + "\" is a command no document shows any more");
      }
    }
    return problems;
  }

  private List<String> check(DocCommands.Command c) throws IOException {
    List<Step> steps = table.get(c.text());
    if (steps == null) {
      steps = List.of(new Step("run", String.join(" ", quoted(DocCommands.words(c.text())))));
    }
    List<String> problems = new ArrayList<>();
    CommandRun last = null;
    for (Step s : steps) {
      String arg = s.argument().replace("{tmp}", tmp.toString())
          .replace("{repo}", Path.of("").toAbsolutePath().toString());
      switch (s.keyword()) {
        case "run" -> {
          last = run(arg);
          if (last.exitCode() != 0 && !failsNext(steps, s)) {
            problems.add(c + "\n  ran as: dpn " + arg + "\n  " + last.toString().replace("\n", "\n  ")
                + (table.containsKey(c.text()) ? "" : "\n  (no entry in doc-commands.txt: add one that runs it)"));
          }
        }
        case "fails" -> {
          if (last == null || last.exitCode() == 0 || !(last.err() + last.out()).contains(arg)) {
            problems.add(c + "\n  is shown failing with \"" + arg + "\" but: " + last);
          }
        }
        case "prints" -> {
          if (last == null || !last.out().contains(arg)) {
            problems.add(c + "\n  should print \"" + arg + "\" but: " + last);
          }
        }
        case "write" -> {
          String[] pathText = arg.split("\\s+", 2);
          Path p = Path.of(pathText[0]);
          Files.createDirectories(p.toAbsolutePath().getParent());
          Files.writeString(p, pathText.length > 1 ? pathText[1] : "");
        }
        case "link" -> {
          String[] linkTarget = arg.split("\\s+", 2);
          Path link = Path.of(linkTarget[0]);
          Files.createDirectories(link.toAbsolutePath().getParent());
          Files.createSymbolicLink(link, Path.of(linkTarget[1]).toAbsolutePath());
        }
        case "covered-by" -> {
          // a command of a module whose own tests run it (e.g. serve, spark): that test must exist
          if (!testClassExists(arg)) {
            problems.add(c + "\n  is covered by " + arg + ", but no module has it under src/test/java");
          }
        }
        default -> throw new IllegalStateException(s.keyword());
      }
    }
    return problems;
  }

  /** Whether some module of the repository has a test source file {@code name}.java. */
  /** {@code name}, simple or fully qualified, is a test class of some module's src/test/java. */
  private static boolean testClassExists(String name) throws IOException {
    String file = "/" + name.replace('.', '/') + ".java";
    try (Stream<Path> files = Files.walk(Path.of(""), 16)) {
      return files.map(p -> p.toString().replace('\\', '/'))
          .anyMatch(p -> p.contains("src/test/java/") && p.endsWith(file));
    }
  }

  private static boolean failsNext(List<Step> steps, Step s) {
    int i = steps.indexOf(s);
    return i + 1 < steps.size() && steps.get(i + 1).keyword().equals("fails");
  }

  private CommandRun run(String arguments) throws IOException {
    List<String> args = new ArrayList<>();
    for (String w : DocCommands.words(arguments)) {
      args.addAll(expand(w));
    }
    long t0 = System.nanoTime();
    CommandRun r = CommandRun.of(commandLine.get(), args.toArray(String[]::new));
    log.printf("%6.1f s  exit %d  dpn %s%n", (System.nanoTime() - t0) / 1e9, r.exitCode(), arguments);
    log.flush();
    return r;
  }

  /** A word with * or ? is a glob over files (as the shell expands it), sorted; else itself. */
  private static List<String> expand(String word) throws IOException {
    if (!word.contains("*") && !word.contains("?") && !word.contains("[")) {
      return List.of(word);
    }
    Path glob = Path.of(word);
    Path dir = glob.getParent() == null ? Path.of(".") : glob.getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob.getFileName());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> out = files.filter(p -> m.matches(p.getFileName())).map(Path::toString).sorted().toList();
      return out.isEmpty() ? List.of(word) : out;
    }
  }

  private static List<String> quoted(List<String> words) {
    return words.stream().map(w -> w.matches("[^\\s'\"]+") ? w : "'" + w + "'").toList();
  }
}
