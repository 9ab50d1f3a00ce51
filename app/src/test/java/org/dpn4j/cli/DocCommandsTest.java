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
  void everyDocumentedCommandRuns() throws IOException {
    assertTrue(Files.isDirectory(Path.of("../shared/data/camvid")),
        "the documented commands need ../shared/data (CamVid, the pretrained files); it is missing");
    PrintWriter log = new PrintWriter(System.err, true);
    List<String> problems = new DocCommandCheck(TABLE, tmp, Main::commandLine, log).problems(docs());
    assertEquals("", String.join("\n\n", problems));
  }

  @Test
  void aBrokenCommandFailsTheCheck() throws IOException {
    Path doc = write("broken.md", "Run:\n\n```bash\n./dpn segment demo/traffic/0001.bmp --no-such-option --out x\n```\n");
    List<String> problems = check(doc, "");
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("broken.md:4: ./dpn segment demo/traffic/0001.bmp --no-such-option --out x"),
        problems.get(0));
    assertTrue(problems.get(0).contains("Unknown option: '--no-such-option'"), problems.get(0));
    assertTrue(problems.get(0).contains("no entry in doc-commands.txt"), problems.get(0));
  }

  @Test
  void aTemplateNeedsAnEntryAndAStaleEntryIsReported() throws IOException {
    Path doc = write("template.md", "Try `./dpn inspect FILE.safetensors` (inline), or\n\n"
        + "    dpn inspect models/camvid/weights.safetensors   # indented, runs as written\n");
    List<String> problems = check(doc, "./dpn bench flow\n  run bench flow --runs 1\n");
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("template.md:1: ./dpn inspect FILE.safetensors"), problems.get(0));
    assertTrue(problems.get(0).contains("no such file: FILE.safetensors"), problems.get(0));
    assertTrue(problems.get(1).contains("the entry \"./dpn bench flow\" is a command no document shows"), problems.get(1));
  }

  @Test
  void aCommandShownFailingMustFailWithItsMessage() throws IOException {
    Path doc = write("fails.md", "```\n./dpn inspect missing.safetensors\n./dpn --version\n```\n");
    String table = "./dpn inspect missing.safetensors\n  run inspect {tmp}/missing.safetensors\n  fails missing.safetensors\n"
        + "./dpn --version\n  run --version\n  fails no such message\n";
    List<String> problems = check(doc, table);
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("fails.md:3: ./dpn --version"), problems.get(0));
    assertTrue(problems.get(0).contains("is shown failing with \"no such message\""), problems.get(0));
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
