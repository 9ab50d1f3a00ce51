package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No dead relative link in README.md and docs/*.md: every link to a file names one inside the
 * repository, and every {@code #anchor} names a heading of its Markdown file.
 */
class DocLinksTest {

  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

  @TempDir Path tmp;

  @Test
  void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
    List<String> dead = new ArrayList<>();
    for (Path doc : DocCommandsTest.docs()) {
      dead.addAll(deadLinks(doc, Path.of("")));
    }
    assertEquals("", String.join("\n", dead));
  }

  @Test
  void aDeadLinkAnOutsideLinkAndAMissingAnchorAreFound() throws IOException {
    Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(tmp.resolve("docs/A.md"), "# Title\n\n## Some part, b12\n");
    Path doc = tmp.resolve("README.md");
    Files.writeString(doc, "[ok](docs/A.md) [ok](docs/A.md#some-part-b12) [web](https://example.org/x)\n"
        + "[gone](docs/B.md) [outside](../shared/DESIGN.md) [no anchor](docs/A.md#nothing)\n"
        + "```\n[in code](not/checked.md)\n```\n");
    List<String> dead = deadLinks(doc, tmp);
    assertEquals(List.of("README.md:2: docs/B.md", "README.md:2: ../shared/DESIGN.md", "README.md:2: docs/A.md#nothing"),
        dead.stream().map(d -> d.substring(d.indexOf("README.md"))).toList());
  }

  /** The dead links of one Markdown file of the repository at {@code root}. */
  static List<String> deadLinks(Path doc, Path root) throws IOException {
    Path repo = root.toAbsolutePath().normalize();
    List<String> dead = new ArrayList<>();
    List<String> lines = Files.readAllLines(doc);
    boolean fence = false;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith("```")) {
        fence = !fence;
        continue;
      }
      Matcher m = LINK.matcher(fence ? "" : CODE_SPAN.matcher(lines.get(i)).replaceAll("``"));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*") || !resolves(doc, target, repo)) {
          if (!target.matches("(https?|mailto):.*")) {
            dead.add(doc + ":" + (i + 1) + ": " + target);
          }
        }
      }
    }
    return dead;
  }

  private static boolean resolves(Path doc, String target, Path repo) throws IOException {
    String[] fileAnchor = target.split("#", 2);
    Path dir = doc.toAbsolutePath().getParent();
    Path file = fileAnchor[0].isEmpty() ? doc.toAbsolutePath() : dir.resolve(fileAnchor[0]).normalize();
    if (!file.startsWith(repo) || !Files.exists(file)) {
      return false;
    }
    if (fileAnchor.length == 1 || !file.toString().endsWith(".md")) {
      return true;
    }
    return Files.readAllLines(file).stream().filter(l -> l.startsWith("#"))
        .anyMatch(h -> slug(h.replaceFirst("^#+\\s*", "")).equals(fileAnchor[1]));
  }

  /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
  static String slug(String heading) {
    return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
