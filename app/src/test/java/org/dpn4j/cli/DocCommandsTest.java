package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code dpn} command that README.md and docs/*.md show runs, as written or with the small
 * inputs that {@code app/src/test/resources/doc-commands.txt} declares (its header describes the
 * format), and exits 0; commands shown failing fail with their message. The other tests show that
 * the check catches a broken command, a template without an entry and a stale entry.
 */
class DocCommandsTest {

  static final Path TABLE = Path.of("app/src/test/resources/doc-commands.txt");

  @TempDir Path tmp;

  /** README.md, then docs/*.md by name. */
  static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  @Integration
  void everyDocumentedCommandRuns() throws IOException {
    SharedData.path("camvid");
    SharedData.path("pretrained");
    PrintWriter log = new PrintWriter(System.err, true);
    List<String> problems = new DocCommandCheck(TABLE, tmp, Main::commandLine, log).problems(docs());
    assertEquals("", String.join("\n\n", problems));
  }

  @Test
  void aBrokenCommandFailsTheCheck() throws IOException {
    Path doc = write("broken.md", "Run:\n\n```bash\n./dpn segment demo/traffic/0001.bmp --no-such-option --out x\n```\n");
    List<String> problems = check(doc, "");
    assertEquals(1, problems.size(), problems.toString());
    assertMentions(problems.get(0), "broken.md:4: ./dpn segment demo/traffic/0001.bmp --no-such-option --out x",
        "Unknown option: '--no-such-option'", "no entry in doc-commands.txt");
  }

  @Test
  void aTemplateNeedsAnEntryAndAStaleEntryIsReported() throws IOException {
    Path doc = write("template.md", "Try `./dpn inspect FILE.safetensors` (inline), or\n\n"
        + "    dpn inspect models/camvid/weights.safetensors   # indented, runs as written\n");
    List<String> problems = check(doc, "./dpn bench flow\n  run bench flow --runs 1\n");
    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "template.md:1: ./dpn inspect FILE.safetensors", "no such file: FILE.safetensors");
    assertMentions(problems.get(1), "the entry \"./dpn bench flow\" is a command no document shows");
  }

  @Test
  void aCommandShownFailingMustFailWithItsMessageAndACoveringTestMustExist() throws IOException {
    Path doc = write("fails.md", "```\n./dpn inspect missing.safetensors\n./dpn --version\n```\n");
    String table = "./dpn inspect missing.safetensors\n  run inspect {tmp}/missing.safetensors\n  fails missing.safetensors\n"
        + "./dpn --version\n  run --version\n  fails no such message\n"
        + "./dpn serve\n  covered-by NoSuchServeTest\n./dpn demo\n  covered-by BenchAndDemoCommandTest\n";
    Files.writeString(doc, Files.readString(doc) + "\n```\n./dpn serve\n./dpn demo\n```\n");
    List<String> problems = check(doc, table);
    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "fails.md:3: ./dpn --version", "is shown failing with \"no such message\"");
    assertMentions(problems.get(1), "./dpn serve", "is covered by NoSuchServeTest, but no module has");
  }

  @Test
  void continuationLinesAndCommentsAreCollected() throws IOException {
    Path doc = write("forms.md", "```java\ndpn not-a-command();\n```\n\n```\n"
        + "dpn eval --dataset camvid \\\n    --split val   # a comment\n```\n");
    List<DocCommands.Command> found = DocCommands.in(doc);
    assertEquals(1, found.size(), found.toString());
    assertEquals("dpn eval --dataset camvid --split val", found.get(0).text());
    assertEquals(6, found.get(0).line());
  }

  private static void assertMentions(String problem, String... parts) {
    for (String part : parts) {
      assertTrue(problem.contains(part), "expected '" + part + "' in: " + problem);
    }
  }

  private Path write(String name, String text) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private List<String> check(Path doc, String table) throws IOException {
    Path t = write("table.txt", "# a table for the test\n" + table);
    StringWriter log = new StringWriter();
    return new DocCommandCheck(t, tmp, Main::commandLine, new PrintWriter(log)).problems(List.of(doc));
  }
}
